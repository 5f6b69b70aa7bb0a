"""Markdown to safe HTML, for text members write (profile bios; reusable elsewhere).

``sanitize_html`` and the link policy (``ALLOWED_URL_SCHEMES``, ``LINK_REL``) are the one
place that policy is defined: the KB and forum pipelines keep their own tag allow-lists but
clean through them.

``render_markdown`` is called once, when the text is saved; templates print the stored result
with ``|safe``. Two layers keep it safe: markdown-it runs with raw HTML off and only http(s)
and mailto links, then nh3 (an HTML sanitiser) enforces a small allow-list of tags and
attributes and sets ``rel="nofollow ugc noopener"`` on every link. Images become links to the
image: member text never makes the browser fetch anything.
"""

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "em", "h3", "h4", "hr", "li", "ol", "p",
        "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _render_image_as_link(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = token.attrGet("src") or ""
    alt = self.renderInline(token.children or [], options, env) or escape_html(href)
    return f'<a href="{escape_html(href)}">{alt}</a>'


def _demote_headings(state) -> None:
    """Member text sits under the page's own h1 and h2: its headings start at h3."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(level + 2, 4)}"


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    parser.validateLink = _is_allowed_url
    parser.add_render_rule("image", _render_image_as_link)
    parser.core.ruler.push("demote_headings", _demote_headings)
    return parser


def _is_allowed_url(url: str) -> bool:
    """Only http, https and mailto links, or relative links within the site."""
    scheme, separator, _ = url.partition(":")
    if not separator or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # relative URL: no scheme at all
    return scheme.strip().lower() in ALLOWED_URL_SCHEMES


def render_markdown(source: str) -> str:
    """Return sanitised HTML for ``source`` (CommonMark, tables, strikethrough, bare links).

    The empty string renders to the empty string. Raw HTML in the source is shown as text.
    """
    if not source or not source.strip():
        return ""
    return sanitize_html(_parser().render(source))


def sanitize_html(
    html: str,
    *,
    tags: frozenset[str] | set[str] = ALLOWED_TAGS,
    attributes: dict[str, set[str]] | None = None,
) -> str:
    """Reduce ``html`` to ``tags``/``attributes`` (default: this module's allow-lists) with the
    project's link policy: http, https and mailto only, ``rel="nofollow ugc noopener"``."""
    attributes = ALLOWED_ATTRIBUTES if attributes is None else attributes
    return nh3.clean(
        html,
        tags=set(tags),
        attributes={tag: set(names) for tag, names in attributes.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
