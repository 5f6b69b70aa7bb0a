"""Elasticsearch stopped mid-run, for real: the site's Elasticsearch URL is a TCP proxy in
front of the shared node, and the proxy is cut (listener and every connection closed) while
members post, edit, publish and moderate. Everything succeeds meanwhile; the outbox keeps
every change; after the proxy listens again, ``manage.py search_index sync`` drains it, and
the live index holds each document exactly once, with its final content.
"""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from forum.services.moderation import post_hide, thread_state_change
from forum.services.posts import post_edit
from search.backends import search_backend
from search.models import IndexOutbox
from search.projection import page_doc_id, thread_doc_id
from tests.factories.forum import make_moderator, make_reply, make_thread
from tests.factories.kb import case_study
from tests.factories.members import MemberFactory
from tests.reliability import summary

# Transactional: changes commit, so the after-commit index task really runs (and fails
# against the stopped node) as it does on the site.
pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_on_proxy(settings, es_proxy, tmp_path):
    """The site on Elasticsearch through ``es_proxy``, with the embedded fallback kept up to
    date, on throw-away indices."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = True
    settings.ELASTICSEARCH_URL = es_proxy.url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"pcc-test-faults-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "search-index.sqlite3")
    search_backend.cache_clear()
    yield search_backend().primary
    if not es_proxy.listening:
        es_proxy.restore()
    search_backend().primary.delete_all()
    search_backend.cache_clear()


def pending(target="elasticsearch"):
    return IndexOutbox.objects.filter(applied_at__isnull=True, target=target)


def indexed(es_client, primary, doc_id):
    """Every copy of ``doc_id`` in the live index, read past the proxy (straight from the node)."""
    es_client.indices.refresh(index=primary.read_alias)
    hits = es_client.search(index=primary.read_alias, query={"ids": {"values": [doc_id]}}, size=10)[
        "hits"
    ]["hits"]
    return [hit["_source"] for hit in hits]


def test_posting_editing_publishing_and_moderating_during_an_outage_all_reach_the_index_once(
    site_on_proxy, es_proxy, es_client, client
):
    primary = site_on_proxy
    # Before the outage: the node answers and changes are indexed after commit.
    watched = make_thread(title="Aquifer recharge pilot", body="We recharge in the wet season.")
    reviewed = case_study(title="Borehole metering in Kisumu")
    to_close = make_thread(title="Standpipe queue times", body="Queues are long at dawn.")
    doomed = make_reply(watched, body="Buy our miracle quinoxyl filters now!")
    assert not pending().exists()
    assert [s["title"] for s in indexed(es_client, primary, page_doc_id(reviewed.pk))] == [
        "Borehole metering in Kisumu"
    ]

    es_proxy.cut()  # Elasticsearch stops mid-run

    member = MemberFactory()
    client.force_login(member)
    response = client.post(
        reverse("forum:reply", args=[watched.pk]),
        {"body": "We log the recharge with zelkova piezometers.", "submission_key": uuid.uuid4()},
    )
    assert response.status_code == 302
    opening = watched.posts.get(depth=0)
    post_edit(
        editor=watched.author, post=opening, body="Edited: we recharge through marrowfat wells."
    )
    new_thread = make_thread(title="Tamarisk roots in the mains", body="They crack old pipes.")
    reviewed.title = "Borehole metering in Kisumu, second phase"
    reviewed.save_revision().publish()
    draft = case_study(title="Quillwort leak survey", live=False)
    draft.save_revision().publish()
    moderator = make_moderator()
    post_hide(moderator=moderator, post=doomed, reason="Spam.")
    thread_state_change(moderator=moderator, thread=to_close, change="close")

    changed = {
        thread_doc_id(watched.pk),
        thread_doc_id(new_thread.pk),
        thread_doc_id(to_close.pk),
        page_doc_id(reviewed.pk),
        page_doc_id(draft.pk),
    }
    # Every change succeeded and waits in the outbox; the embedded fallback has them all.
    assert set(pending().values_list("doc_id", flat=True)) == changed
    assert not pending(target="embedded").exists()
    assert pending().filter(attempts__gt=0).count() == len(changed)  # the task tried and failed
    with pytest.raises(CommandError, match="stay pending"):
        call_command("search_index", "sync", "--retry-now")
    assert set(pending().values_list("doc_id", flat=True)) == changed

    es_proxy.restore()  # the node is back
    call_command("search_index", "sync", "--retry-now")

    assert not IndexOutbox.objects.filter(applied_at__isnull=True).exists()
    everything = changed
    copies = {doc_id: indexed(es_client, primary, doc_id) for doc_id in everything}
    assert {doc_id: len(found) for doc_id, found in copies.items()} == dict.fromkeys(everything, 1)
    assert es_client.count(index=primary.read_alias)["count"] == len(everything)
    thread = copies[thread_doc_id(watched.pk)][0]
    assert "marrowfat" in thread["summary"]
    assert "zelkova" in thread["replies"]
    assert "quinoxyl" not in thread["replies"]
    assert copies[page_doc_id(reviewed.pk)][0]["title"] == (
        "Borehole metering in Kisumu, second phase"
    )
    assert copies[page_doc_id(draft.pk)][0]["title"] == "Quillwort leak survey"
    assert copies[thread_doc_id(new_thread.pk)][0]["title"] == "Tamarisk roots in the mains"
    lost = len(everything) - sum(len(found) for found in copies.values())
    summary.record("Elasticsearch stopped (proxy cut)", faults=es_proxy.cuts, lost=abs(lost))
