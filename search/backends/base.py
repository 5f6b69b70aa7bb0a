"""The one interface every search backend implements (design.md section 6).

``visibility`` is always the requester's token set (``search.visibility``); a backend must
never return, count, highlight or suggest a document none of whose tokens is in it.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable

from search.documents import SearchDocument
from search.query import ParsedQuery
from search.results import BackendStatus, Hit, SearchResults, Suggestion


class SearchUnavailable(Exception):
    """The backend cannot answer now (connection refused, timeout). Pages say so politely."""


class DocumentsRejected(Exception):
    """The cluster refused some documents with a 4xx (mapping or analyzer problem).

    Each was logged with its id; ``ids`` lists them. The caller leaves their outbox rows
    pending; the problem shows in ``search_index status``. Defined here, not beside the
    Elasticsearch backend, so that the indexing service can catch it without importing the
    Elasticsearch client into every worker (about 11 MB of RSS on the embedded backend).
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        self.ids = tuple(errors)
        super().__init__(
            "Elasticsearch rejected "
            + ", ".join(f"{doc_id}: {reason}" for doc_id, reason in errors.items())
        )


class SearchBackend(ABC):
    name: str = ""

    @abstractmethod
    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace ``docs``; returns how many were written."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    @abstractmethod
    def search(self, query: ParsedQuery, *, visibility: frozenset[str]) -> SearchResults:
        """Hits for ``query.page``, the total, facet counts and a suggestion when empty."""

    @abstractmethod
    def suggest(
        self, prefix: str, *, visibility: frozenset[str], limit: int = 8
    ) -> list[Suggestion]:
        """Titles that match ``prefix`` (its last word as a prefix), best first."""

    @abstractmethod
    def more_like_this(
        self, doc_id: str, *, visibility: frozenset[str], limit: int = 5
    ) -> list[Hit]:
        """Visible documents most like ``doc_id`` (never itself); [] if it is unknown."""

    @abstractmethod
    def rebuild(self, docs: Iterable[SearchDocument], *, progress=None) -> int:
        """Build a fresh index from ``docs`` aside and swap it in; the old one answers until
        then. ``progress(n)`` is called as documents are written. Returns the count."""

    @abstractmethod
    def status(self) -> BackendStatus:
        """Document counts per type and backend-specific details."""
