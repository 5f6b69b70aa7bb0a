"""search.services.indexing: recording changes in the outbox, applying them, status."""

import datetime

import pytest
from django.db import transaction

from search.models import IndexOutbox
from search.services.indexing import (
    RETRY_MAX,
    index_targets,
    outbox_record,
    retry_delay,
)

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
