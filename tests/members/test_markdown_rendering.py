from html.parser import HTMLParser

import pytest

from members.markdown_rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def real_tags(html):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def test_common_markdown_renders_to_html():
    html = render_markdown("**bold** and *italic* and ~~gone~~\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<s>gone</s>" in html or "<del>gone</del>" in html
    assert "<ul>" in html
    assert "<li>one</li>" in html


def test_tables_render_without_inline_styles():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "style" not in html


def test_bare_urls_and_emails_become_links_with_nofollow_ugc_noopener():
    html = render_markdown("See www.example.org or write to someone@example.org")
    assert '<a href="http://www.example.org" rel="nofollow ugc noopener">' in html
    assert 'href="mailto:someone@example.org"' in html


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
def test_raw_html_is_shown_as_text_never_as_markup(source):
    html = render_markdown(source)
    assert "&lt;" in html
    for tag, attributes in real_tags(html):
        assert tag in ALLOWED_TAGS
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attributes) <= allowed, (tag, attributes)
        assert not any(name.startswith("on") or name == "style" for name in attributes)


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](ftp://files.example.org/a)",
    ],
)
def test_only_http_https_mailto_and_relative_links_survive(link):
    assert "<a" not in render_markdown(link)


def test_images_become_links_so_member_text_loads_nothing():
    html = render_markdown("![our poster](https://example.org/poster.png)")
    assert "<img" not in html
    assert (
        '<a href="https://example.org/poster.png" rel="nofollow ugc noopener">our poster</a>'
        in html
    )


def test_headings_start_below_the_pages_own_headings():
    html = render_markdown("# Big\n\n## Smaller\n\n### Smallest")
    assert "<h1" not in html
    assert "<h2" not in html
    assert "<h3>Big</h3>" in html
    assert "<h4>Smaller</h4>" in html
    assert "<h4>Smallest</h4>" in html


def test_blank_source_renders_to_the_empty_string():
    assert render_markdown("") == ""
    assert render_markdown("   \n ") == ""
