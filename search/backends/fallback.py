"""Elasticsearch with the embedded index as a real fallback (``SEARCH_KEEP_EMBEDDED_FALLBACK``).

Chosen by ``search_backend()`` when ``SEARCH_BACKEND`` is "elasticsearch" and the setting is
true. Reads ask Elasticsearch and, on ``SearchUnavailable`` (connection refused, timeout,
429/5xx), answer from the embedded index with a notice; only when both fail does
``SearchUnavailable`` reach the page.

Writes: the outbox keeps one row per document *and target* (``search.services.indexing``:
``index_targets()`` is ("elasticsearch", "embedded") with this setting) and applies each target
through its own backend, so the embedded copy stays current during an Elasticsearch outage and
each target is retried on its own. This class therefore writes to the primary only; it never
writes the fallback twice.
"""

import dataclasses
import logging
from collections.abc import Iterable

from django.utils.translation import gettext

from search.backends.base import SearchBackend, SearchUnavailable
from search.documents import SearchDocument
from search.query import ParsedQuery
from search.results import BackendStatus, Hit, SearchResults, Suggestion

logger = logging.getLogger(__name__)


def fallback_notice() -> str:
    return gettext(
        "Search is slow right now, so these results come from a backup copy of the index; "
        "the latest changes may be missing."
    )


class FallbackBackend(SearchBackend):
    """``primary`` (Elasticsearch) for reads, ``fallback`` (embedded) when it is unavailable;
    writes go to the primary (the outbox writes the fallback). Defaults: both from settings."""

    name = "elasticsearch"

    def __init__(
        self, *, primary: SearchBackend | None = None, fallback: SearchBackend | None = None
    ):
        from search.backends import _backend

        self.primary = primary or _backend("elasticsearch")
        self.fallback = fallback or _backend("embedded")

    def _read(self, action: str, *args, **kwargs):
        try:
            return getattr(self.primary, action)(*args, **kwargs), False
        except SearchUnavailable as error:
            logger.warning("Search %s falls back to the embedded index: %s", action, error)
            return getattr(self.fallback, action)(*args, **kwargs), True

    def search(self, query: ParsedQuery, *, visibility: frozenset[str]) -> SearchResults:
        results, fell_back = self._read("search", query, visibility=visibility)
        if fell_back:
            results = dataclasses.replace(results, notices=(*results.notices, fallback_notice()))
        return results

    def suggest(
        self, prefix: str, *, visibility: frozenset[str], limit: int = 8
    ) -> list[Suggestion]:
        return self._read("suggest", prefix, visibility=visibility, limit=limit)[0]

    def more_like_this(
        self, doc_id: str, *, visibility: frozenset[str], limit: int = 5
    ) -> list[Hit]:
        return self._read("more_like_this", doc_id, visibility=visibility, limit=limit)[0]

    def index(self, docs: Iterable[SearchDocument]) -> int:
        return self.primary.index(docs)

    def delete(self, ids: Iterable[str]) -> None:
        self.primary.delete(ids)

    def rebuild(self, docs: Iterable[SearchDocument], *, progress=None) -> int:
        return self.primary.rebuild(docs, progress=progress)

    def status(self) -> BackendStatus:
        fallback = self.fallback.status()
        try:
            primary = self.primary.status()
        except SearchUnavailable as error:
            primary = BackendStatus(
                name=self.primary.name,
                documents_by_type={},
                details={"unavailable": str(error)},
            )
        details = dict(primary.details)
        details["fallback"] = f"{fallback.name}: {sum(fallback.documents_by_type.values())} docs"
        details.update({f"fallback {key}": value for key, value in fallback.details.items()})
        return dataclasses.replace(primary, details=details)
