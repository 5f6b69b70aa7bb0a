"""Reading the strings of static/js/*.js: which reach the page untranslated, which are msgids.

A deliberately simple scanner, not a JavaScript parser. It blanks comments and string
literals out of the source (so brackets and keywords are found only in code), then:

* **wrapped** strings are those inside a ``gettext(...)``, ``ngettext(...)``, ``pgettext(...)``
  or ``npgettext(...)`` call;
* a **sink** is where text reaches the page: assignment to ``textContent``, ``innerText``,
  ``innerHTML``, ``outerHTML``, ``title``, ``placeholder``, ``alt``, ``ariaLabel``;
  ``setAttribute()`` of ``aria-label``, ``title``, ``placeholder``, ``alt`` and the like;
  ``alert()``, ``confirm()``, ``prompt()``, ``createTextNode()``, ``prepend()``,
  ``replaceChildren()``, ``insertAdjacentHTML()``/``insertAdjacentText()``, ``new Error()``
  (its message is shown). ``append()`` is left out, since ``FormData.append(name, value)``
  shares the name. An assignment's expression runs to its ``;``;
* a string with a Latin letter (outside HTML tags and ``${...}``) that is unwrapped is an
  offence when it sits in a sink, or anywhere when it reads like a sentence (a capitalised
  word, then another word): that catches text handed to a helper such as ``announce()``.

Limits, stated so nobody trusts it beyond them: regular-expression literals are not
recognised (the project's scripts avoid them), and a template literal's ``${...}`` is treated
as part of the string.
"""

import json
import re
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "static" / "js"

GETTEXT_FUNCTIONS = ("gettext", "ngettext", "pgettext", "npgettext")
# For each function, which arguments are messages (the others are a context or a count).
MESSAGE_ARGUMENTS = {"gettext": (0,), "ngettext": (0, 1), "pgettext": (1,), "npgettext": (1, 2)}
READ_ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "title",
    "placeholder",
    "alt",
    "label",
}
ASSIGNED_PROPERTIES = (
    "textContent",
    "innerText",
    "innerHTML",
    "outerHTML",
    "title",
    "placeholder",
    "alt",
    "ariaLabel",
    "ariaDescription",
    "ariaValueText",
)
CALLS_SHOWING_EVERY_ARGUMENT = (
    "alert",
    "confirm",
    "prompt",
    "createTextNode",
    "prepend",
    "replaceChildren",
    "Error",
)

_ASSIGNMENT = re.compile(rf"\.({'|'.join(ASSIGNED_PROPERTIES)})\s*(?:\+=|=(?!=))")
_CALL = re.compile(rf"\b({'|'.join(CALLS_SHOWING_EVERY_ARGUMENT)})\s*\(")
_SET_ATTRIBUTE = re.compile(r"\.setAttribute\s*\(")
_INSERT_ADJACENT = re.compile(r"\.insertAdjacent(?:HTML|Text)\s*\(")
_GETTEXT_CALL = re.compile(rf"(?<![\w$])({'|'.join(GETTEXT_FUNCTIONS)})\s*\(")
_SENTENCE = re.compile(r"\b[A-Z][a-z’']*[ ,]+[A-Za-z]")
_LATIN = re.compile(r"[A-Za-z]")
_TAG = re.compile(r"<[^>]*>|&#?\w+;")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_OPENERS, _CLOSERS = "([{", ")]}"


@dataclass(frozen=True)
class Literal:
    start: int  # offset of the opening quote
    end: int  # offset just past the closing quote
    quote: str  # ", ' or `
    raw: str  # the source between the quotes

    @property
    def value(self) -> str:
        """The string's value (JavaScript escapes decoded, well enough for messages)."""
        body = self.raw.replace("\\'", "'").replace("\\`", "`")
        if self.quote != '"':
            body = body.replace('"', '\\"')
        try:
            return json.loads(f'"{body}"')
        except json.JSONDecodeError:
            return self.raw

    @property
    def visible(self) -> str:
        """The text a person would read: without HTML tags, entities and ``${...}``."""
        return _TAG.sub(" ", _PLACEHOLDER.sub(" ", self.value))


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} ({self.why})"


