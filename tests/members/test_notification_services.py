from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from members.models import EmailDelivery, Notification, Profile
from members.services.notifications import (
    MAX_EMAIL_ATTEMPTS,
    notification_create,
    notification_email_deliver,
    notification_mark_all_read,
    notification_mark_read,
)
from tests.factories.members import MemberFactory, UserFactory
from tests.members.email_backends import FlakyEmailBackend

pytestmark = pytest.mark.django_db

FLAKY = "tests.members.email_backends.FlakyEmailBackend"


@pytest.fixture
def flaky_email(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyEmailBackend.failures_remaining = 0
    FlakyEmailBackend.attempts = 0
    yield FlakyEmailBackend
    FlakyEmailBackend.failures_remaining = 0


def create(recipient, **kwargs):
    defaults = {
        "kind": "forum.reply",
        "title": "Ana replied to your question",
        "url": "/forum/t/1/",
    }
    defaults.update(kwargs)
    return notification_create(recipient=recipient, **defaults)


def test_a_notification_is_emailed_exactly_once_after_commit(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://hub.example.org"
    recipient = MemberFactory(email="reader@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = create(recipient, body="Try bill inserts.", actor=MemberFactory())
        assert mail.outbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Ana replied to your question" in message.subject
    assert "https://hub.example.org/forum/t/1/" in message.body
    assert "https://hub.example.org/members/profile/edit/#notifications" in message.body
    assert "Try bill inserts." in message.body
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.SENT
    assert notification.emailed_at is not None
    assert notification.email_attempts == 1

    # A duplicate task (a retry sweep, a second worker) does not send it again.
    assert notification_email_deliver(notification_id=notification.pk) == "skipped"
    call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1


def test_a_failed_send_is_kept_and_retried_until_it_goes_out(
    flaky_email, django_capture_on_commit_callbacks
):
    recipient = MemberFactory()
    flaky_email.failures_remaining = 1
    with django_capture_on_commit_callbacks(execute=True):
        notification = create(recipient)
    notification.refresh_from_db()
    assert mail.outbox == []
    assert notification.email_status == EmailDelivery.PENDING
    assert notification.email_attempts == 1
    assert "SMTPServerDisconnected" in notification.email_last_error
    assert notification.email_next_attempt_at > timezone.now()

    # Not yet due: the sweep leaves it alone.
    call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
    assert mail.outbox == []

    # Once the back-off has passed, the sweep re-enqueues it and it is sent, once.
    Notification.objects.filter(pk=notification.pk).update(
        email_next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
    call_command("notifications_retry_email", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.SENT
    assert notification.email_attempts == 2
    assert notification.email_last_error == ""
    assert flaky_email.attempts == 2


def test_after_every_attempt_fails_the_email_is_marked_failed_not_dropped(flaky_email):
    notification = create(MemberFactory())
    flaky_email.failures_remaining = 1
    Notification.objects.filter(pk=notification.pk).update(email_attempts=MAX_EMAIL_ATTEMPTS - 1)
    assert notification_email_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.FAILED

    call_command("notifications_retry_email", "--include-failed", stdout=open("/dev/null", "w"))
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.SENT
    assert len(mail.outbox) == 1


def test_a_leased_email_is_not_sent_by_a_second_worker():
    notification = create(MemberFactory())
    Notification.objects.filter(pk=notification.pk).update(
        email_lease_until=timezone.now() + timedelta(minutes=5)
    )
    assert notification_email_deliver(notification_id=notification.pk) == "skipped"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("preference", "status"),
    [
        ("daily", EmailDelivery.DIGEST),
        ("weekly", EmailDelivery.DIGEST),
        ("none", EmailDelivery.NOT_WANTED),
    ],
)
def test_members_who_chose_a_digest_or_no_email_get_no_immediate_email(
    preference, status, django_capture_on_commit_callbacks
):
    recipient = MemberFactory()
    Profile.objects.filter(user=recipient).update(notification_email=preference)
    with django_capture_on_commit_callbacks(execute=True):
        notification = create(recipient)
    assert notification.email_status == status
    assert mail.outbox == []


def test_nobody_is_notified_of_their_own_action_or_while_inactive():
    member = MemberFactory()
    assert create(member, actor=member) is None
    inactive = UserFactory(is_active=False)
    assert create(inactive) is None
    assert Notification.objects.count() == 0


def test_an_email_owed_to_an_account_deleted_meanwhile_is_cancelled():
    recipient = MemberFactory()
    notification = create(recipient)
    type(recipient).objects.filter(pk=recipient.pk).update(is_active=False)
    assert notification_email_deliver(notification_id=notification.pk) == "cancelled"
    assert mail.outbox == []


def test_mark_read_only_touches_the_members_own_notifications():
    owner, other = MemberFactory(), MemberFactory()
    notification = create(owner)
    assert notification_mark_read(user=other, notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.read_at is None
    assert notification_mark_read(user=owner, notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_marks_every_unread_item():
    owner = MemberFactory()
    for index in range(3):
        create(owner, title=f"n{index}")
    create(MemberFactory())
    assert notification_mark_all_read(user=owner) == 3
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "data:text/html,x"])
def test_notification_links_must_be_site_paths_or_web_urls(url):
    with pytest.raises(ValueError, match="site paths"):
        create(MemberFactory(), url=url)
    assert Notification.objects.count() == 0


def test_notification_text_is_stored_without_control_characters_and_titles_on_one_line():
    # Thread titles and moderation reasons reach notification_create from services; NUL would
    # make PostgreSQL refuse the row, CR/LF would fold into the email subject.
    recipient = MemberFactory()
    notification = notification_create(
        recipient=recipient,
        kind="forum.reply",
        title="Tariff\x00 rise\r\nBcc: victim@example.org",
        body="First line\x00\r\nsecond\x07 line",
        group_title="Group\x00\ntitle",
    )
    notification.refresh_from_db()
    assert notification.title == "Tariff rise Bcc: victim@example.org"
    assert notification.body == "First line\nsecond line"
    assert notification.group_title == "Group title"
