"""What each kind of member text may contain: one frozen ``Profile`` per use.

A profile is the whole difference between the places Markdown is written; the pipeline in
``markup.rendering`` (one parser set-up, one link policy, one sanitiser step) is shared. A tag that
is not in a profile's allow-list never reaches the page, whatever the source says, and the
parser only enables the syntax whose tags the profile keeps (tables, strikethrough). The
profiles side by side: ``markup/README.md``.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Images(enum.Enum):
    """What becomes of ``![alt](src)``."""

    #: Every image becomes a link to it (http/https only, else plain text), labelled by its
    #: alt text: the text makes the browser fetch nothing.
    LINK = "link"
    #: Images in this site's uploads (``MEDIA_URL``) stay ``<img>``; any other is handled as
    #: for ``LINK`` but labelled "Image: <alt>", so a reader never loads third-party content
    #: and can tell the link from the pictures around it.
    SITE_UPLOADS = "site_uploads"


def _frozen(mapping: Mapping[str, frozenset[str] | str]) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class Profile:
    """The allow-list and rules for one kind of member text.

    ``headings`` is ``(first, last)``: "#" becomes ``h{first}``, each extra "#" one level
    deeper, and nothing goes below ``h{last}`` (the page owns the levels above ``first``).
    ``renames`` maps an element markdown-it emits to the one stored (Wagtail's rich text keeps
    ``b``/``i``, not ``strong``/``em``). ``mentions`` turns on ``@handle`` recognition: the
    handles are returned to the caller, who decides which members they name.

    Profiles compare by identity (there are three, below); the render caches key on them.
    """

    name: str
    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]
    headings: tuple[int, int]
    images: Images
    mentions: bool = False
    classes: Mapping[str, frozenset[str]] = field(default_factory=lambda: _frozen({}))
    typographer: bool = False
    renames: Mapping[str, str] = field(default_factory=lambda: _frozen({}))

    def __post_init__(self) -> None:
        first, last = self.headings
        missing = {f"h{level}" for level in range(first, last + 1)} - self.tags
        missing |= set(self.renames.values()) - self.tags
        if self.images is Images.SITE_UPLOADS:
            missing |= {"img"} - self.tags
        if self.mentions:
            missing |= {"span"} - self.tags
            if "mention" not in self.classes.get("span", ()):
                missing.add("span.mention")
        if not 1 <= first <= last <= 6 or missing:
            raise ValueError(f"Profile {self.name!r} emits what it does not allow: {missing}")


_PROSE = frozenset({"a", "blockquote", "br", "li", "ol", "p", "ul"})
_FORMATTING = frozenset({"code", "del", "em", "hr", "pre", "s", "strong"})
_TABLES = frozenset({"table", "tbody", "td", "th", "thead", "tr"})
_TABLE_ALIGN_CLASSES = frozenset({"align-left", "align-center", "align-right"})

#: A member's profile biography, shown under the profile page's own h1/h2.
BIO = Profile(
    name="bio",
    tags=_PROSE | _FORMATTING | _TABLES | {"h3", "h4"},
    attributes=_frozen({"a": frozenset({"href", "title"}), "ol": frozenset({"start"})}),
    headings=(3, 4),
    images=Images.LINK,
)

#: A member-submitted knowledge-base page's rich-text fields. Only what Wagtail's rich-text
#: editor (``kb.blocks.RICH_TEXT_FEATURES``) understands, so editors can keep editing the page
#: in the admin; headings start at h3 because each field sits under the page's h2 section
#: heading ("The challenge", "Objectives", ...).
KB_RICH_TEXT = Profile(
    name="kb_rich_text",
    tags=_PROSE | {"b", "i", "h3", "h4"},
    attributes=_frozen({"a": frozenset({"href"})}),
    headings=(3, 4),
    images=Images.LINK,
    typographer=True,
    renames=_frozen({"strong": "b", "em": "i"}),
)

#: A forum post (thread opening or reply). Table alignment is kept as a class, since the site
#: allows no inline styles.
FORUM_POST = Profile(
    name="forum_post",
    tags=_PROSE | _FORMATTING | _TABLES | {"h3", "h4", "h5", "h6", "img", "span"},
    attributes=_frozen(
        {
            "a": frozenset({"href", "title"}),
            "img": frozenset({"src", "alt", "title"}),
            "ol": frozenset({"start"}),
        }
    ),
    headings=(3, 6),
    images=Images.SITE_UPLOADS,
    mentions=True,
    classes=_frozen(
        {
            "th": _TABLE_ALIGN_CLASSES,
            "td": _TABLE_ALIGN_CLASSES,
            "span": frozenset({"mention"}),
        }
    ),
)
