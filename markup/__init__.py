"""Markdown written by members, turned into the sanitised HTML that is stored.

The one Markdown pipeline of the project (``markup.rendering``), with one frozen profile per
use (``markup.profiles``: ``BIO``, ``KB_RICH_TEXT``, ``FORUM_POST``) and the helpers that
write Markdown source (``markup.quoting``). It sits at the bottom layer and imports nothing
from the project's apps::

    from markup import BIO, render_markdown

    profile.bio_html = render_markdown(profile.bio, BIO).html
"""

from markup.profiles import BIO, FORUM_POST, KB_RICH_TEXT, Images, Profile
from markup.quoting import quote_markdown
from markup.rendering import RenderedMarkdown, render_markdown, sanitize_html
from markup.text import multiline_text, single_line_text

__all__ = [
    "BIO",
    "FORUM_POST",
    "KB_RICH_TEXT",
    "Images",
    "Profile",
    "RenderedMarkdown",
    "multiline_text",
    "quote_markdown",
    "render_markdown",
    "sanitize_html",
    "single_line_text",
]
