"""The pipeline every profile shares: raw HTML, the link policy, the XSS corpus, the sanitiser."""

import json
from pathlib import Path

import pytest
from django.utils.html import escape

from markup import BIO, FORUM_POST, KB_RICH_TEXT, render_markdown, sanitize_html
from tests.markup.allow_lists import EXPECTED, assert_safe, elements

XSS_VECTORS = json.loads((Path(__file__).parent / "data" / "xss_vectors.json").read_text())
PROFILES = pytest.mark.parametrize("expected", EXPECTED.values(), ids=EXPECTED.keys())
WRAPPERS = ("{}", "> {}", "- {}", "**{}**", "| x |\n|---|\n| {} |", "1. a\n   {}", "# {}")


def test_corpus_has_at_least_fifty_vectors():
    assert len(XSS_VECTORS) >= 50
    assert len({v["name"] for v in XSS_VECTORS}) == len(XSS_VECTORS)


@PROFILES
@pytest.mark.parametrize("vector", XSS_VECTORS, ids=[v["name"] for v in XSS_VECTORS])
def test_hostile_markdown_is_neutralised_in_every_profile(expected, vector):
    # Also when the vector sits inside ordinary Markdown structures.
    for wrapper in WRAPPERS:
        assert_safe(
            render_markdown(wrapper.format(vector["input"]), expected.profile).html, expected
        )


@PROFILES
@pytest.mark.parametrize("vector", XSS_VECTORS, ids=[v["name"] for v in XSS_VECTORS])
def test_sanitiser_alone_neutralises_hostile_html_in_every_profile(expected, vector):
    """Defence in depth: even if Markdown let raw HTML through, nh3 would stop it."""
    assert_safe(sanitize_html(vector["input"], expected.profile), expected)


@PROFILES
@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="steal()">x</a>',
        '<p style="color:red">styled</p>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(expected, source):
    html = render_markdown(source, expected.profile).html
    assert "&lt;" in html
    assert_safe(html, expected)
    assert not any("style" in attrs for _, attrs in elements(html))


def test_raw_html_is_escaped_exactly():
    html = render_markdown("<b>bold?</b> <script>alert(1)</script>", FORUM_POST).html
    assert html == ("<p>&lt;b&gt;bold?&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n")


@PROFILES
@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](ftp://files.example.org/a)",
        "<ftp://files.example.org/a>",
    ],
)
def test_only_http_https_mailto_and_relative_links_survive(expected, link):
    html = render_markdown(link, expected.profile).html
    assert html == f"<p>{escape(link)}</p>\n"  # shown as text: nothing is lost


@PROFILES
@pytest.mark.parametrize(
    "source",
    [
        "[x](//evil.example/p)",
        "[x](<//evil.example/p>)",
        "<//evil.example/p>",
        "![x](//evil.example/p.png)",
    ],
)
def test_protocol_relative_links_are_refused_and_stay_visible_as_text(expected, source):
    html = render_markdown(source, expected.profile).html
    assert "href" not in html
    assert "evil.example/p" in html


@PROFILES
@pytest.mark.parametrize(
    "href",
    [
        "//evil.example/p",
        " //evil.example/p",
        "/\t/evil.example/p",
        "/\\evil.example/p",
        "\\\\evil.example/p",
        "&#x2F;&#x2F;evil.example/p",
        "https:/\\evil.example/p",
        "javascript:alert(1)",
    ],
)
def test_sanitiser_drops_hrefs_that_leave_the_site_looking_relative(expected, href):
    html = sanitize_html(f'<a href="{href}">x</a>', expected.profile)
    assert html == '<a rel="nofollow ugc noopener">x</a>'


@PROFILES
def test_links_get_nofollow_ugc_noopener_and_bare_urls_and_emails_are_linkified(expected):
    html = render_markdown(
        "See www.example.org, [docs](https://docs.example.org/x) or write to someone@example.org",
        expected.profile,
    ).html
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html
    )
    assert '<a href="https://docs.example.org/x" rel="nofollow ugc noopener">docs</a>' in html
    assert '<a href="mailto:someone@example.org" rel="nofollow ugc noopener">' in html


@PROFILES
def test_mailto_site_relative_and_fragment_links_are_kept(expected):
    html = render_markdown(
        "[mail](mailto:pcc@example.org) [thread](/forum/t/1/x/) [top](#top)", expected.profile
    ).html
    assert 'href="mailto:pcc@example.org"' in html
    assert 'href="/forum/t/1/x/"' in html
    assert 'href="#top"' in html


@pytest.mark.parametrize("profile", [BIO, FORUM_POST], ids=["bio", "forum_post"])
def test_a_list_keeps_a_plain_number_as_its_start_and_nothing_else(profile):
    assert '<ol start="3">' in render_markdown("3. three\n4. four", profile).html
    assert sanitize_html('<ol start="-1"><li>a</li></ol>', profile) == "<ol><li>a</li></ol>"
    assert sanitize_html('<ol start="1e9"><li>a</li></ol>', profile) == "<ol><li>a</li></ol>"


@PROFILES
def test_blank_source_renders_to_the_empty_string(expected):
    assert render_markdown("", expected.profile).html == ""
    assert render_markdown("   \n ", expected.profile).html == ""


def test_each_profile_sanitises_to_its_own_allow_list():
    assert sanitize_html("<b>x</b><strong>y</strong>", KB_RICH_TEXT) == "<b>x</b>y"
    assert sanitize_html("<b>x</b><strong>y</strong>", BIO) == "x<strong>y</strong>"
