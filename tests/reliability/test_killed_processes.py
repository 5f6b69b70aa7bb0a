"""Processes killed with SIGKILL mid-job, for real, then run again.

- The django-tasks worker (``manage.py db_worker``, as ``tools/serve-dev.sh`` runs it) is
  killed while it sends an email (the local SMTP server holds the message unanswered): the
  email was not sent, nothing else is lost, and a rerun (the cron sweep, then the worker)
  sends it exactly once.
- ``manage.py search_index rebuild`` on Elasticsearch is killed during the bulk load and,
  separately, after the load but before the swap (a TCP proxy holds the request): the aliases
  still point at the old, complete index, and a rerun builds a new one and moves them.
"""

import signal
import subprocess
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.models import DigestReceipt, DigestStatus, EmailDelivery, Notification, Profile
from members.services.notifications import notification_create
from search.backends import search_backend
from search.projection import page_doc_id, thread_doc_id
from tests.factories.forum import make_thread
from tests.factories.kb import case_study
from tests.factories.members import MemberFactory
from tests.reliability import summary
from tests.reliability.conftest import manage

pytestmark = pytest.mark.django_db(transaction=True)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_a_worker_killed_while_sending_loses_nothing_and_the_rerun_sends_each_email_once(
    database_tasks, smtp_email, child_database
):
    immediate = MemberFactory()
    daily = MemberFactory()
    Profile.objects.filter(user=daily).update(notification_email="daily")
    notification = notification_create(
        recipient=immediate, kind="forum.reply", title="Ana replied", url="/forum/t/1/"
    )
    notification_create(recipient=daily, kind="forum.reply", title="Bo replied", url="/forum/t/1/")
    call_command("send_digests", "daily", stdout=open("/dev/null", "w"))
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    smtp_email.stall_next()
    child_database.push()

    worker = subprocess.Popen(
        manage("db_worker", "--batch", "--interval", "0", "--no-startup-delay"),
        env=child_database.env(EMAIL_PORT=smtp_email.port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp_email.stalled.wait(timeout=90), "the worker never reached the mail server"
        kill(worker)
    finally:
        if worker.poll() is None:
            worker.kill()
    smtp_email.release()
    child_database.pull()

    # Killed mid-send: that job is left running with its email leased, the other one queued.
    assert smtp_email.messages == []
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    leased = Notification.objects.filter(email_lease_until__isnull=False)
    receipts = DigestReceipt.objects.filter(lease_until__isnull=False)
    assert leased.count() + receipts.count() == 1

    # The lease runs out (moved into the past, as the clock would), then the rerun: the cron
    # sweep re-enqueues what is due and the worker sends it. Twice, to show nothing repeats.
    past = timezone.now() - timedelta(seconds=1)
    leased.update(email_lease_until=past)
    receipts.update(lease_until=past, created_at=past - timedelta(minutes=5))
    for _rerun in range(2):
        call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
        call_command("send_digests", "daily", stdout=open("/dev/null", "w"))
        call_command("db_worker", "--batch", "--interval", "0", stdout=open("/dev/null", "w"))

    assert smtp_email.received() == {
        (immediate.email, "notification"): 1,
        (daily.email, "digest"): 1,
    }
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.SENT
    assert DigestReceipt.objects.get(member=daily).status == DigestStatus.SENT
    summary.record("worker SIGKILLed mid-send", faults=1, lost=0)


@pytest.fixture
def elasticsearch_site(settings, elasticsearch_url, tmp_path):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = False
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"pcc-test-killed-{uuid.uuid4().hex[:8]}"
    search_backend.cache_clear()
    yield search_backend()
    search_backend().delete_all()
    search_backend.cache_clear()


def alias_state(es_client, backend) -> dict[str, list[str]]:
    return {
        alias: sorted(es_client.indices.get_alias(name=alias).keys())
        if es_client.indices.exists_alias(name=alias)
        else []
        for alias in (backend.read_alias, backend.write_alias, backend.building_alias)
    }


def indexed_ids(es_client, index) -> list[str]:
    es_client.indices.refresh(index=index)
    hits = es_client.search(index=index, query={"match_all": {}}, size=100, source=False)
    return sorted(hit["_id"] for hit in hits["hits"]["hits"])


@pytest.mark.elasticsearch
@pytest.mark.parametrize(
    ("moment", "held_request"),
    [("during the bulk load", b"/_bulk"), ("after the load, before the swap", b"/_settings")],
)
def test_a_rebuild_killed_midway_leaves_the_alias_on_the_old_complete_index_and_a_rerun_swaps(
    moment, held_request, elasticsearch_site, es_client, es_proxy, child_database, tmp_path
):
    backend = elasticsearch_site
    threads = [make_thread(title=f"Reservoir turnover {n}") for n in range(3)]
    page = case_study(title="Chlorine residual monitoring")
    call_command("search_index", "rebuild", stdout=open("/dev/null", "w"))
    old = alias_state(es_client, backend)
    assert old[backend.building_alias] == []
    (old_index,) = old[backend.read_alias]
    # The site changes after that rebuild: the outbox applies it to the live index.
    threads += [make_thread(title=f"Valve exercising {n}") for n in range(2)]
    everything = sorted([thread_doc_id(t.pk) for t in threads] + [page_doc_id(page.pk)])
    assert indexed_ids(es_client, backend.read_alias) == everything

    es_proxy.hold_on(held_request)
    child_database.push()
    rebuild = subprocess.Popen(
        manage("search_index", "rebuild"),
        env=child_database.env(
            SEARCH_BACKEND="elasticsearch",
            ELASTICSEARCH_URL=es_proxy.url,
            ELASTICSEARCH_INDEX_PREFIX=backend.prefix,
            SEARCH_EMBEDDED_PATH=tmp_path / "child-index.sqlite3",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert es_proxy.held.wait(timeout=90), f"the rebuild never got to {held_request!r}"
        kill(rebuild)
    finally:
        if rebuild.poll() is None:
            rebuild.kill()
    es_proxy.cut()

    during = alias_state(es_client, backend)
    assert during[backend.read_alias] == [old_index]
    assert during[backend.write_alias] == [old_index]
    (half_built,) = during[backend.building_alias]  # the killed rebuild's index, left aside
    assert half_built != old_index
    # Killed during the load it holds nothing; killed after it, every document, unverified.
    loaded = everything if held_request == b"/_settings" else []
    assert indexed_ids(es_client, half_built) == loaded
    assert indexed_ids(es_client, backend.read_alias) == everything
    assert backend.search_client.count(index=backend.read_alias)["count"] == len(everything)

    call_command("search_index", "rebuild", stdout=open("/dev/null", "w"))

    after = alias_state(es_client, backend)
    (new_index,) = after[backend.read_alias]
    assert new_index not in (old_index, half_built)
    assert after[backend.write_alias] == [new_index]
    assert after[backend.building_alias] == []
    assert not es_client.indices.exists(index=half_built)
    assert not es_client.indices.exists(index=old_index)
    assert indexed_ids(es_client, backend.read_alias) == everything
    summary.record(f"search rebuild SIGKILLed {moment}", faults=1, lost=0)
