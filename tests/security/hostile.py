"""The hostile-input corpus and the check that rendered output holds no script-capable construct.

The corpus is tests/markup/data/xss_vectors.json (the markup module's own tests use it) plus
tests/security/data/hostile_inputs_extra.json: OWASP filter-evasion vectors, SVG and MathML,
javascript:/vbscript:/data: URLs with entity encodings and invisible characters,
protocol-relative URLs, broken nesting, CSS, event handlers, template injection and CR/LF
header injection. Add a vector by adding an entry ``{"name": ..., "input": ...}`` to the extra
file; every surface in tests/security/test_xss_surfaces.py picks it up.

``script_capable_constructs(html)`` parses a whole page (or fragment) as a browser would,
entity references decoded, and lists every construct that could run script. The site's own
scripts are recognised: ``<script src>`` from /static/ or /jsi18n/ with no inline body, and
``application/ld+json`` blocks that parse as JSON.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKUP_CORPUS = ROOT / "tests" / "markup" / "data" / "xss_vectors.json"
EXTRA_CORPUS = Path(__file__).parent / "data" / "hostile_inputs_extra.json"


def load_corpus() -> list[dict]:
    """Every hostile input once (by name), markup corpus first."""
    seen: dict[str, dict] = {}
    for path in (MARKUP_CORPUS, EXTRA_CORPUS):
        for vector in json.loads(path.read_text()):
            seen.setdefault(vector["name"], vector)
    return list(seen.values())


CORPUS = load_corpus()
INPUTS = [vector["input"] for vector in CORPUS]

FORBIDDEN_TAGS = {
    "applet",
    "base",
    "bgsound",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "import",
    "object",
    "param",
    "portal",
    "xml",
}
# Elements that may only appear when the page's own templates put them there; user text
# that becomes one of these is a finding even without handlers.
SCRIPTING_NAMESPACE_TAGS = {"svg", "math", "foreignobject", "animate", "set", "use", "handler"}
URL_ATTRIBUTES = {
    "action",
    "background",
    "cite",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "lowsrc",
    "ping",
    "poster",
    "src",
    "srcdoc",
    "srcset",
    "xlink:href",
    "codebase",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text", "data:application")
DANGEROUS_SCHEMES_ANYWHERE = ("javascript:", "vbscript:")
CSS_DANGERS = re.compile(
    r"expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:|@import", re.I
)
SITE_SCRIPT_PREFIXES = ("/static/", "/jsi18n/")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028-\u202e\u2060\ufeff]")


def squash_url(value: str) -> str:
    """The URL as a browser's scheme check sees it: no whitespace, controls or invisible
    characters, lower case. (Browsers do not percent-decode a scheme: ``javascript%3A`` is a
    relative path.)"""
    return _INVISIBLE.sub("", value).lower()


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6})\s?|\\(.)", re.I)


def css_as_parsed(value: str) -> str:
    """CSS with comments removed and escapes resolved, as a browser reads it."""
    value = _CSS_COMMENT.sub("", value)

    def unescape(match):
        if match.group(1):
            return chr(int(match.group(1), 16))
        return match.group(2)

    return squash_url(_CSS_ESCAPE.sub(unescape, value))


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._open_script: dict | None = None
        self._open_style = False
        self._script_text: list[str] = []
        self._style_text: list[str] = []
        self.script_tags = 0

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"<{tag}> element")
        if tag in SCRIPTING_NAMESPACE_TAGS:
            self.findings.append(f"<{tag}> element (SVG/MathML from user text)")
        if tag == "meta" and attributes.get("http-equiv", "").lower() in ("refresh", "link"):
            self.findings.append(f"<meta http-equiv={attributes['http-equiv']}>")
        if tag == "link" and attributes.get("rel", "").lower() == "import":
            self.findings.append("<link rel=import>")
        if tag == "link":
            href = squash_url(attributes.get("href", ""))
            if href and not href.startswith("/") or href.startswith("//"):
                if "stylesheet" in attributes.get("rel", "").lower():
                    self.findings.append(f"third-party stylesheet {href!r}")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.findings.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES:
                squashed = squash_url(value)
                parts = [squashed] if name != "srcset" else squashed.split(",")
                for part in parts:
                    if part.startswith(DANGEROUS_SCHEMES) or any(
                        scheme in part for scheme in DANGEROUS_SCHEMES_ANYWHERE
                    ):
                        self.findings.append(f"{name}={value!r} on <{tag}>")
                if name == "srcdoc":
                    self.findings.append(f"srcdoc on <{tag}>")
                if name in ("href", "src", "action", "formaction") and tag != "link":
                    if squashed.startswith(("//", "/\\", "\\")):
                        self.findings.append(f"protocol-relative {name}={value!r} on <{tag}>")
            if name == "style" and CSS_DANGERS.search(css_as_parsed(value)):
                self.findings.append(f"style={value!r} on <{tag}>")
            if name in ("ng-app", "v-html", "dataformatas", "datasrc"):
                self.findings.append(f"{name} attribute on <{tag}>")
        if tag == "script":
            self.script_tags += 1
            self._open_script = attributes
            self._script_text = []
        if tag == "style":
            self._open_style = True
            self._style_text = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() == "script":
            self.handle_endtag("script")

    def handle_data(self, data):
        if self._open_script is not None:
            self._script_text.append(data)
        elif self._open_style:
            self._style_text.append(data)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag == "script" and self._open_script is not None:
            self._check_script(self._open_script, "".join(self._script_text))
            self._open_script = None
        if tag == "style" and self._open_style:
            self.findings.append("inline <style> element")
            self._open_style = False

    def _check_script(self, attributes: dict, body: str) -> None:
        src = attributes.get("src", "")
        kind = attributes.get("type", "").lower()
        if kind == "application/ld+json" and not src:
            try:
                json.loads(body)
            except ValueError:
                self.findings.append(f"application/ld+json that is not JSON: {body[:120]!r}")
            if "</" in body.lower() or "<!--" in body:
                self.findings.append("markup inside a JSON-LD block")
            return
        if src.startswith(SITE_SCRIPT_PREFIXES) and not body.strip():
            return
        self.findings.append(f"<script src={src!r} type={kind!r}> with {body[:80]!r}")

    def close(self):
        super().close()
        if self._open_script is not None:
            self.findings.append("unterminated <script>")


# Raw-text checks besides the parser, for parser differentials (``<!-->`` ends a comment in
# a browser but not in every parser): a tag that opens a script context or carries a handler.
_RAW_DANGEROUS_TAG = re.compile(
    r"<(?:iframe|object|embed|svg|math|base|frame|frameset|applet|meta\s+http-equiv)\b", re.I
)
_RAW_HANDLER = re.compile(r"<[a-z][^<>]*[\s/\"'`]on[a-z]+\s*=", re.I)
_QUOTED_VALUE = re.compile(r"=\s*(?:\"[^\"]*\"|'[^']*')")
_RAW_SCRIPT = re.compile(r"<script\b", re.I)


def script_capable_constructs(html: str) -> list[str]:
    """Every construct in ``html`` that could run script or restyle the page from user text."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    findings = collector.findings
    findings += [f"raw {m.group(0)!r}" for m in _RAW_DANGEROUS_TAG.finditer(html)]
    unquoted = _QUOTED_VALUE.sub('=""', html)
    findings += [f"raw handler {m.group(0)[-60:]!r}" for m in _RAW_HANDLER.finditer(unquoted)]
    if len(_RAW_SCRIPT.findall(html)) != collector.script_tags:
        findings.append("a <script that the parser did not see as a script element")
    return findings


