"""search.services.indexing: recording changes in the outbox, applying them, status."""

import datetime
import io
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from search.backends import search_backend
from search.documents import PUBLIC
from search.models import IndexOutbox
from search.parsing import parse_query
from search.projection import page_doc_id, thread_doc_id
from search.services.indexing import (
    RETRY_MAX,
    index_rebuild,
    index_status,
    index_targets,
    indexable_counts,
    outbox_apply,
    outbox_apply_pending,
    outbox_record,
    retry_delay,
)
from tests.factories.forum import make_thread
from tests.factories.kb import case_study, method_guide
from tests.factories.search import search_document

pytestmark = pytest.mark.django_db


# -- recording ------------------------------------------------------------------------------


def test_a_change_writes_one_row_per_document_for_the_configured_backend():
    ids = outbox_record(doc_ids=["kb.page:1", "forum.thread:2", "kb.page:1"], schedule=False)

    rows = IndexOutbox.objects.order_by("doc_id")
    assert sorted(ids) == sorted(row.pk for row in rows)
    assert [(row.doc_id, row.target, row.applied_at) for row in rows] == [
        ("forum.thread:2", "embedded", None),
        ("kb.page:1", "embedded", None),
    ]


def test_with_elasticsearch_every_change_is_also_kept_for_the_embedded_fallback(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = True
    assert index_targets() == ("elasticsearch", "embedded")

    outbox_record(doc_ids=["kb.page:1"], schedule=False)

    assert sorted(IndexOutbox.objects.values_list("target", flat=True)) == [
        "elasticsearch",
        "embedded",
    ]
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = False
    assert index_targets() == ("elasticsearch",)


def test_several_changes_to_one_document_coalesce_into_one_row_that_keeps_its_age():
    [first] = outbox_record(doc_ids=["kb.page:1"], schedule=False)
    row = IndexOutbox.objects.get()
    IndexOutbox.objects.filter(pk=first).update(
        created_at=row.created_at - datetime.timedelta(hours=1), attempts=2
    )
    row.refresh_from_db()

    [again] = outbox_record(
        doc_ids=["kb.page:1"], operation=IndexOutbox.Operation.DELETE, schedule=False
    )

    updated = IndexOutbox.objects.get()
    assert again == first
    assert updated.operation == "delete"
    assert updated.token != row.token
    assert updated.created_at == row.created_at
    assert updated.attempts == 2  # the back-off keeps growing if it fails again
    assert updated.next_attempt_at >= row.next_attempt_at


def test_an_applied_row_becomes_pending_again_when_its_document_changes():
    outbox_record(doc_ids=["kb.page:1"], schedule=False)
    IndexOutbox.objects.update(applied_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    outbox_record(doc_ids=["kb.page:1"], schedule=False)
    assert IndexOutbox.objects.get().applied_at is None


def _failing_change():
    with transaction.atomic():
        outbox_record(doc_ids=["kb.page:1"], schedule=False)
        raise RuntimeError("the change failed")


def test_rows_roll_back_with_the_change_that_wrote_them():
    with pytest.raises(RuntimeError):
        _failing_change()
    assert not IndexOutbox.objects.exists()


def test_one_task_is_scheduled_per_transaction_for_every_row_it_recorded(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        first = outbox_record(doc_ids=["kb.page:1"])
        second = outbox_record(doc_ids=["forum.thread:2", "forum.thread:3"])

    assert len(callbacks) == 1
    assert callbacks[0].row_ids == set(first + second)


def test_nothing_is_scheduled_for_no_documents(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_record(doc_ids=[]) == []
    assert callbacks == []


def test_the_retry_delay_doubles_and_is_capped():
    assert retry_delay(1) == datetime.timedelta(seconds=30)
    assert retry_delay(2) == datetime.timedelta(seconds=60)
    assert retry_delay(3) == datetime.timedelta(seconds=120)
    assert retry_delay(50) == RETRY_MAX


# -- applying (against the real embedded backend) -------------------------------------------


@pytest.fixture
def index(settings, tmp_path):
    """A fresh embedded index file for this test."""
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "index.sqlite3")
    search_backend.cache_clear()
    yield search_backend()
    search_backend.cache_clear()


@pytest.fixture
def broken_index(settings, tmp_path):
    """An embedded index that really cannot be written: its folder is a plain file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.SEARCH_EMBEDDED_PATH = str(blocker / "index.sqlite3")
    search_backend.cache_clear()
    yield
    search_backend.cache_clear()


def find(text: str, *, as_tokens=frozenset({PUBLIC})) -> list[str]:
    return [hit.id for hit in search_backend().search(parse_query(text), visibility=as_tokens).hits]


def test_applying_rows_upserts_current_documents_and_deletes_the_rest(index):
    thread = make_thread(title="Explaining a tariff rise")
    gone = make_thread(title="A tariff thread about to go")
    draft = case_study(title="A tariff draft", live=False)
    ids = outbox_record(
        doc_ids=[thread_doc_id(thread.pk), thread_doc_id(gone.pk), page_doc_id(draft.pk)],
        schedule=False,
    )
    outbox_apply(row_ids=ids)
    assert set(find("tariff")) == {thread_doc_id(thread.pk), thread_doc_id(gone.pk)}

    gone_pk = gone.pk
    gone.delete()
    report = outbox_apply(row_ids=outbox_record(doc_ids=[thread_doc_id(gone_pk)], schedule=False))

    assert report.applied == 1
    assert find("tariff") == [thread_doc_id(thread.pk)]
    assert not IndexOutbox.objects.filter(applied_at__isnull=True).exists()


def test_a_failing_backend_leaves_the_rows_pending_with_a_back_off_and_never_raises(
    broken_index,
):
    thread = make_thread()
    ids = outbox_record(doc_ids=[thread_doc_id(thread.pk)], schedule=False)
    before = timezone.now()

    report = outbox_apply(row_ids=ids)

    row = IndexOutbox.objects.get(pk=ids[0])
    assert report.failed == 1
    assert report.applied == 0
    assert row.applied_at is None
    assert row.attempts == 1
    assert row.next_attempt_at >= before + retry_delay(1)
    assert row.last_error
    assert report.errors["embedded"] == row.last_error

    outbox_apply(row_ids=ids)
    row.refresh_from_db()
    assert row.attempts == 2


def test_apply_pending_skips_rows_waiting_for_their_back_off_unless_told_to_retry_now(
    settings, tmp_path, broken_index
):
    thread = make_thread(title="Leak detection by SMS")
    ids = outbox_record(doc_ids=[thread_doc_id(thread.pk)], schedule=False)
    outbox_apply(row_ids=ids)  # fails: the row now waits

    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "index.sqlite3")  # the backend is back
    search_backend.cache_clear()

    assert outbox_apply_pending().applied == 0
    assert outbox_apply_pending(retry_now=True).applied == 1
    assert find("leak") == [thread_doc_id(thread.pk)]
    assert index_status().pending == 0


def test_a_change_made_while_its_row_was_applied_stays_pending(index):
    thread = make_thread()
    [row_id] = outbox_record(doc_ids=[thread_doc_id(thread.pk)], schedule=False)
    row = IndexOutbox.objects.get(pk=row_id)
    outbox_record(doc_ids=[thread_doc_id(thread.pk)], schedule=False)  # the token moves on

    # An application that read the row before the second change must not mark it applied.
    from search.services.indexing import _apply_to_target

    _apply_to_target("embedded", [row])
    assert IndexOutbox.objects.get(pk=row_id).applied_at is None


def test_status_counts_documents_pending_rows_their_age_and_the_last_error(
    index, settings, tmp_path
):
    case_study(title="A case study")
    make_thread()
    outbox_apply_pending()
    status = index_status()
    assert status.backends[0].documents_by_type["case_study"] == 1
    assert status.backends[0].documents_by_type["thread"] == 1
    assert status.pending == 0
    assert status.oldest_pending_age is None

    blocker = tmp_path / "blocker"
    blocker.write_text("")
    settings.SEARCH_EMBEDDED_PATH = str(blocker / "index.sqlite3")
    search_backend.cache_clear()
    make_thread()
    outbox_apply_pending()
    status = index_status()
    assert status.pending == 1
    assert status.failing == 1
    assert status.pending_by_target == {"embedded": 1}
    assert status.oldest_pending_age is not None
    assert status.last_error
    assert "embedded" in status.unavailable


def test_indexable_counts_are_what_a_rebuild_would_index_per_type(index):
    case_study(title="Live study")
    case_study(title="Draft study", live=False)
    method_guide(title="Live guide")
    make_thread()
    make_thread()

    assert indexable_counts() == {"case_study": 1, "method_guide": 1, "thread": 2}
    assert index_rebuild() == {"embedded": sum(indexable_counts().values())}


def test_status_reports_each_target_against_the_database_in_a_fixed_number_of_queries(
    index, django_assert_num_queries
):
    case_study(title="A case study")
    make_thread()
    outbox_apply_pending()
    make_thread()  # recorded, not applied yet

    with django_assert_num_queries(4):
        status = index_status()

    [embedded] = status.targets
    assert embedded.name == "embedded"
    assert embedded.backend.documents_by_type == {
        "case_study": 1,
        "method_guide": 0,
        "thread": 1,
    }
    assert status.indexable == {"case_study": 1, "method_guide": 0, "thread": 2}
    assert (embedded.documents, embedded.pending, embedded.failing) == (2, 1, 0)
    assert embedded.oldest_pending_age is not None
    assert embedded.last_error == ""


def test_a_rebuild_indexes_everything_and_reapplies_what_is_pending(index):
    pages = [case_study(title=f"Water meters {n}") for n in range(3)]
    make_thread(title="Water meters in the forum")
    seen = []

    counts = index_rebuild(progress=seen.append)

    assert counts == {"embedded": 4}
    assert seen[-1] == 4
    assert len(find("meters")) == 4
    assert page_doc_id(pages[0].pk) in find("meters")
    assert index_status().pending == 0


def test_the_apply_task_applies_rows_after_commit(index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Boil water notices by radio")
    assert find("radio") == [thread_doc_id(thread.pk)]
    assert index_status().pending == 0


# -- documents the backend rejects ------------------------------------------------------------


@pytest.fixture
def legacy_elasticsearch(settings, elasticsearch_url):
    """The site on the real node, whose live index was created by an older version of the
    mapping: ``votes`` a ``short`` (at most 32,767), so a thread with more votes gets a 400
    from the mapper while the others are accepted."""
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = False
    settings.ELASTICSEARCH_INDEX_PREFIX = f"pcc-test-rejects-{uuid.uuid4().hex[:8]}"
    search_backend.cache_clear()
    backend = search_backend()
    backend.put_template()
    backend.client.indices.create(
        index=f"{backend.prefix}-docs-legacy",
        aliases={backend.read_alias: {}, backend.write_alias: {}},
        mappings={"properties": {"votes": {"type": "short"}}},
    )
    yield backend
    backend.delete_all()
    search_backend.cache_clear()


@pytest.mark.elasticsearch
def test_a_document_the_backend_rejects_stays_pending_alone_and_shows_in_status(
    legacy_elasticsearch,
):
    from django.core.management import call_command

    from forum.models import Thread

    popular = make_thread(title="Pressure logging at night")
    Thread.objects.filter(pk=popular.pk).update(vote_score=40_000)
    ordinary = make_thread(title="Pressure zones and complaints")
    gone = "forum.thread:424242"
    legacy_elasticsearch.index(
        [search_document(pk=424242, type="thread", title="Pressure in a deleted thread")]
    )
    rows = outbox_record(
        doc_ids=[thread_doc_id(popular.pk), thread_doc_id(ordinary.pk), gone], schedule=False
    )

    report = outbox_apply(row_ids=rows)

    assert (report.applied, report.failed) == (2, 1)
    pending = IndexOutbox.objects.get(applied_at__isnull=True)
    assert pending.doc_id == thread_doc_id(popular.pk)
    assert pending.attempts == 1
    assert thread_doc_id(popular.pk) in pending.last_error
    assert "votes" in pending.last_error
    assert find("pressure") == [thread_doc_id(ordinary.pk)]  # applied, and the delete ran

    [target] = index_status().targets
    assert (target.pending, target.failing) == (1, 1)
    assert thread_doc_id(popular.pk) in target.last_error
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert f"last error: DocumentsRejected: Elasticsearch rejected {pending.doc_id}" in " ".join(
        out.getvalue().split()
    )
