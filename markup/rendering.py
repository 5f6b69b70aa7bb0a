"""Member Markdown to sanitised HTML: the one pipeline, and the only module that calls nh3.

Text is rendered ONCE, when a service saves it, and the HTML is stored; templates print the
stored HTML. Two layers, so that a mistake in one is caught by the other:

1. markdown-it-py: CommonMark plus linkify, and tables/strikethrough where the profile keeps
   their tags. Raw HTML is off, so ``<script>`` in the source is printed as text. Token rules
   then apply the profile: heading range, element renames, table alignment as a class (the
   site allows no inline styles), the image policy and ``@mention`` recognition.
2. nh3 (ammonia), one cached ``Cleaner`` per profile: the profile's tags, attributes and
   classes, the link policy below, ``rel="nofollow ugc noopener"`` on every link.

The link policy is the same for every profile: http, https and mailto, or a URL relative to
this site. A protocol-relative ``//host/...`` (and anything with a backslash, which browsers
read as "/") leaves the site while looking relative; it is refused, never rewritten to
https: in the source it stays visible as text, and in HTML the sanitiser drops the href.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext

from markup.profiles import Images, Profile

if TYPE_CHECKING:
    # markdown-it-py and nh3 are imported where a render first needs them: a worker that only
    # reads pages (stored HTML) never loads them (about 8 MB of its memory).
    import nh3
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MAX_MENTIONS = 20

# "@" not preceded by a word character, "@" or "/" (so e-mail addresses and URLs are left
# alone), then a handle of letters/digits joined by ".", "-" or "_", ending in a letter or digit.
MENTION_PATTERN = re.compile(r"(?<![\w@/])@([^\W_](?:[\w.-]{0,78}[^\W_])?)")
_TABLE_ALIGN_STYLE = re.compile(r"^text-align:\s*(left|center|right)$")
# What browsers ignore in a URL before reading it: leading/trailing C0 controls and spaces,
# and tabs/newlines anywhere.
_URL_IGNORED = re.compile(r"[\x00-\x20]")


@dataclass(frozen=True)
class RenderedMarkdown:
    """Sanitised HTML, and the ``@mention`` handles found (lower-cased, first appearance first,
    at most ``MAX_MENTIONS``; always empty for a profile without mentions)."""

    html: str
    mentions: tuple[str, ...] = ()


def render_markdown(source: str, profile: Profile) -> RenderedMarkdown:
    """Render ``source`` under ``profile``. Pure: no database access.

    Blank source renders to the empty string. Mentions are only found, not resolved: which
    member a handle names is the caller's business (the forum records them after saving).
    """
    if not source or not source.strip():
        return RenderedMarkdown(html="")
    env: EnvType = {"mentions": [], "media_url": settings.MEDIA_URL}
    html = sanitize_html(_parser(profile).render(source, env), profile)
    mentions = tuple(dict.fromkeys(env["mentions"]))[:MAX_MENTIONS]
    return RenderedMarkdown(html=html, mentions=mentions)


def sanitize_html(html: str, profile: Profile) -> str:
    """The second layer on its own: reduce any HTML to ``profile`` and the link policy."""
    return _cleaner(profile, settings.MEDIA_URL).clean(html)


def is_allowed_url(url: str) -> bool:
    """The link policy: http, https or mailto, or relative within this site (not ``//host``)."""
    url = _URL_IGNORED.sub("", url)
    if url.startswith("//") or "\\" in url:
        return False
    scheme, separator, _ = url.partition(":")
    if not separator or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # relative URL: no scheme at all
    return scheme.lower() in ALLOWED_URL_SCHEMES


def is_site_upload_url(url: str, media_url: str) -> bool:
    """True for a URL that points inside this site's uploads (``media_url``, from settings)."""
    if not url or not media_url or "\\" in url or any(ord(c) < 0x21 for c in url):
        return False
    if not url.startswith(media_url):
        return False
    parts = urlsplit(url)
    if media_url.startswith("/") and (parts.scheme or parts.netloc):
        return False
    path_segments = unquote(parts.path).split("/")
    return ".." not in path_segments and "." not in path_segments


# ---- markdown-it-py ----


@functools.cache
def _parser(profile: Profile) -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": True, "typographer": profile.typographer}
    )
    md.enable(["linkify"])
    if "table" in profile.tags:
        md.enable(["table"])
    if {"s", "del"} & profile.tags:
        md.enable(["strikethrough"])
    if profile.typographer:
        md.enable(["replacements", "smartquotes"])
    md.validateLink = is_allowed_url
    md.core.ruler.push("pcc_elements", _element_rule(profile))
    md.core.ruler.push("pcc_images", _image_rule(profile))
    if profile.mentions:
        md.core.ruler.push("pcc_mentions", _mentions)
        md.add_render_rule("mention", _render_mention)
    return md