@dataclass(frozen=True)
class Script:
    """One script's source, its code with comments and strings blanked, and its literals."""

    path: str
    source: str
    code: str
    literals: tuple[Literal, ...]

    @classmethod
    def read(cls, source: str, path: str = "<script>") -> "Script":
        code = list(source)
        literals: list[Literal] = []
        i, length = 0, len(source)

        def blank(start: int, end: int) -> None:
            for k in range(start, end):
                if code[k] != "\n":
                    code[k] = " "

        while i < length:
            character = source[i]
            if source.startswith("//", i):
                end = source.find("\n", i)
                end = length if end == -1 else end
                blank(i, end)
                i = end
            elif source.startswith("/*", i):
                end = source.find("*/", i + 2)
                end = length if end == -1 else end + 2
                blank(i, end)
                i = end
            elif character in "\"'`":
                j, depth = i + 1, 0
                while j < length:
                    if source[j] == "\\":
                        j += 2
                        continue
                    if character == "`" and source.startswith("${", j):
                        depth += 1
                        j += 2
                        continue
                    if depth and source[j] == "}":
                        depth -= 1
                    elif not depth and source[j] == character:
                        break
                    j += 1
                literals.append(Literal(i, j + 1, character, source[i + 1 : j]))
                blank(i + 1, j)
                i = j + 1
            else:
                i += 1
        return cls(path, source, "".join(code), tuple(literals))

    def line(self, offset: int) -> int:
        return self.source.count("\n", 0, offset) + 1

    def _closing(self, opening: int) -> int:
        """The offset of the bracket closing the one at ``opening`` (or the end of the code)."""
        depth = 0
        for k in range(opening, len(self.code)):
            if self.code[k] in _OPENERS:
                depth += 1
            elif self.code[k] in _CLOSERS:
                depth -= 1
                if depth == 0:
                    return k
        return len(self.code)

    def _statement_end(self, start: int) -> int:
        """Where an assignment's expression starting at ``start`` ends: its ``;`` or the
        bracket that closes around it."""
        depth = 0
        for k in range(start, len(self.code)):
            character = self.code[k]
            if character in _OPENERS:
                depth += 1
            elif character in _CLOSERS:
                if depth == 0:
                    return k
                depth -= 1
            elif character == ";" and depth == 0:
                return k
        return len(self.code)

    def _arguments(self, opening: int) -> list[tuple[int, int]]:
        """The (start, end) spans of the top-level arguments of the call opened at ``opening``."""
        closing = self._closing(opening)
        spans, depth, start = [], 0, opening + 1
        for k in range(opening + 1, closing):
            character = self.code[k]
            if character in _OPENERS:
                depth += 1
            elif character in _CLOSERS:
                depth -= 1
            elif character == "," and depth == 0:
                spans.append((start, k))
                start = k + 1
        if self.code[start:closing].strip():
            spans.append((start, closing))
        return spans

    def _literals_in(self, start: int, end: int) -> list[Literal]:
        return [literal for literal in self.literals if start <= literal.start < end]

    def gettext_calls(self) -> Iterator[tuple[str, list[tuple[int, int]]]]:
        """Each gettext-family call: the function's name and its arguments' spans."""
        for match in _GETTEXT_CALL.finditer(self.code):
            yield match[1], self._arguments(match.end() - 1)

    def wrapped(self) -> set[Literal]:
        found: set[Literal] = set()
        for match in _GETTEXT_CALL.finditer(self.code):
            found.update(self._literals_in(match.end(), self._closing(match.end() - 1)))
        return found

    def sinks(self) -> Iterator[tuple[str, int, int]]:
        """(description, start, end) of each expression whose text reaches the page."""
        for match in _ASSIGNMENT.finditer(self.code):
            yield f".{match[1]} =", match.end(), self._statement_end(match.end())
        for match in _CALL.finditer(self.code):
            yield f"{match[1]}()", match.end(), self._closing(match.end() - 1)
        for match in _SET_ATTRIBUTE.finditer(self.code):
            arguments = self._arguments(match.end() - 1)
            names = self._literals_in(*arguments[0]) if arguments else []
            if len(arguments) > 1 and names and names[0].value.lower() in READ_ATTRIBUTES:
                yield f'setAttribute("{names[0].value}")', arguments[1][0], arguments[-1][1]
        for match in _INSERT_ADJACENT.finditer(self.code):
            arguments = self._arguments(match.end() - 1)
            if len(arguments) > 1:
                yield "insertAdjacent…()", arguments[1][0], arguments[-1][1]

    def untranslated(self) -> list[Offence]:
        wrapped = self.wrapped()
        offences: dict[Literal, Offence] = {}
        for where, start, end in self.sinks():
            for literal in self._literals_in(start, end):
                if literal not in wrapped and _LATIN.search(literal.visible):
                    offences.setdefault(literal, self._offence(literal, f"shown by {where}"))
        for literal in self.literals:
            if literal in wrapped or literal in offences:
                continue
            if _SENTENCE.search(literal.visible):
                offences[literal] = self._offence(literal, "reads like interface text")
        for name, arguments in self.gettext_calls():
            for index in MESSAGE_ARGUMENTS[name]:
                if index < len(arguments):
                    for literal in self._literals_in(*arguments[index]):
                        if literal.quote == "`" and "${" in literal.raw:
                            offences[literal] = self._offence(
                                literal,
                                f"{name}() of a template literal cannot be extracted: "
                                "use a %(name)s placeholder and interpolate()",
                            )
        return sorted(offences.values(), key=lambda offence: offence.line)

    def _offence(self, literal: Literal, why: str) -> Offence:
        return Offence(self.path, self.line(literal.start), literal.value, why)

    def messages(self) -> Iterator[tuple[str, ...]]:
        """The msgids of the gettext-family calls, as a ``.mo`` file keys them: (msgid,) or
        (singular, plural), the first prefixed ``context\\x04`` for pgettext and npgettext."""
        for name, arguments in self.gettext_calls():
            values = []
            for index in range(len(arguments)):
                literals = self._literals_in(*arguments[index])
                values.append(literals[0].value if len(literals) == 1 else None)
            context = ""
            if name.startswith("p"):
                if not values or not values[0]:
                    continue
                context = values[0] + "\x04"
            ids = [values[i] for i in MESSAGE_ARGUMENTS[name] if i < len(values)]
            if ids and all(ids):
                yield (context + ids[0], *ids[1:])


