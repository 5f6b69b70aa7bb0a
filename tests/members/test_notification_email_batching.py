"""Immediate emails are batched: at most one per member per interval."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from members.models import EmailDelivery, Notification
from members.services.notifications import notification_create
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db


def notify(recipient, title):
    return notification_create(recipient=recipient, kind="forum.reply", title=title, url="/forum/")


def test_a_busy_thread_sends_one_email_per_interval_then_one_email_for_the_rest(
    django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_EMAIL_BATCH_MINUTES = 10
    recipient = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "First reply")
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2, 6):
            notify(recipient, f"Reply {number}")
    assert len(mail.outbox) == 1  # held until the interval ends
    held = Notification.objects.filter(email_status=EmailDelivery.PENDING)
    assert held.count() == 4
    first_sent = Notification.objects.get(title="First reply").emailed_at
    assert {n.email_next_attempt_at for n in held} == {first_sent + timedelta(minutes=10)}

    call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1  # not due yet

    held.update(email_next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2
    batch = mail.outbox[1]
    assert "4 new notifications" in batch.subject
    for number in range(2, 6):
        assert f"Reply {number}" in batch.body
    assert not Notification.objects.exclude(email_status=EmailDelivery.SENT).exists()


def test_other_members_are_not_held_back_by_someone_elses_email(
    django_capture_on_commit_callbacks,
):
    first, second = MemberFactory(), MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(first, "For the first")
        notify(second, "For the second")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email])


def test_every_notification_email_has_a_one_click_unsubscribe(django_capture_on_commit_callbacks):
    recipient = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient, "A reply")
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/members/unsubscribe/" in link
    assert link in message.body