def assert_no_script_capable_construct(html: str, where: str) -> None:
    findings = script_capable_constructs(html)
    assert not findings, f"{where}: " + "; ".join(sorted(set(findings))[:20])


def assert_plain_header(value: str, where: str) -> None:
    """A mail header value on one line: CR/LF in user text must not start a new header."""
    assert "\r" not in value, f"{where}: header split {value!r}"
    assert "\n" not in value, f"{where}: header split {value!r}"


SURFACES_TRIED: dict[str, int] = {}
"""surface name -> hostile inputs pushed through it, for the run summary (conftest prints it)."""


def record_surface(name: str, count: int) -> None:
    SURFACES_TRIED[name] = SURFACES_TRIED.get(name, 0) + count


# -- email ----------------------------------------------------------------------------------

EMAIL_HEADERS = {
    "content-type",
    "mime-version",
    "content-transfer-encoding",
    "subject",
    "from",
    "to",
    "date",
    "message-id",
    "auto-submitted",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "x-pcc-notification",
    "x-pcc-digest",
}
# Markup the product itself generates (Markdown output, highlighting, entity escaping): none
# of it may reach a text/plain part, where a reader would see it as literal tags and entities.
_PRODUCT_MARKUP = re.compile(
    r"<(?:p|/p|a\s|/a|br|mark|/mark|em|strong|code|pre|blockquote|ul|ol|li)\b|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);",
    re.I,
)


def assert_safe_email(message, *, recipient_email: str, member_text: list[str], where: str):
    """One sent email (``django.core.mail.EmailMessage``) as the receiving client parses it:
    only the expected headers, each on one line (no CR/LF from user text opening a new
    header or a new MIME part), addressed to the recipient alone; a text/plain part and
    optionally a text/html part, nothing else. The HTML part holds no script-capable
    construct. The text part is never rendered as HTML by a client (its Content-Type is
    text/plain); it shows the members' own text as they typed it (``member_text``: the stored
    plain-text values the email quotes), and around that text it holds no markup of the
    product's own (no tags from rendered Markdown, no HTML entities)."""
    from email import message_from_bytes, policy

    assert_plain_header(message.subject, f"{where}: subject")
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    names = {name.lower() for name in parsed.keys()}
    assert names <= EMAIL_HEADERS, f"{where}: unexpected headers {names - EMAIL_HEADERS}"
    for name, value in parsed.items():
        assert_plain_header(str(value), f"{where}: header {name}")
    assert [a.addr_spec for a in parsed["to"].addresses] == [recipient_email], where
    assert parsed.get("cc") is None, where
    assert parsed.get("bcc") is None, where
    kinds = []
    for part in parsed.walk():
        if part.is_multipart():
            assert part.get_content_type() == "multipart/alternative", where
            continue
        kind = part.get_content_type()
        kinds.append(kind)
        content = part.get_content()
        if kind == "text/html":
            assert_no_script_capable_construct(content, f"{where}: HTML part")
        else:
            assert kind == "text/plain", f"{where}: a {kind} part"
            # Compared with whitespace collapsed (MIME encoding normalises line ends).
            around = " ".join(content.split())
            quoted = {" ".join(t.split()) for t in member_text}
            for text in sorted(quoted - {""}, key=len, reverse=True):
                around = around.replace(text, " ")
            leftovers = _PRODUCT_MARKUP.findall(around)
            assert not leftovers, (
                f"{where}: product markup in the text part {leftovers[:5]} in {around[:800]!r}"
            )
            assert not script_capable_constructs(around), (
                f"{where}: text part around member text: {script_capable_constructs(around)[:5]}"
            )
    assert kinds[0] == "text/plain", where
    assert set(kinds) <= {"text/plain", "text/html"}, where
    assert len(kinds) == len(set(kinds)), f"{where}: parts {kinds}"
