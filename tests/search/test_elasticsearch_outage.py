"""Elasticsearch down: writes fail loudly (so the outbox keeps them), reads fall back.

"Down" is a real closed port on this machine (nothing listens, so connections are refused),
never a mock; the fallback is a real index.
"""

import socket
from datetime import UTC, datetime

import pytest

from search.backends.base import SearchUnavailable
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.fallback import FallbackBackend, fallback_notice
from search.documents import PUBLIC, SearchDocument
from search.query import Clause, ParsedQuery

VISITOR = frozenset({PUBLIC})


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def down():
    return ElasticsearchBackend(
        url=closed_port_url(), prefix="pcc-test-down", glossary=lambda: [], write_timeout=2
    )


def doc(pk):
    return SearchDocument(
        id=f"kb.page:{pk}",
        type="case_study",
        title="Pressure management for leak reduction",
        url=f"/kb/{pk}/",
        published=datetime(2024, 1, 1, tzinfo=UTC),
    )


QUERY = ParsedQuery(text="pressure", clauses=(Clause(alternatives=(("pressure",),)),))


def test_indexing_into_a_node_that_is_down_raises_search_unavailable(down):
    with pytest.raises(SearchUnavailable):
        down.index([doc(1)])
    with pytest.raises(SearchUnavailable):
        down.delete(["kb.page:1"])
    with pytest.raises(SearchUnavailable):
        down.rebuild([doc(1)])


def test_every_read_from_a_node_that_is_down_raises_search_unavailable(down):
    with pytest.raises(SearchUnavailable):
        down.search(QUERY, visibility=VISITOR)
    with pytest.raises(SearchUnavailable):
        down.suggest("press", visibility=VISITOR)
    with pytest.raises(SearchUnavailable):
        down.more_like_this("kb.page:1", visibility=VISITOR)
    with pytest.raises(SearchUnavailable):
        down.status()


@pytest.mark.elasticsearch
def test_searches_fall_back_to_the_kept_index_with_a_notice(down, es_backend_factory):
    kept = es_backend_factory(glossary=lambda: [])
    kept.index([doc(1), doc(2)])
    backend = FallbackBackend(primary=down, fallback=kept)

    results = backend.search(QUERY, visibility=VISITOR)

    assert {hit.id for hit in results.hits} == {"kb.page:1", "kb.page:2"}
    assert fallback_notice() in results.notices
    assert [s.url for s in backend.suggest("press", visibility=VISITOR)] == ["/kb/1/", "/kb/2/"]
    assert [h.id for h in backend.more_like_this("kb.page:1", visibility=VISITOR)] in (
        [],
        ["kb.page:2"],
    )
    assert "unavailable" in backend.status().details


@pytest.mark.elasticsearch
def test_when_the_node_answers_no_fallback_notice_is_added(es_backend_factory):
    primary = es_backend_factory(glossary=lambda: [])
    primary.index([doc(1)])
    backend = FallbackBackend(primary=primary, fallback=primary)

    assert backend.search(QUERY, visibility=VISITOR).notices == ()


def test_when_both_are_down_search_says_unavailable(down):
    backend = FallbackBackend(primary=down, fallback=down)

    with pytest.raises(SearchUnavailable):
        backend.search(QUERY, visibility=VISITOR)


def test_writes_through_the_fallback_composite_fail_for_the_outbox_to_retry(down):
    with pytest.raises(SearchUnavailable):
        FallbackBackend(primary=down, fallback=down).index([doc(1)])
