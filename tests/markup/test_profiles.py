"""What each profile makes of ordinary Markdown: bios, KB rich text, forum posts."""

import pytest

from markup import BIO, FORUM_POST, KB_RICH_TEXT, Images, Profile, render_markdown
from tests.markup.allow_lists import elements

# ---- forum posts ----


def test_forum_commonmark_basics_tables_and_strikethrough_render():
    source = (
        "# Heading\n\nSome *em*, **strong**, `code` and ~~old~~.\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n```\ncode block\n```\n\n---\n\n"
        "| Channel | Reach |\n|:--|--:|\n| SMS | 90% |\n"
    )
    html = render_markdown(source, FORUM_POST).html
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


def test_forum_headings_are_shifted_below_the_pages_own_headings():
    html = render_markdown("# One\n\n## Two\n\n#### Four\n\n###### Six", FORUM_POST).html
    assert [tag for tag, _ in elements(html)] == ["h3", "h4", "h6", "h6"]


def test_forum_images_from_site_uploads_are_kept_and_others_become_links():
    html = render_markdown(
        "![chart](/media/uploads/chart.png) ![remote](https://cdn.example.org/a.png)", FORUM_POST
    ).html
    assert '<img src="/media/uploads/chart.png" alt="chart">' in html
    assert '<a href="https://cdn.example.org/a.png" rel="nofollow ugc noopener">' in html
    assert "Image: remote" in html
    assert html.count("<img") == 1


def test_forum_images_follow_the_configured_media_url(settings):
    settings.MEDIA_URL = "/uploads/"
    html = render_markdown("![a](/uploads/a.png) ![b](/media/b.png)", FORUM_POST).html
    assert '<img src="/uploads/a.png" alt="a">' in html
    assert "/media/b.png" not in html


@pytest.mark.parametrize("profile", [BIO, KB_RICH_TEXT, FORUM_POST], ids=lambda p: p.name)
def test_images_that_are_not_site_uploads_or_absolute_web_urls_become_their_label(profile):
    html = render_markdown("![x](/media/../admin/logo.png) ![](mailto:a@example.org)", profile).html
    assert "<img" not in html
    assert "<a" not in html
    label = "Image: x" if profile is FORUM_POST else "x"
    assert html.startswith(f"<p>{label} ")


def test_forum_mentions_are_recognised_outside_code_and_links():
    rendered = render_markdown(
        "Thanks @Ana-Silva and @ben.o! Mail ana@example.org, not `@code` or "
        "[@linked](https://example.org). @Ana-Silva again.",
        FORUM_POST,
    )
    assert rendered.mentions == ("ana-silva", "ben.o")
    assert '<span class="mention">@Ana-Silva</span>' in rendered.html
    assert '<span class="mention">@ben.o</span>!' in rendered.html
    assert "<code>@code</code>" in rendered.html


def test_forum_mentions_are_capped():
    source = " ".join(f"@member{n}" for n in range(30))
    assert len(render_markdown(source, FORUM_POST).mentions) == 20


# ---- bios ----


def test_bio_common_markdown_renders_to_html():
    html = render_markdown("**bold** and *italic* and ~~gone~~\n\n- one\n- two", BIO).html
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<s>gone</s>" in html
    assert "<ul>" in html
    assert "<li>one</li>" in html


def test_bio_tables_render_without_inline_styles_or_classes():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |", BIO).html
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "style" not in html
    assert "class" not in html


def test_bio_images_become_links_so_member_text_loads_nothing():
    html = render_markdown("![our poster](https://example.org/poster.png)", BIO).html
    assert "<img" not in html
    assert (
        '<a href="https://example.org/poster.png" rel="nofollow ugc noopener">our poster</a>'
        in html
    )


def test_bio_headings_start_below_the_pages_own_headings():
    html = render_markdown("# Big\n\n## Smaller\n\n### Smallest", BIO).html
    assert "<h1" not in html
    assert "<h2" not in html
    assert "<h3>Big</h3>" in html
    assert "<h4>Smaller</h4>" in html
    assert "<h4>Smallest</h4>" in html


@pytest.mark.parametrize("profile", [BIO, KB_RICH_TEXT], ids=["bio", "kb_rich_text"])
def test_mentions_are_plain_text_where_the_profile_has_none(profile):
    rendered = render_markdown("Thanks @Ana-Silva", profile)
    assert rendered.mentions == ()
    assert rendered.html == "<p>Thanks @Ana-Silva</p>\n"


# ---- KB rich text ----


def test_kb_uses_the_elements_wagtail_rich_text_stores():
    html = render_markdown("**bold** and *italic* and __strong__ _em_", KB_RICH_TEXT).html
    assert html == "<p><b>bold</b> and <i>italic</i> and <b>strong</b> <i>em</i></p>\n"


def test_kb_headings_sit_under_the_pages_section_headings():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n###### Six", KB_RICH_TEXT).html
    assert [tag for tag, _ in elements(html)] == ["h3", "h4", "h4", "h4"]


def test_kb_lists_quotes_and_links_render():
    html = render_markdown(
        "1. first\n2. second\n\n- a\n- b\n\n> quoted\n\n[guide](https://example.org/g)",
        KB_RICH_TEXT,
    ).html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert "<ul>\n<li>a</li>" in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert '<a href="https://example.org/g" rel="nofollow ugc noopener">guide</a>' in html


def test_kb_images_become_links_instead_of_vanishing():
    html = render_markdown("![pic](https://example.org/p.png)", KB_RICH_TEXT).html
    assert html == (
        '<p><a href="https://example.org/p.png" rel="nofollow ugc noopener">pic</a></p>\n'
    )


def test_kb_drops_what_the_rich_text_editor_cannot_edit_but_keeps_the_words():
    html = render_markdown(
        "`code` ~~old~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n3. starts at three",
        KB_RICH_TEXT,
    ).html
    assert {tag for tag, _ in elements(html)} <= {"p", "ol", "li"}
    assert "code" in html
    assert "~~old~~" in html
    assert "| 1 | 2 |" in html
    assert "<ol>" in html  # no start attribute: Wagtail would drop it


def test_kb_typography_uses_curly_quotes_and_dashes():
    html = render_markdown('"Plain language" -- always', KB_RICH_TEXT).html
    assert html == "<p>\u201cPlain language\u201d \u2013 always</p>\n"


# ---- profile contracts ----


@pytest.mark.parametrize(
    "changes",
    [
        {"headings": (2, 4)},  # h2 not in the allow-list
        {"headings": (4, 3)},
        {"images": Images.SITE_UPLOADS},  # no img allowed
        {"mentions": True},  # no span.mention allowed
        {"renames": {"strong": "b"}},  # b not allowed
    ],
)
def test_a_profile_that_would_emit_what_it_does_not_allow_is_refused(changes):
    fields = {
        "name": "test",
        "tags": frozenset({"p", "a", "h3", "h4", "strong"}),
        "attributes": {"a": frozenset({"href"})},
        "headings": (3, 4),
        "images": Images.LINK,
    }
    Profile(**fields)
    with pytest.raises(ValueError, match="emits what it does not allow"):
        Profile(**(fields | changes))
