"""The Elasticsearch backend on a real node: aliases, rebuilds, rejected documents, timeouts.

What both backends must answer alike is in tests/search/contract/; this file covers what
only this backend has (versioned indices behind aliases, the cluster's errors).
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from search.backends.base import SearchUnavailable
from search.backends.elasticsearch import (
    DocumentsRejected,
    ElasticsearchBackend,
    RebuildCountMismatch,
)
from search.documents import MEMBERS, PUBLIC, SearchDocument, Term
from search.query import Clause, ParsedQuery

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
VISITOR = frozenset({PUBLIC})
MEMBER = frozenset({PUBLIC, MEMBERS})


def doc(pk, title="Leak detection in district metered areas", **fields):
    fields.setdefault("summary", "Acoustic loggers find leaks early.")
    fields.setdefault("published", datetime(2024, 3, 1, tzinfo=UTC))
    return SearchDocument(
        id=f"kb.page:{pk}", type="case_study", title=title, url=f"/kb/{pk}/", **fields
    )


def words(*clauses, **options):
    return ParsedQuery(
        text=" ".join(clauses),
        clauses=tuple(Clause(alternatives=((w,),)) for w in clauses),
        **options,
    )


def aliases(backend):
    state = backend._alias_state()
    return state.get(backend.read_alias, []), state.get(backend.write_alias, [])


def test_a_first_write_creates_a_versioned_index_behind_the_read_and_write_aliases(es_backend):
    assert es_backend.index([doc(1)]) == 1

    read, write = aliases(es_backend)
    assert read == write
    assert len(read) == 1
    assert read[0].startswith(f"{es_backend.prefix}-docs-")
    assert es_backend.search(words("leak"), visibility=VISITOR).total == 1


def test_rebuild_builds_a_new_index_swaps_both_aliases_and_deletes_the_old(es_backend, es_client):
    es_backend.rebuild([doc(1), doc(2)])
    (old,), _ = aliases(es_backend)

    assert (
        es_backend.rebuild([doc(pk, title="Pressure management", summary="") for pk in range(3, 8)])
        == 5
    )

    (new,), (write,) = aliases(es_backend)
    assert new != old
    assert write == new
    assert not es_client.indices.exists(index=old)
    results = es_backend.search(words("pressure"), visibility=VISITOR)
    assert results.total == 5
    assert es_backend.search(words("leak"), visibility=VISITOR).total == 0


def test_a_rebuild_that_fails_midway_leaves_the_aliases_on_the_old_complete_index(
    es_backend, es_client
):
    es_backend.rebuild([doc(pk) for pk in range(10)])
    before = aliases(es_backend)

    def failing():
        yield from (doc(pk, title="Half built") for pk in range(100, 1500))
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        es_backend.rebuild(failing())

    assert aliases(es_backend) == before
    assert es_backend.search(words("leak"), visibility=VISITOR).total == 10
    assert es_backend.search(words("half"), visibility=VISITOR).total == 0
    assert es_client.indices.get_alias(index=es_backend.pattern).keys() == {before[0][0]}


def test_a_killed_rebuild_leaves_the_old_index_answering_and_the_next_rebuild_removes_it(
    es_backend, es_client
):
    es_backend.rebuild([doc(pk) for pk in range(10)])
    before = aliases(es_backend)
    script = f"""
import time
import django
django.setup()
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import SearchDocument
backend = ElasticsearchBackend(url={es_backend.url!r}, prefix={es_backend.prefix!r},
                               glossary=lambda: [])
def docs():
    for pk in range(100_000):
        if pk == 1500:
            print("building", flush=True)
            time.sleep(120)
        yield SearchDocument(id=f"kb.page:{{pk}}", type="case_study", title="Killed", url="/")
backend.rebuild(docs())
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    child = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "building"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()

    assert aliases(es_backend) == before
    assert es_backend.search(words("leak"), visibility=VISITOR).total == 10
    leftover = es_backend._aliased(es_backend.building_alias)
    assert len(leftover) == 1
    assert "building" in es_backend.status().details

    es_backend.rebuild([doc(1)])
    assert not es_client.indices.exists(index=leftover[0])
    assert "building" not in es_backend.status().details


