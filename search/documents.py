"""The search document: one shape for every KB page and forum thread (design.md section 6).

Built by ``search.projection`` from the current database state and handed to a backend. A
backend stores these fields and nothing else, so what a backend can show is exactly what the
projection put in, and visibility is decided once, here, by the ``visibility`` tokens.
"""

from dataclasses import dataclass, field
from datetime import datetime

CASE_STUDY = "case_study"
METHOD_GUIDE = "method_guide"
THREAD = "thread"
DOCUMENT_TYPES = (CASE_STUDY, METHOD_GUIDE, THREAD)

PUBLIC = "public"
"""Visibility token every requester holds."""
MEMBERS = "members"
"""Held by anyone who may read members-only content (members, guests, staff roles)."""
MODERATORS = "moderators"
"""Held by moderators, who read every group-restricted category."""


def group_token(group_id: int) -> str:
    """Held by the users of ``group_id``; carried by a public category restricted to it."""
    return f"group:{group_id}"


def members_group_token(group_id: int) -> str:
    """Held by users of ``group_id`` who also read members content (members-only + group)."""
    return f"members-group:{group_id}"


@dataclass(frozen=True)
class Term:
    """A taxonomy value as documents carry it: the stable slug (filters, facets) and a label."""

    slug: str
    label: str


@dataclass(frozen=True)
class SearchDocument:
    """One searchable item.

    - ``id``: stable, ``kb.page:<pk>`` or ``forum.thread:<pk>``.
    - Text fields, plain text, weighted title > summary > body > replies:
      KB pages: ``summary`` is the page summary, ``body`` every other prose field.
      Threads: ``summary`` is the opening post, ``body`` the accepted answer, ``replies`` the
      other visible replies.
    - ``topics`` include each topic's parent; ``regions`` include the regions of
      ``countries``; so a filter on a parent topic or a region is a plain match.
    - ``visibility``: the tokens of which a requester needs at least one (see above).
    - ``kind``: ``question`` / ``discussion`` for threads, "" for KB pages; ``answered`` is
      None except for questions.
    """

    id: str
    type: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    replies: str = ""
    topics: tuple[Term, ...] = ()
    regions: tuple[Term, ...] = ()
    countries: tuple[Term, ...] = ()
    audiences: tuple[Term, ...] = ()
    channels: tuple[Term, ...] = ()
    author: str = ""
    organisation: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    visibility: tuple[str, ...] = (PUBLIC,)
    kind: str = ""
    answered: bool | None = None
    votes: int = 0
    reply_count: int = 0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None