def _element_rule(profile: Profile) -> Callable[[StateCore], None]:
    """Headings into the profile's range, table alignment as a class, renamed elements."""
    first, last = profile.headings
    renames = dict(profile.renames)

    def rule(state: StateCore) -> None:
        for token in state.tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + first - 1, last)}"
            elif token.type in ("th_open", "td_open") and token.attrs:
                match = _TABLE_ALIGN_STYLE.match(str(token.attrs.pop("style", "")))
                if match:
                    token.attrSet("class", f"align-{match.group(1)}")
            elif renames and token.type == "inline" and token.children:
                for child in token.children:
                    child.tag = renames.get(child.tag, child.tag)

    return rule


def _image_rule(profile: Profile) -> Callable[[StateCore], None]:
    """Images the profile does not keep become a link to the image when it is an absolute
    http(s) URL, or else just their label: a relative ``src`` that is not an upload points
    into the site itself, where a picture has nothing to link to."""
    keep_uploads = profile.images is Images.SITE_UPLOADS

    def rule(state: StateCore) -> None:
        from markdown_it.token import Token

        media_url = state.env["media_url"]
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            if not any(token.type == "image" for token in block.children):
                continue
            children: list[Token] = []
            for token in block.children:
                src = str(token.attrGet("src") or "") if token.type == "image" else ""
                if token.type != "image" or (keep_uploads and is_site_upload_url(src, media_url)):
                    children.append(token)
                    continue
                alt = state.md.renderer.renderInlineAsText(
                    token.children, state.md.options, state.env
                )
                label = alt or src
                if keep_uploads:
                    label = gettext("Image: %(label)s") % {"label": label}
                text = Token("text", "", 0, content=label)
                if urlsplit(src).scheme in ("http", "https"):
                    link_open = Token("link_open", "a", 1, attrs={"href": src})
                    children.extend([link_open, text, Token("link_close", "a", -1)])
                else:
                    children.append(text)
            block.children = children

    return rule


def _mentions(state: StateCore) -> None:
    from markdown_it.token import Token

    """Split text tokens (outside links) around ``@handle`` into mention tokens."""
    found: list[str] = state.env["mentions"]
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
def _cleaner(profile: Profile, media_url: str) -> nh3.Cleaner:
    import nh3

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "href":
            return value if is_allowed_url(value) else None
        if tag == "img" and attribute == "src":
            return value if is_site_upload_url(value, media_url) else None
        if tag == "ol" and attribute == "start":
            return value if value.isdigit() and len(value) <= 9 else None
        return value

    return nh3.Cleaner(
        tags=set(profile.tags),
        clean_content_tags={"script", "style"},
        # "*": none on every tag (ammonia would otherwise allow "lang" and "title" anywhere).
        attributes={"*": set()} | {tag: set(names) for tag, names in profile.attributes.items()},
        attribute_filter=attribute_filter,
        allowed_classes={tag: set(names) for tag, names in profile.classes.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