def test_changes_written_during_a_rebuild_reach_the_new_index(es_backend):
    es_backend.rebuild([doc(1)])

    def docs_while_the_site_changes():
        yield doc(2)
        es_backend.index([doc(99, title="Written meanwhile")])
        es_backend.delete(["kb.page:1"])
        yield doc(3)

    es_backend.rebuild(docs_while_the_site_changes())

    ids = {hit.id for hit in es_backend.search(words("leak"), visibility=VISITOR).hits}
    assert ids == {"kb.page:2", "kb.page:3", "kb.page:99"}


def test_a_rebuild_whose_count_does_not_match_keeps_the_old_index(es_backend):
    es_backend.rebuild([doc(1)])
    before = aliases(es_backend)

    # 200 documents sent, 1 in the index: the same id 200 times (a projection bug).
    with pytest.raises(RebuildCountMismatch):
        es_backend.rebuild(doc(7) for _ in range(200))
    assert aliases(es_backend) == before


def test_a_document_the_cluster_rejects_is_logged_with_its_id_and_raised(es_backend, caplog):
    broken = doc(2, votes=2**70)  # outside the "integer" mapping: a 400 from the mapper

    with caplog.at_level(logging.ERROR, logger="search.backends.elasticsearch"):
        with pytest.raises(DocumentsRejected) as raised:
            es_backend.index([doc(1), broken, doc(3)])

    assert raised.value.ids == ("kb.page:2",)
    assert "kb.page:2" in caplog.text
    assert "kb.page:1" not in caplog.text
    hits = es_backend.search(words("leak"), visibility=VISITOR).hits
    assert {hit.id for hit in hits} == {"kb.page:1", "kb.page:3"}


