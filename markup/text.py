"""Plain text a member typed, made safe to store on every supported database.

PostgreSQL refuses NUL in text columns and the other C0 controls only ever arrive by
accident or malice, so every service that stores member text runs it through here, whatever
the form in front of it already checked. Tab and newline are kept; single-line fields fold
all whitespace to single spaces.
"""

import re

# C0 controls except tab and newline, and DEL. Carriage returns are normalised, not dropped.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def multiline_text(text: str | None) -> str:
    """``text`` with ``\\n`` line ends, no control characters, no leading blank lines and no
    trailing whitespace. The first line keeps its indentation: in Markdown it means code."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_BLANK_LINES.sub("", _CONTROL_CHARACTERS.sub("", text)).rstrip()


def single_line_text(text: str | None) -> str:
    """``text`` on one line: control characters dropped, whitespace runs folded to a space."""
    return " ".join(_CONTROL_CHARACTERS.sub("", text or "").split())
