"""Member Markdown to stored, sanitised HTML (rendered once, at save time; design rule 8).

The output uses only elements Wagtail's rich-text editor understands (paragraphs, h2-h4,
lists, bold, italic, links, block quotes, line breaks), so editors can keep editing a
submitted page in the admin. Raw HTML in the source is shown as text, and nh3 removes
anything else (scripts, event handlers, javascript: URLs) as a second line of defence.
"""

import re

from markdown_it import MarkdownIt

from members.markdown_rendering import sanitize_html

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "b", "i", "a", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": True}).enable(
    ["linkify", "replacements", "smartquotes"]
)
# Headings start at h2 (the page title is the h1); deeper ones stop at h4. Strong/em become
# the b/i elements Wagtail's rich text stores.
_TAG_RENAMES = [
    (re.compile(r"<(/?)h1>"), r"<\1h2>"),
    (re.compile(r"<(/?)h[56]>"), r"<\1h4>"),
    (re.compile(r"<(/?)strong>"), r"<\1b>"),
    (re.compile(r"<(/?)em>"), r"<\1i>"),
]


def render_markdown(source: str) -> str:
    """Sanitised HTML for ``source``; an empty string for blank input."""
    if not source or not source.strip():
        return ""
    html = _markdown.render(source)
    for pattern, replacement in _TAG_RENAMES:
        html = pattern.sub(replacement, html)
    return sanitize_html(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


def clean_plain_text(value: str, *, multiline: bool = False) -> str:
    """Trim and drop control characters from a plain-text field (templates escape the rest)."""
    allowed = "\n\t" if multiline else ""
    value = "".join(ch for ch in value if ch.isprintable() or ch in allowed)
    return value.strip()
