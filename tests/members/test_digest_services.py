"""Daily and weekly digests: one per member and period, however often or concurrently run."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from members.models import DigestReceipt, DigestStatus, EmailDelivery, Notification, Profile
from members.services.accounts import account_delete
from members.services.digests import (
    digest_claim,
    digest_deliver,
    digest_period,
)
from members.services.notifications import MAX_EMAIL_ATTEMPTS, notification_create
from tests.factories.members import MemberFactory
from tests.members.email_backends import FlakyEmailBackend

pytestmark = pytest.mark.django_db


def digest_member(frequency="daily"):
    member = MemberFactory()
    Profile.objects.filter(user=member).update(notification_email=frequency)
    return member


def notify(member, title, group=("forum.thread:1", "Tariff letters")):
    return notification_create(
        recipient=member,
        kind="forum.reply",
        title=title,
        url="/forum/t/1/",
        group_key=group[0],
        group_title=group[1],
    )


def run(frequency="daily"):
    call_command("send_digests", frequency, stdout=open("/dev/null", "w"))


def test_the_period_names_a_day_or_an_iso_week():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 3, 12))
    assert digest_period("daily", moment) == "2026-12-03"
    assert digest_period("weekly", moment) == "2026-W49"


def test_a_digest_run_sends_each_digest_member_exactly_one_digest(
    django_capture_on_commit_callbacks,
):
    daily, other_daily, weekly = digest_member(), digest_member(), digest_member("weekly")
    immediate = MemberFactory()
    notify(daily, "Ana replied")
    notify(daily, "Bo replied")
    notify(other_daily, "Cy replied")
    notify(weekly, "Di replied")
    with django_capture_on_commit_callbacks(execute=True):
        notify(immediate, "Ed replied")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run("daily")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([daily.email, other_daily.email])
    [digest] = [m for m in mail.outbox if m.to == [daily.email]]
    assert "Ana replied" in digest.body
    assert "Bo replied" in digest.body
    assert "Tariff letters" in digest.body
    html = digest.alternatives[0][0]
    assert "<h2" in html
    assert "Tariff letters" in html
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/members/unsubscribe/" in digest.extra_headers["List-Unsubscribe"]

    # Re-running the same day sends nothing more, even for notifications that came since.
    notify(daily, "Late reply")
    with django_capture_on_commit_callbacks(execute=True):
        run("daily")
    assert len(mail.outbox) == 2
    assert DigestReceipt.objects.filter(member=daily).count() == 1
    assert Notification.objects.get(title="Late reply").email_status == EmailDelivery.DIGEST

    with django_capture_on_commit_callbacks(execute=True):
        run("weekly")
    assert [m.to for m in mail.outbox[2:]] == [[weekly.email]]


def test_the_digest_groups_items_by_thread_and_followed_topic():
    member = digest_member()
    notify(member, "Reply one", ("forum.thread:1", "Tariff letters"))
    notify(member, "New thread on trust", ("taxonomy.topic:4", "Customer trust"))
    notify(member, "Reply two", ("forum.thread:1", "Tariff letters"))
    notify(member, "Your case study was approved", ("", ""))
    receipt = digest_claim(member_id=member.pk, frequency="daily", period="2026-12-03")
    assert digest_deliver(receipt_id=receipt.pk) == "sent"
    body = mail.outbox[0].body
    assert body.index("Tariff letters") < body.index("Reply one") < body.index("Reply two")
    assert body.index("Reply two") < body.index("Customer trust")
    assert body.index("Customer trust") < body.index("Other notifications")


def test_of_two_runs_racing_for_a_member_only_the_first_claim_wins():
    """Concurrent runs both see the member waiting; the unique receipt lets one claim."""
    member = digest_member()
    notify(member, "A reply")
    first = digest_claim(member_id=member.pk, frequency="daily", period="p")
    assert first is not None
    notify(member, "Another")
    assert digest_claim(member_id=member.pk, frequency="daily", period="p") is None
    assert set(first.notifications.values_list("title", flat=True)) == {"A reply"}


def test_a_member_deleted_between_event_and_digest_gets_no_email_and_no_error(
    django_capture_on_commit_callbacks,
):
    member = digest_member()
    notify(member, "A reply")
    receipt = digest_claim(member_id=member.pk, frequency="daily", period="p")
    account_delete(user=member, actor=member)
    assert digest_deliver(receipt_id=receipt.pk) == "cancelled"
    assert mail.outbox == []

    gone = digest_member()
    notify(gone, "Another reply")
    account_delete(user=gone, actor=gone)
    with django_capture_on_commit_callbacks(execute=True):
        run("daily")
    assert mail.outbox == []


def test_a_failing_mail_server_is_retried_and_after_the_last_try_marked_failed(settings):
    settings.EMAIL_BACKEND = "tests.members.email_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_remaining = 1
    member = digest_member()
    notify(member, "A reply")
    receipt = digest_claim(member_id=member.pk, frequency="daily", period="p")
    assert digest_deliver(receipt_id=receipt.pk) == "retry"
    receipt.refresh_from_db()
    assert receipt.status == DigestStatus.PENDING
    assert receipt.next_attempt_at > timezone.now()
    assert "SMTPServerDisconnected" in receipt.last_error
    assert digest_deliver(receipt_id=receipt.pk) == "skipped"  # not due yet

    DigestReceipt.objects.filter(pk=receipt.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1),
        created_at=timezone.now() - timedelta(hours=1),
    )
    run("daily")  # re-enqueues due retries; the immediate backend delivers
    receipt.refresh_from_db()
    assert receipt.status == DigestStatus.SENT
    assert len(mail.outbox) == 1
    run("daily")
    assert len(mail.outbox) == 1

    FlakyEmailBackend.failures_remaining = 1
    doomed = digest_member()
    notify(doomed, "Never delivered")
    receipt = digest_claim(member_id=doomed.pk, frequency="daily", period="p")
    DigestReceipt.objects.filter(pk=receipt.pk).update(attempts=MAX_EMAIL_ATTEMPTS - 1)
    assert digest_deliver(receipt_id=receipt.pk) == "failed"
    receipt.refresh_from_db()
    assert receipt.status == DigestStatus.FAILED
    FlakyEmailBackend.failures_remaining = 0


@pytest.fixture
def admin_client(client):
    from allauth.mfa.totp.internal.auth import TOTP

    from members import roles
    from members.services.roles import user_roles_set

    admin = MemberFactory()
    user_roles_set(user=admin, roles_wanted={roles.MEMBER, roles.ADMIN}, actor=None)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(admin)
    return client


def test_failed_digests_are_listed_for_admins(admin_client):
    member = digest_member()
    notify(member, "A reply")
    receipt = digest_claim(member_id=member.pk, frequency="daily", period="2026-12-03")
    DigestReceipt.objects.filter(pk=receipt.pk).update(status=DigestStatus.FAILED)
    response = admin_client.get("/django-admin/members/digestreceipt/?status=failed")
    assert response.status_code == 200
    assert "2026-12-03" in response.text
