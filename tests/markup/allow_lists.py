"""Helpers for the markup tests: each profile's allow-list stated independently of the module,
so widening a profile fails a test, and a check that HTML keeps to it."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markup import BIO, FORUM_POST, KB_RICH_TEXT, Profile

_PROSE = {"a", "blockquote", "br", "li", "ol", "p", "ul"}
_TABLES = {"table", "tbody", "td", "th", "thead", "tr"}


@dataclass(frozen=True)
class Expected:
    profile: Profile
    tags: set[str]
    attributes: dict[str, set[str]]
    classes: set[str]


EXPECTED = {
    "bio": Expected(
        BIO,
        tags=_PROSE | _TABLES | {"code", "del", "em", "h3", "h4", "hr", "pre", "s", "strong"},
        attributes={"a": {"href", "title", "rel"}, "ol": {"start"}},
        classes=set(),
    ),
    "kb_rich_text": Expected(
        KB_RICH_TEXT,
        tags=_PROSE | {"b", "i", "h3", "h4"},
        attributes={"a": {"href", "rel"}},
        classes=set(),
    ),
    "forum_post": Expected(
        FORUM_POST,
        tags=_PROSE
        | _TABLES
        | {"code", "del", "em", "h3", "h4", "h5", "h6", "hr", "img", "pre", "s", "span"}
        | {"strong"},
        attributes={
            "a": {"href", "title", "rel"},
            "img": {"src", "alt", "title"},
            "ol": {"start"},
            "th": {"class"},
            "td": {"class"},
            "span": {"class"},
        },
        classes={"align-left", "align-center", "align-right", "mention"},
    ),
}


class ElementCollector(HTMLParser):
    """Every start tag with its attributes, entity references decoded as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def assert_safe(html: str, expected: Expected) -> None:
    """``html`` keeps to the profile's allow-list and to the link policy."""
    for tag, attrs in elements(html):
        assert tag in expected.tags, f"tag <{tag}> passed: {html!r}"
        unexpected = set(attrs) - expected.attributes.get(tag, set())
        assert not unexpected, f"attributes {unexpected} on <{tag}> passed: {html!r}"
        for name, value in attrs.items():
            value = value or ""
            assert not name.startswith("on"), html
            if name == "class":
                assert set(value.split()) <= expected.classes, html
            if name == "href":
                squashed = "".join(ch for ch in value if ch > " ").lower()
                scheme = urlsplit(squashed).scheme
                assert scheme in ("", "http", "https", "mailto"), f"href {value!r}: {html!r}"
                assert not squashed.startswith("//"), html
                assert "\\" not in squashed, html
            if name == "src":
                assert value.startswith("/media/"), f"img src {value!r} passed: {html!r}"
                assert "/../" not in value, html
                assert "//" not in value, html
            if name == "rel":
                assert value == "nofollow ugc noopener", html
