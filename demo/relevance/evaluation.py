"""Running a relevance corpus against a search backend, away from the site's own data.

- ``throwaway_database()``: a fresh database created and migrated as the test runner does
  (``connection.creation.create_test_db``, never kept), under a name of its own: a file in a
  temporary folder for SQLite, ``<name>_relevance_<random>`` for PostgreSQL. The site's
  database is never opened for writing; it is swapped back in afterwards.
- ``backend_evaluate(corpus, backend=...)``: inside one transaction that is rolled back at the
  end (so each backend starts from the same empty database), load the corpus through the
  services, apply the search outbox the receivers wrote (``outbox_apply_pending``, what
  ``search_index sync`` runs), check that every document reached the index, then run every
  query through ``search.selectors.search_page_results``, the query layer of /search/ and
  /api/search/, reading every page of results. The backend gets a throw-away place too: an
  embedded index file in a temporary folder, or an Elasticsearch prefix
  ``<prefix>-relevance-<random>`` whose indices and template are deleted afterwards.
"""

import contextlib
import logging
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.test.utils import override_settings

from demo.relevance.corpus import (
    Corpus,
    LoadedCorpus,
    check_taxonomy,
    corpus_load,
    expected_counts,
)
from demo.relevance.metrics import QueryScore, Summary, score_query, summarise
from search.backends import search_backend
from search.selectors import search_page_results
from search.services.indexing import outbox_apply_pending

MAX_RESULT_PAGES = 50
"""Results read per query, in pages of the search page's size: far more than a corpus holds."""


QUIET_LOGGERS = ("wagtail", "elastic_transport", "members", "forum", "kb", "search")
"""Their INFO lines (a page published, a role granted, an Elasticsearch request) would bury the
report."""


class EvaluationFailed(Exception):
    """The corpus could not be evaluated (indexing failed, the backend is unavailable)."""


@dataclass(frozen=True)
class QueryOutcome:
    query: dict
    ranked: tuple[str | None, ...]
    score: QueryScore

    def describe(self) -> str:
        """One line for a failing query: what it asked, what it expected, what came first."""
        query = self.query
        filters = "".join(
            f" {facet}={','.join(map(str, values))}"
            for facet, values in query.get("filters", {}).items()
        )
        top = ", ".join(key or "?" for key in self.ranked[:5]) or "no results"
        problems = []
        if self.score.expects and not self.score.hit:
            problems.append(f"expected one of {', '.join(query['expect'])} in the top 5")
        if self.score.leaks:
            problems.append(f"LEAK of {', '.join(self.score.leaks)}")
        return (
            f"[{query.get('kind', '')}] {query['q']!r} as {query.get('as', 'visitor')}{filters}: "
            f"{'; '.join(problems)}; top 5: {top} ({len(self.ranked)} results)"
        )


@dataclass(frozen=True)
class BackendReport:
    backend: str
    summary: Summary
    outcomes: tuple[QueryOutcome, ...]
    warnings: tuple[str, ...] = ()

    @property
    def failures(self) -> tuple[QueryOutcome, ...]:
        return tuple(
            outcome
            for outcome in self.outcomes
            if outcome.score.leaks or (outcome.score.expects and not outcome.score.hit)
        )


@contextlib.contextmanager
def throwaway_database() -> Iterator[None]:
    """Swap the default database for a new, migrated one, destroyed on the way out."""
    connection = connections["default"]
    original_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    saved = dict(test_settings)
    with tempfile.TemporaryDirectory(prefix="pcc-relevance-db-") as folder:
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(folder) / "relevance.sqlite3")
        else:
            test_settings["NAME"] = f"{original_name}_relevance_{uuid.uuid4().hex[:8]}"[-63:]
        test_settings["MIGRATE"] = True
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=False, serialize=False
        )
        try:
            yield
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
            test_settings.clear()
            test_settings.update(saved)


@contextlib.contextmanager
def throwaway_backend(name: str) -> Iterator[None]:
    """Point ``name`` (the only target) at an index of its own, removed on the way out."""
    with tempfile.TemporaryDirectory(prefix="pcc-relevance-index-") as folder:
        prefix = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-relevance-{uuid.uuid4().hex[:8]}"
        with override_settings(
            SEARCH_BACKEND=name,
            SEARCH_KEEP_EMBEDDED_FALLBACK=False,
            SEARCH_EMBEDDED_PATH=str(Path(folder) / "index.sqlite3"),
            ELASTICSEARCH_INDEX_PREFIX=prefix,
        ):
            search_backend.cache_clear()
            try:
                yield
            finally:
                delete_all = getattr(search_backend(), "delete_all", None)
                if name != "embedded" and delete_all is not None:
                    delete_all()
                search_backend.cache_clear()
        search_backend.cache_clear()


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Only warnings and errors from these loggers while the corpus loads and runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class _RollBack(Exception):
    pass


def backend_evaluate(corpus: Corpus, *, backend: str) -> BackendReport:
    """Load ``corpus``, index it into ``backend`` through the outbox, and score every query.
    Runs in the current (throw-away) database; everything it writes is rolled back."""
    report = None
    with throwaway_backend(backend), _quiet(*QUIET_LOGGERS):
        try:
            with transaction.atomic():
                check_taxonomy(corpus)
                loaded = corpus_load(corpus)
                _index(corpus, loaded, backend)
                outcomes = tuple(_run(query, loaded) for query in corpus.queries)
                report = BackendReport(
                    backend=backend,
                    summary=summarise([outcome.score for outcome in outcomes]),
                    outcomes=outcomes,
                    warnings=tuple(loaded.warnings),
                )
                raise _RollBack
        except _RollBack:
            pass
    return report


def _index(corpus: Corpus, loaded: LoadedCorpus, backend: str) -> None:
    applied = outbox_apply_pending(retry_now=True)
    if applied.failed:
        details = "; ".join(f"{target}: {error}" for target, error in applied.errors.items())
        raise EvaluationFailed(
            f"{applied.failed} documents could not be indexed into {backend}: {details}"
        )
    status = search_backend().status()
    expected = expected_counts(corpus)
    found = {kind: status.documents_by_type.get(kind, 0) for kind in expected}
    if found != expected:
        raise EvaluationFailed(
            f"The {backend} index holds {found} documents after the outbox was applied, but "
            f"the corpus has {expected}: the indexing pipeline missed some."
        )


def _run(query: dict, loaded: LoadedCorpus) -> QueryOutcome:
    user = loaded.users.get(query.get("as", "visitor")) or AnonymousUser()
    params = {"q": query["q"]}
    for facet, values in query.get("filters", {}).items():
        params[facet] = [str(value) for value in values]
    keys_by_id = loaded.keys_by_id
    ranked: list[str | None] = []
    for page in range(1, MAX_RESULT_PAGES + 1):
        result = search_page_results(params={**params, "page": str(page)}, user=user)
        if result.unavailable:
            raise EvaluationFailed(f"Search was unavailable for the query {query['q']!r}.")
        hits = result.results.hits if result.results else ()
        ranked.extend(keys_by_id.get(hit.id) for hit in hits)
        if not hits or len(ranked) >= result.total:
            break
    score = score_query(ranked, expect=query["expect"], absent=query.get("absent", ()))
    return QueryOutcome(query=query, ranked=tuple(ranked), score=score)
