"""Elasticsearch down: writes fail loudly (so the outbox keeps them), reads fall back.

"Down" is a real closed port on this machine (nothing listens, so connections are refused),
never a mock; the fallback is a real index.
"""

import socket
import uuid
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


# -- the whole path: the site changes during an outage, the outbox catches up afterwards ------


@pytest.fixture
def elasticsearch_on(settings, elasticsearch_url, tmp_path):
    """The site configured for Elasticsearch with the embedded fallback kept up to date, on
    throw-away indices; ``set_url`` points it at another node (a closed port = down)."""
    from search.backends import search_backend

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = True
    settings.ELASTICSEARCH_INDEX_PREFIX = f"pcc-test-outage-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "search-index.sqlite3")

    def set_url(url):
        settings.ELASTICSEARCH_URL = url
        search_backend.cache_clear()

    yield set_url
    set_url(elasticsearch_url)
    search_backend().primary.delete_all()
    search_backend.cache_clear()


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_changes_made_during_an_outage_are_all_searchable_once_the_node_is_back(
    elasticsearch_on, elasticsearch_url
):
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import CommandError, call_command

    from forum.services.posts import post_edit
    from search.models import IndexOutbox
    from search.parsing import parse_query
    from search.projection import page_doc_id, thread_doc_id
    from search.visibility import requester_tokens
    from tests.factories.forum import make_reply, make_thread
    from tests.factories.kb import case_study

    elasticsearch_on(closed_port_url())
    visitor = requester_tokens(AnonymousUser())
    # During the outage: post, reply, edit and publish; every one of them succeeds.
    posted = make_thread(title="Quagmire valve telemetry", body="Our loggers drift at night.")
    make_reply(posted, body="Recalibrate the loggers monthly.")
    edited = make_thread(title="Tariff letters", body="How do you word them?")
    post_edit(
        editor=edited.author,
        post=edited.posts.get(depth=0),
        body="Edited: how do you word the zephyrine tariff letters?",
    )
    draft = case_study(title="Zanzibar meter rollout", live=False)
    draft.save_revision().publish()
    changed = {thread_doc_id(posted.pk), thread_doc_id(edited.pk), page_doc_id(draft.pk)}

    with pytest.raises(CommandError, match="stay pending"):  # Elasticsearch refuses
        call_command("search_index", "sync")

    pending = IndexOutbox.objects.filter(applied_at__isnull=True)
    assert set(pending.filter(target="elasticsearch").values_list("doc_id", flat=True)) == changed
    assert not pending.filter(target="embedded").exists()
    from search.backends import search_backend

    during = search_backend().search(parse_query("quagmire"), visibility=visitor)
    assert [hit.id for hit in during.hits] == [thread_doc_id(posted.pk)]
    assert any("backup copy" in notice for notice in during.notices)

    elasticsearch_on(elasticsearch_url)  # the node is back
    call_command("search_index", "sync", "--retry-now")

    assert not IndexOutbox.objects.filter(applied_at__isnull=True).exists()
    primary = search_backend().primary
    for words, doc_id in (
        ("quagmire valve", thread_doc_id(posted.pk)),
        ("recalibrate", thread_doc_id(posted.pk)),
        ("zephyrine", thread_doc_id(edited.pk)),
        ("zanzibar meter", page_doc_id(draft.pk)),
    ):
        results = primary.search(parse_query(words), visibility=visitor)
        assert [hit.id for hit in results.hits] == [doc_id], words
        assert results.notices == ()
    counts = primary.status().documents_by_type
    assert sum(counts.values()) == len(changed)  # nothing lost, nothing duplicated