def project_scripts() -> list[Script]:
    return [
        Script.read(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
        for path in sorted(SCRIPTS.glob("*.js"))
    ]


def write_catalogue(path: Path, messages: Iterable[tuple[str, ...]], translate) -> None:
    """Write a GNU ``.mo`` catalogue with ``translate(msgid)`` for every message (the same
    layout as CPython's Tools/i18n/msgfmt.py), with the Germanic plural rule."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    entries = {"": header}
    for ids in messages:
        key = "\x00".join(ids)
        entries[key] = "\x00".join(translate(msgid.rpartition("\x04")[2]) for msgid in ids)
    keys = sorted(entries)
    ids_blob, strs_blob, offsets = b"", b"", []
    for key in keys:
        key_bytes, value_bytes = key.encode(), entries[key].encode()
        offsets.append((len(ids_blob), len(key_bytes), len(strs_blob), len(value_bytes)))
        ids_blob += key_bytes + b"\x00"
        strs_blob += value_bytes + b"\x00"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids_blob)
    key_table, value_table = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, id_offset + key_start]
        value_table += [str_length, str_offset + value_start]
    output = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    output += struct.pack(f"<{len(key_table) + len(value_table)}I", *key_table, *value_table)
    path.write_bytes(output + ids_blob + strs_blob)


@contextmanager
def pseudo_locale_with_javascript(directory: Path) -> Iterator[str]:
    """Install the pseudo-locale of tests/config/test_translations.py, with a ``djangojs``
    catalogue as well: JavaScriptCatalog builds its own translation object from the
    ``djangojs.mo`` files of the locale paths, so the wrapping catalogue object used for the
    templates does not reach it. The ``.mo`` file translates every msgid of static/js/*.js by
    wrapping it in the markers. The cache is cleared around it (the catalogue view is cached).
    """
    from django.core.cache import cache
    from django.test import override_settings
    from django.utils import translation
    from django.utils.translation import trans_real

    from tests.config.test_translations import CLOSE, OPEN, PSEUDO_LANGUAGE, PseudoTranslation

    messages = directory / "locale" / "en_XA" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.mo").write_bytes(b"")  # only its existence is checked
    ids = {msgids for script in project_scripts() for msgids in script.messages()}
    write_catalogue(messages / "djangojs.mo", sorted(ids), lambda text: f"{OPEN}{text}{CLOSE}")
    languages = [("en", "English"), (PSEUDO_LANGUAGE, "Pseudo-English")]
    cache.clear()
    with override_settings(LANGUAGES=languages, LOCALE_PATHS=[directory / "locale"]):
        trans_real._translations[PSEUDO_LANGUAGE] = PseudoTranslation(PSEUDO_LANGUAGE)
        try:
            yield PSEUDO_LANGUAGE
        finally:
            translation.deactivate()
            trans_real._translations.pop(PSEUDO_LANGUAGE, None)
            cache.clear()
