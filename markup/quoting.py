"""Writing Markdown source: a quoted post for a reply form, text that must render literally."""

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+!|~@-])")


def quote_markdown(*, author_name: str, permalink: str, source: str) -> str:
    """A Markdown block quote of ``source`` with an attribution line linking to the post."""
    attribution = f"> **[{escape_markdown_text(author_name)}]({permalink}) wrote:**"
    lines = source.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"{attribution}\n>\n{quoted}\n\n"


def escape_markdown_text(text: str) -> str:
    """Backslash-escape Markdown punctuation so ``text`` renders literally."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))
