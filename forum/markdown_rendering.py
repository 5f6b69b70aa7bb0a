"""The forum's Markdown pipeline: source text in, safe HTML out.

Posts are rendered ONCE, when a service saves them, and the HTML is stored in
``Post.body_html``; the preview endpoint calls the same ``render_markdown``. Pages never render
Markdown.

Two layers, so that a mistake in one is caught by the other:

1. markdown-it-py: CommonMark plus tables, strikethrough and linkify (linkify-it-py). Raw HTML
   is off, so ``<script>`` in a post is printed as text. Token rules then
   - shift headings down two levels (a post's "# Heading" becomes <h3>: the page owns h1/h2),
   - turn table alignment (an inline ``style``) into a class, since the site allows no inline
     styles,
   - keep images only when they come from this site's uploads (``MEDIA_URL``); any other image
     becomes a plain link to it, so reading a post never loads third-party content,
   - recognise ``@display-name`` mentions outside code and links.
2. nh3 (ammonia) with an explicit allow-list of tags, attributes, classes and URL schemes
   (http, https, mailto). Links get ``rel="nofollow ugc noopener"``.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from members.markdown_rendering import ALLOWED_URL_SCHEMES, LINK_REL

HEADING_SHIFT = 2
TABLE_ALIGN_CLASSES = frozenset({"align-left", "align-center", "align-right"})
MAX_MENTIONS = 20

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {
    "th": set(TABLE_ALIGN_CLASSES),
    "td": set(TABLE_ALIGN_CLASSES),
    "span": {"mention"},
}

# "@" not preceded by a word character, "@" or "/" (so e-mail addresses and URLs are left
# alone), then a handle of letters/digits joined by ".", "-" or "_", ending in a letter or digit.
MENTION_PATTERN = re.compile(r"(?<![\w@/])@([^\W_](?:[\w.-]{0,78}[^\W_])?)")
_TABLE_ALIGN_STYLE = re.compile(r"^text-align:\s*(left|center|right)$")


@dataclass(frozen=True)
class RenderedMarkdown:
    """Sanitised HTML and the mention handles found, lower-cased, in order of appearance."""

    html: str
    mentions: tuple[str, ...]


def render_markdown(source: str) -> RenderedMarkdown:
    """Render a post's Markdown to sanitised HTML. Pure: no database access."""
    env: EnvType = {"mentions": []}
    html = sanitize_html(_markdown().render(source, env))
    mentions = tuple(dict.fromkeys(env["mentions"]))[:MAX_MENTIONS]
    return RenderedMarkdown(html=html, mentions=mentions)


def sanitize_html(html: str) -> str:
    """The second layer on its own: reduce any HTML to the forum's allow-list."""
    return _cleaner(settings.MEDIA_URL).clean(html)


def mention_handle(display_name: str) -> str:
    """The handle that mentions a member: their display name with runs of spaces as "-".

    "Mara Member" is mentioned as ``@Mara-Member`` (matching ignores case).
    """
    return re.sub(r"[\s]+", "-", display_name.strip())


def quote_markdown(*, author_name: str, permalink: str, source: str) -> str:
    """A Markdown block quote of ``source`` with an attribution line linking to the post."""
    attribution = f"> **[{escape_markdown_text(author_name)}]({permalink}) wrote:**"
    lines = source.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"{attribution}\n>\n{quoted}\n\n"


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+!|~@-])")


def escape_markdown_text(text: str) -> str:
    """Backslash-escape Markdown punctuation so ``text`` renders literally."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))


def is_site_upload_url(url: str, media_url: str | None = None) -> bool:
    """True for a URL that points inside this site's uploads (``MEDIA_URL``)."""
    media_url = media_url if media_url is not None else settings.MEDIA_URL
    if not url or not media_url or "\\" in url or any(ord(c) < 0x21 for c in url):
        return False
    if not url.startswith(media_url):
        return False
    parts = urlsplit(url)
    if media_url.startswith("/") and (parts.scheme or parts.netloc):
        return False
    path_segments = unquote(parts.path).split("/")
    return ".." not in path_segments and "." not in path_segments


# ---- markdown-it-py configuration ----


@functools.cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.core.ruler.push("pcc_headings", _shift_headings)
    md.core.ruler.push("pcc_table_alignment", _table_alignment_classes)
    md.core.ruler.push("pcc_images", _site_images_only)
    md.core.ruler.push("pcc_mentions", _mentions)
    md.add_render_rule("mention", _render_mention)
    return md


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"


def _table_alignment_classes(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            style = str(token.attrs.pop("style", ""))
            match = _TABLE_ALIGN_STYLE.match(style)
            if match:
                token.attrSet("class", f"align-{match.group(1)}")


def _site_images_only(state: StateCore) -> None:
    """Keep images hosted in this site's uploads; turn any other image into a link to it."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for token in block.children:
            if token.type != "image" or is_site_upload_url(str(token.attrGet("src") or "")):
                children.append(token)
                continue
            src = str(token.attrGet("src") or "")
            label = token.content or "image"
            text = Token("text", "", 0, content=f"Image: {label}")
            if urlsplit(src).scheme in ("http", "https"):
                link_open = Token("link_open", "a", 1, attrs={"href": src})
                link_close = Token("link_close", "a", -1)
                children.extend([link_open, text, link_close])
            else:
                children.append(text)
        block.children = children


def _mentions(state: StateCore) -> None:
    """Split text tokens (outside links) around ``@handle`` into mention tokens."""
    found: list[str] = state.env.setdefault("mentions", [])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth > 0 or "@" not in token.content:
                children.append(token)
                continue
            cursor = 0
            for match in MENTION_PATTERN.finditer(token.content):
                if match.start() > cursor:
                    children.append(
                        Token("text", "", 0, content=token.content[cursor : match.start()])
                    )
                handle = match.group(1)
                children.append(Token("mention", "span", 0, content=handle))
                found.append(handle.lower())
                cursor = match.end()
            if cursor < len(token.content):
                children.append(Token("text", "", 0, content=token.content[cursor:]))
        block.children = children


def _render_mention(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    from markdown_it.common.utils import escapeHtml

    return f'<span class="mention">@{escapeHtml(tokens[idx].content)}</span>'


# ---- nh3 ----


@functools.cache
def _cleaner(media_url: str) -> nh3.Cleaner:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if is_site_upload_url(value, media_url) else None
        if tag == "ol" and attribute == "start":
            return value if value.isdigit() and len(value) <= 9 else None
        return value

    def relative_url(url: str) -> str | None:
        # "//host/x" and "/\host/x" are relative to nh3 but leave the site in browsers.
        if url.startswith("//") or "\\" in url:
            return None
        return url

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        url_relative=relative_url,
    )
