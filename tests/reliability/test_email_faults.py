"""The mail server failing, for real: Django's SMTP backend sends to a local SMTP server
(tests/reliability/smtp_server.py) that answers 451, answers 421 and hangs up, or drops the
connection for the first messages. The jobs run on the real django-tasks database backend
and its worker. Every email arrives exactly once (counted by the server per recipient and
kind), after retries with back-off; re-running ``send_digests`` (also twice at once, in two
processes) never sends a digest twice.
"""

import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.models import DigestReceipt, DigestStatus, EmailDelivery, Notification, Profile
from members.services.notifications import notification_create, retry_delay
from tests.factories.members import MemberFactory
from tests.reliability import summary
from tests.reliability.conftest import manage

# Transactional: changes commit, so after-commit enqueues really happen, and the worker may
# close its connection as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--interval", "0", stdout=open("/dev/null", "w"))


def pending_retries() -> list[tuple[int, float]]:
    """(attempts so far, seconds until the next attempt) of each notification waiting for
    a retry."""
    now = timezone.now()
    return [
        (attempts, (next_at - now).total_seconds())
        for attempts, next_at in Notification.objects.filter(
            email_status=EmailDelivery.PENDING, email_next_attempt_at__isnull=False
        ).values_list("email_attempts", "email_next_attempt_at")
    ]


def drain(max_rounds: int = 10) -> list[tuple[int, float]]:
    """Run the worker until no job is left, letting each back-off elapse in between (the
    retry marks are moved into the past, as the clock would); returns the back-offs seen."""
    backoffs = []
    for _round in range(max_rounds):
        run_worker()
        backoffs += pending_retries()
        if not DBTaskResult.objects.filter(status="READY").exists():
            return backoffs
        past = timezone.now() - timedelta(seconds=1)
        DBTaskResult.objects.filter(status="READY").update(run_after=past)
        Notification.objects.filter(email_next_attempt_at__isnull=False).update(
            email_next_attempt_at=past
        )
        DigestReceipt.objects.filter(next_attempt_at__isnull=False).update(next_attempt_at=past)
    raise AssertionError(f"jobs were still queued after {max_rounds} worker runs")


def digest_member():
    member = MemberFactory()
    Profile.objects.filter(user=member).update(notification_email="daily")
    return member


def notify(member, title):
    return notification_create(
        recipient=member,
        kind="forum.reply",
        title=title,
        url="/forum/t/1/",
        group_key="forum.thread:1",
        group_title="Tariff letters",
    )


def test_notification_and_account_emails_survive_a_failing_mail_server_exactly_once(
    database_tasks, smtp_email, client
):
    members = [MemberFactory() for _ in range(3)]
    smtp_email.fail_next(2, "451")
    smtp_email.fail_next(1, "421")
    smtp_email.fail_next(1, "drop")
    for member in members:
        notify(member, f"A reply for {member.public_name}")
    response = client.post("/accounts/password/reset/", {"email": members[0].email})
    assert response.status_code == 302

    backoffs = drain()

    expected = {(member.email, "notification"): 1 for member in members}
    expected[(members[0].email, "account")] = 1
    assert smtp_email.received() == expected
    assert smtp_email.refused == 4
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailDelivery.SENT}
    # Each attempt was one message offered to the server: refused or accepted, never both.
    attempts = sum(Notification.objects.values_list("email_attempts", flat=True))
    attempts += DBTaskResult.objects.filter(task_path__endswith="account_email_send").count()
    assert attempts == len(smtp_email.messages) + smtp_email.refused
    # Retried with exponential back-off: 1 min after the first failure, 2 after the second.
    assert backoffs
    for failures, seconds in backoffs:
        assert retry_delay(failures).total_seconds() - 30 < seconds
        assert seconds <= retry_delay(failures).total_seconds()
    retried_account = DBTaskResult.objects.filter(
        task_path__endswith="account_email_send", status="SUCCESSFUL"
    ).get()
    assert retried_account.args_kwargs["kwargs"].get("attempt", 1) > 1
    summary.record("SMTP server refusing (451, 421, dropped)", faults=smtp_email.refused, lost=0)


def test_digests_are_sent_once_through_failures_and_re_runs(database_tasks, smtp_email):
    members = [digest_member() for _ in range(3)]
    for member in members:
        notify(member, "Ana replied")
        notify(member, "Bo replied")
    smtp_email.fail_next(1, "drop")
    smtp_email.fail_next(1, "451")
    smtp_email.fail_next(1, "421")

    call_command("send_digests", "daily", stdout=open("/dev/null", "w"))
    drain()
    for _rerun in range(2):
        call_command("send_digests", "daily", stdout=open("/dev/null", "w"))
        drain()

    assert smtp_email.received() == {(member.email, "digest"): 1 for member in members}
    assert smtp_email.refused == 3
    assert DigestReceipt.objects.filter(status=DigestStatus.SENT).count() == 3
    assert not DigestReceipt.objects.exclude(status=DigestStatus.SENT).exists()
    assert sum(DigestReceipt.objects.values_list("attempts", flat=True)) == 3 + 3
    summary.record("SMTP server refusing digests", faults=smtp_email.refused, lost=0)


def test_two_digest_runs_at_once_in_two_processes_claim_each_digest_once(
    database_tasks, smtp_email, child_database
):
    members = [digest_member() for _ in range(4)]
    for member in members:
        notify(member, "Cy replied")
    smtp_email.fail_next(2, "451")
    child_database.push()

    runs = [
        subprocess.Popen(
            manage("send_digests", "daily"),
            env=child_database.env(EMAIL_PORT=smtp_email.port),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    child_database.pull()
    claimed = [int(out.split("queued ")[1].split(" ")[0]) for out, _err in outputs]
    assert sum(claimed) == len(members)
    drain()

    assert smtp_email.received() == {(member.email, "digest"): 1 for member in members}
    assert DigestReceipt.objects.filter(status=DigestStatus.SENT).count() == len(members)
    summary.record("SMTP server refusing digests", faults=smtp_email.refused, lost=0)
