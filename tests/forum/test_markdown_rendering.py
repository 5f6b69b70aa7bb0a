"""The Markdown pipeline: CommonMark features, the allow-list, and a corpus of XSS vectors."""

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from forum.markdown_rendering import quote_markdown, render_markdown, sanitize_html

XSS_VECTORS = json.loads((Path(__file__).parent / "data" / "xss_vectors.json").read_text())

# Stated here independently of the module, so widening the module's allow-list fails a test.
EXPECTED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "img", "li",
    "ol", "p", "pre", "s", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
EXPECTED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"class"},
    "td": {"class"},
    "span": {"class"},
}
EXPECTED_CLASSES = {"align-left", "align-center", "align-right", "mention"}


class ElementCollector(HTMLParser):
    """Every start tag with its attributes, entity references decoded as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def assert_safe(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in EXPECTED_TAGS, f"tag <{tag}> passed: {html!r}"
        unexpected = set(attrs) - EXPECTED_ATTRIBUTES.get(tag, set())
        assert not unexpected, f"attributes {unexpected} on <{tag}> passed: {html!r}"
        for name, value in attrs.items():
            value = value or ""
            assert not name.startswith("on"), html
            if name == "class":
                assert set(value.split()) <= EXPECTED_CLASSES, html
            if name == "href":
                squashed = "".join(ch for ch in value if ch > " ").lower()
                scheme = urlsplit(squashed).scheme
                assert scheme in ("", "http", "https", "mailto"), f"href {value!r}: {html!r}"
                assert not squashed.startswith("//"), html
                assert "\\" not in squashed, html
            if name == "src":
                assert value.startswith("/media/"), f"img src {value!r} passed: {html!r}"
                assert "/../" not in value, html
                assert "//" not in value, html
            if name == "rel":
                assert value == "nofollow ugc noopener", html


def test_corpus_has_at_least_fifty_vectors():
    assert len(XSS_VECTORS) >= 50
    assert len({v["name"] for v in XSS_VECTORS}) == len(XSS_VECTORS)


@pytest.mark.parametrize("vector", XSS_VECTORS, ids=[v["name"] for v in XSS_VECTORS])
def test_hostile_markdown_is_neutralised(vector):
    html = render_markdown(vector["input"]).html
    assert_safe(html)
    # Also when the vector sits inside ordinary Markdown structures.
    for wrapper in ("> {}", "- {}", "**{}**", "| x |\n|---|\n| {} |", "1. a\n   {}"):
        assert_safe(render_markdown(wrapper.format(vector["input"])).html)


@pytest.mark.parametrize("vector", XSS_VECTORS, ids=[v["name"] for v in XSS_VECTORS])
def test_sanitiser_alone_neutralises_hostile_html(vector):
    """Defence in depth: even if Markdown let raw HTML through, nh3 would stop it."""
    assert_safe(sanitize_html(vector["input"]))


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<b>bold?</b> <script>alert(1)</script>").html
    assert html == ("<p>&lt;b&gt;bold?&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n")


def test_commonmark_basics_tables_and_strikethrough_render():
    source = (
        "# Heading\n\nSome *em*, **strong**, `code` and ~~old~~.\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n```\ncode block\n```\n\n---\n\n"
        "| Channel | Reach |\n|:--|--:|\n| SMS | 90% |\n"
    )
    html = render_markdown(source).html
    assert "<h3>Heading</h3>" in html
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<code>code</code>" in html
    assert "<s>old</s>" in html
    assert "<ul>\n<li>one</li>" in html
    assert '<ol start="3">' in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert "<pre><code>code block\n</code></pre>" in html
    assert "<hr>" in html
    assert '<th class="align-left">Channel</th>' in html
    assert '<td class="align-right">90%</td>' in html
    assert "style" not in html


def test_headings_are_shifted_below_the_pages_own_headings():
    html = render_markdown("# One\n\n## Two\n\n#### Four\n\n###### Six").html
    assert [tag for tag, _ in elements(html)] == ["h3", "h4", "h6", "h6"]


def test_links_get_nofollow_ugc_noopener_and_bare_urls_are_linkified():
    html = render_markdown("See www.example.org and [docs](https://docs.example.org/x).").html
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html
    )
    assert '<a href="https://docs.example.org/x" rel="nofollow ugc noopener">docs</a>' in html


def test_mailto_and_site_relative_links_are_kept():
    html = render_markdown("[mail](mailto:pcc@example.org) [thread](/forum/t/1/x/)").html
    assert 'href="mailto:pcc@example.org"' in html
    assert 'href="/forum/t/1/x/"' in html


def test_images_from_site_uploads_are_kept_and_others_become_links():
    html = render_markdown(
        "![chart](/media/uploads/chart.png) ![remote](https://cdn.example.org/a.png)"
    ).html
    assert '<img src="/media/uploads/chart.png" alt="chart">' in html
    assert '<a href="https://cdn.example.org/a.png" rel="nofollow ugc noopener">' in html
    assert "Image: remote" in html
    assert html.count("<img") == 1


def test_images_follow_the_configured_media_url(settings):
    settings.MEDIA_URL = "/uploads/"
    html = render_markdown("![a](/uploads/a.png) ![b](/media/b.png)").html
    assert '<img src="/uploads/a.png" alt="a">' in html
    assert "/media/b.png" not in html


def test_mentions_are_recognised_outside_code_and_links():
    rendered = render_markdown(
        "Thanks @Ana-Silva and @ben.o! Mail ana@example.org, not `@code` or "
        "[@linked](https://example.org). @Ana-Silva again."
    )
    assert rendered.mentions == ("ana-silva", "ben.o")
    assert '<span class="mention">@Ana-Silva</span>' in rendered.html
    assert '<span class="mention">@ben.o</span>!' in rendered.html
    assert "<code>@code</code>" in rendered.html


def test_mentions_are_capped():
    source = " ".join(f"@member{n}" for n in range(30))
    assert len(render_markdown(source).mentions) == 20


def test_quote_inserts_an_attributed_block_quote():
    quoted = quote_markdown(
        author_name="Ana [Silva]", permalink="/forum/p/7/", source="First line\n\nSecond"
    )
    assert quoted == (
        "> **[Ana \\[Silva\\]](/forum/p/7/) wrote:**\n>\n> First line\n>\n> Second\n\n"
    )
    html = render_markdown(quoted + "I agree.").html
    assert html.startswith('<blockquote>\n<p><strong><a href="/forum/p/7/"')
    assert "Ana [Silva]</a> wrote:</strong>" in html
    assert html.endswith("<p>I agree.</p>\n")
