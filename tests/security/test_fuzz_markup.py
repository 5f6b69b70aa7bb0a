"""Property tests of the markup pipeline: for every profile and any source a member could type,
the stored HTML holds no script-capable construct, keeps to the profile's allow-list, and is
stable (rendering is deterministic, and sanitising the stored HTML again changes nothing, so
re-saving or re-cleaning stored text never drifts).

The sources are built from Markdown syntax, pieces of the hostile corpus
(tests/security/hostile.py) and arbitrary text, so Hypothesis explores the places where they
meet (a ``javascript:`` URL inside link syntax, an entity split by emphasis, a handler inside a
table cell). Derandomised, so CI sees the same examples on every run.
"""

import ast
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from markup import render_markdown, sanitize_html
from tests.markup.allow_lists import EXPECTED, assert_safe
from tests.security import hostile, summary

EXAMPLES = 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PROFILES = pytest.mark.parametrize("expected", EXPECTED.values(), ids=EXPECTED.keys())

MARKDOWN_SYNTAX = [
    "# ",
    "###### ",
    "> ",
    "- ",
    "1. ",
    "12345678901. ",
    "```\n",
    "```js\n",
    "    ",
    "`",
    "**",
    "__",
    "*",
    "_",
    "~~",
    "[",
    "]",
    "](",
    ")",
    "![",
    '"title"',
    "| a | b |\n",
    "|:--|--:|\n",
    "| ",
    " |",
    "---\n",
    "\n",
    "\n\n",
    "  \n",
    "<",
    ">",
    "&",
    "&#",
    "&#x",
    ";",
    "@",
    "@member",
    "@a.b-c_d",
    "http://",
    "https://example.org/",
    "www.example.org",
    "mailto:",
    "/media/",
    "/media/../",
    "../",
    "//evil.example/",
    "\\",
    "javascript:",
    "JaVaScRiPt&#58;",
    "vbscript:",
    "data:text/html;base64,",
    "<script>",
    "</script>",
    "<svg onload=",
    "<img src=x onerror=",
    "onmouseover=",
    "style=",
    "{{ ",
    " }}",
    "{% ",
    " %}",
    "\r\n",
    "\t",
    "\x00",
    "\u200b",
    "\u202e",
    "\ufeff",
]

FRAGMENT = st.one_of(
    st.sampled_from(MARKDOWN_SYNTAX),
    st.sampled_from(hostile.INPUTS),
    st.text(max_size=12),
)
SOURCES = st.lists(FRAGMENT, max_size=24).map("".join)
HTML_SOURCES = st.lists(
    st.one_of(st.sampled_from(hostile.INPUTS), FRAGMENT), min_size=1, max_size=8
).map("".join)


# hostile.py flags "javascript:" anywhere in a URL, which is right for a page scan but also
# catches a link whose scheme is https and whose *path* happens to read "javascript:"
# (https://example.org/javascript:), which no browser runs. Such a finding is dropped only when
# the URL, read as a browser reads it, has no scheme (relative) or http/https/mailto.
_URL_FINDING = re.compile(r"^(href|src)=(?P<value>'.*'|\".*\") on <(a|img)>$", re.S)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _harmless_url_finding(finding: str) -> bool:
    match = _URL_FINDING.match(finding)
    if not match:
        return False
    url = hostile.squash_url(ast.literal_eval(match.group("value")))
    scheme = _SCHEME.match(url)
    return not url.startswith(("//", "/\\", "\\")) and (
        scheme is None or scheme.group(1) in ("http", "https", "mailto")
    )


def assert_safe_html(html: str, expected, where: str) -> None:
    findings = [f for f in hostile.script_capable_constructs(html) if not _harmless_url_finding(f)]
    assert not findings, f"{where}: " + "; ".join(sorted(set(findings))[:20]) + f" in {html!r}"
    assert_safe(html, expected)


@PROFILES
@FUZZ
@given(source=SOURCES)
def test_rendered_markdown_holds_no_script_capable_construct_in_any_profile(expected, source):
    html = render_markdown(source, expected.profile).html
    assert_safe_html(html, expected, f"{expected.profile.name} markdown")
    summary.add("markup fuzz: Markdown sources rendered (all profiles)", 1)


@PROFILES
@FUZZ
@given(source=SOURCES)
def test_rendering_is_deterministic_and_the_stored_html_is_already_clean(expected, source):
    first = render_markdown(source, expected.profile)
    again = render_markdown(source, expected.profile)
    assert again == first
    # The stored HTML is a fixed point of the sanitiser: cleaning it again changes nothing.
    assert sanitize_html(first.html, expected.profile) == first.html
    summary.add("markup fuzz: renders checked for stability (all profiles)", 1)


@PROFILES
@FUZZ
@given(html=HTML_SOURCES)
def test_the_sanitiser_alone_reduces_any_html_to_a_safe_fixed_point(expected, html):
    """Defence in depth: raw HTML straight into the second layer is safe, and stays as it is
    when cleaned again."""
    cleaned = sanitize_html(html, expected.profile)
    assert_safe_html(cleaned, expected, f"{expected.profile.name} sanitiser")
    assert sanitize_html(cleaned, expected.profile) == cleaned
    summary.add("markup fuzz: raw HTML inputs sanitised (all profiles)", 1)


@PROFILES
@FUZZ
@given(source=SOURCES)
def test_mentions_are_bounded_and_only_where_the_profile_has_them(expected, source):
    mentions = render_markdown(source, expected.profile).mentions
    if not expected.profile.mentions:
        assert mentions == ()
    assert len(mentions) <= 20
    assert len(set(mentions)) == len(mentions)
    assert all(m == m.lower() and m for m in mentions)