@pytest.fixture
def silent_node():
    """The URL of a port that accepts connections and never answers: a node too slow for
    any timeout (a timeout of microseconds on the real node is not reliable, since the
    socket's wait is rounded up to a millisecond and a tiny search can answer in less)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_search_slower_than_its_timeout_raises_search_unavailable(silent_node):
    slow = ElasticsearchBackend(url=silent_node, prefix="pcc-silent", search_timeout=0.2)

    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        slow.search(words("leak"), visibility=VISITOR)
    assert time.monotonic() - started < 5


def test_status_shows_the_aliases_the_index_behind_them_and_counts(es_backend):
    es_backend.rebuild([doc(1), doc(2, visibility=(MEMBERS,))])
    (live,), _ = aliases(es_backend)

    status = es_backend.status()

    assert status.documents_by_type == {"case_study": 2, "method_guide": 0, "thread": 0}
    assert status.details["index"] == live
    assert status.details["read alias"] == f"{es_backend.read_alias} -> {live}"
    assert status.details["write alias"] == f"{es_backend.write_alias} -> {live}"
    assert status.details["documents"] == "2"


def test_pages_beyond_the_result_window_are_empty_not_errors(es_backend):
    es_backend.index([doc(1)])

    results = es_backend.search(words("leak", page=10_000, per_page=20), visibility=VISITOR)

    assert results.hits == ()
    assert results.total == 1


def test_snippets_escape_the_text_and_mark_the_matches(es_backend):
    es_backend.index([doc(1, summary="<script>alert(1)</script> leaks & losses")])

    (hit,) = es_backend.search(words("leaks"), visibility=VISITOR).hits

    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>leaks</mark>" in hit.snippet


@pytest.mark.parametrize("word", ['"', "\\", "/", "~", "^", ":", "AND", "OR", "NOT", "a:b*", "(("])
def test_query_syntax_characters_are_plain_text(es_backend, word):
    es_backend.index([doc(1)])

    results = es_backend.search(words(word, "leak"), visibility=VISITOR)

    assert results.total in (0, 1)


def test_a_glossary_change_reaches_the_search_analyzer_without_a_rebuild(es_backend):
    from taxonomy.models import GlossaryTerm

    es_backend.index([doc(1, title="Zorbix flow balancing", summary="")])
    assert es_backend.search(words("zbx"), visibility=VISITOR).total == 0
    GlossaryTerm.objects.create(
        term="Zorbix", slug="zorbix", definition="An invented term.", acronyms="ZBX"
    )

    closed_for = es_backend.refresh_synonyms()

    assert es_backend.search(words("zbx"), visibility=VISITOR).total == 1
    assert closed_for < 5


def test_members_only_documents_stay_out_of_a_visitors_results_and_counts(es_backend):
    es_backend.index(
        [
            doc(1, topics=(Term("leaks", "Leaks"),)),
            doc(2, topics=(Term("secret", "Secret"),), visibility=(MEMBERS,)),
        ]
    )

    visitor = es_backend.search(words("leak"), visibility=VISITOR)
    member = es_backend.search(words("leak"), visibility=MEMBER)

    assert [hit.id for hit in visitor.hits] == ["kb.page:1"]
    assert [v.value for v in visitor.facets["topic"]] == ["leaks"]
    assert visitor.total == 1
    assert member.total == 2
    assert es_backend.more_like_this("kb.page:2", visibility=VISITOR) == []
    assert [s.url for s in es_backend.suggest("leak det", visibility=VISITOR)] == ["/kb/1/"]


def test_rebuild_reports_progress_and_is_fast_enough_for_a_small_corpus(es_backend):
    seen = []
    started = time.perf_counter()

    count = es_backend.rebuild((doc(pk) for pk in range(3000)), progress=seen.append)

    assert count == 3000
    assert sum(seen) == 3000
    assert time.perf_counter() - started < 60


class RoundTrips:
    """Counts the search and msearch requests a backend sends, passing each one on to the
    real node."""

    def __init__(self, backend):
        self.calls = 0
        for name in ("search", "msearch"):
            setattr(
                backend.search_client, name, self._counted(getattr(backend.search_client, name))
            )

    def _counted(self, send):
        def counted(*args, **kwargs):
            self.calls += 1
            return send(*args, **kwargs)

        return counted


def request_cache_hits(backend, es_client) -> int:
    stats = es_client.indices.stats(index=backend.read_alias, metric="request_cache")
    return stats["_all"]["total"]["request_cache"]["hit_count"]


def test_a_query_of_known_words_is_answered_in_one_round_trip(es_backend):
    es_backend.index([doc(1), doc(2, title="Tariff reform messages")])
    counter = RoundTrips(es_backend)

    results = es_backend.search(words("leak", "metered"), visibility=VISITOR)

    assert counter.calls == 1
    assert [hit.id for hit in results.hits] == ["kb.page:1"]
    assert results.total == 1


def test_an_unknown_word_is_searched_again_with_its_typos(es_backend):
    es_backend.index([doc(1, title="Pressure management", summary="")])
    counter = RoundTrips(es_backend)

    results = es_backend.search(words("presure"), visibility=VISITOR)

    assert counter.calls == 2
    assert [hit.id for hit in results.hits] == ["kb.page:1"]
    assert results.total == 1


def test_a_repeated_query_takes_its_counts_from_the_request_cache_until_the_index_changes(
    es_backend, es_client
):
    es_backend.index([doc(1, topics=(Term("leaks", "Leaks"),)), doc(2)])
    first = es_backend.search(words("leak"), visibility=VISITOR)
    hits_before = request_cache_hits(es_backend, es_client)

    again = es_backend.search(words("leak"), visibility=VISITOR)

    assert request_cache_hits(es_backend, es_client) > hits_before
    assert (again.total, again.facets) == (first.total, first.facets) == (2, first.facets)
    assert [(v.value, v.count) for v in again.facets["topic"]] == [("leaks", 1)]

    es_backend.index([doc(3, topics=(Term("leaks", "Leaks"),))])
    changed = es_backend.search(words("leak"), visibility=VISITOR)

    assert changed.total == 3
    assert [(v.value, v.count) for v in changed.facets["topic"]] == [("leaks", 2)]


def test_a_later_page_has_the_same_total_and_facets_as_the_first(es_backend):
    es_backend.index([doc(pk, topics=(Term("leaks", "Leaks"),)) for pk in range(1, 26)])

    first = es_backend.search(words("leak", per_page=10), visibility=VISITOR)
    third = es_backend.search(words("leak", page=3, per_page=10), visibility=VISITOR)

    assert first.total == third.total == 25
    assert first.facets == third.facets
    assert len(first.hits) == 10
    assert len(third.hits) == 5
    assert not {h.id for h in first.hits} & {h.id for h in third.hits}
