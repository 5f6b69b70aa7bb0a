"""The hostile corpus through notification emails and daily/weekly digests, delivered by the
real tasks and commands into ``django.core.mail.outbox`` and parsed as a mail client would
(tests/security/hostile.py ``assert_safe_email``): headers, the text part and the HTML part.

Two paths make the notifications: the forum's fan-out (hostile members reply in a thread with
a hostile title; its author hears of each reply) and ``notification_create`` as kb, forum
moderation and suspensions call it (hostile title and body). Immediate emails are batched per
member (``NOTIFICATION_EMAIL_BATCH_MINUTES``): with the interval at 0 every notification gets
its own email (its title is the subject); with the default interval the first goes at once and
the rest are held, then ``manage.py notifications_retry_email`` sends them as one batch once
the interval has passed.
"""

from datetime import timedelta
from io import StringIO
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import DigestReceipt, EmailDelivery, Notification, NotificationEmail
from members.services.notifications import notification_create
from tests.factories.forum import CategoryFactory, make_reply, make_thread
from tests.factories.members import MemberFactory
from tests.security.hostile import INPUTS, assert_safe_email, record_surface
from tests.security.pages import all_pages

pytestmark = pytest.mark.django_db


def hostile_notifications(recipient, actor, *, texts=INPUTS):
    """``notification_create`` with every hostile input as title, body and group title."""
    for number, text in enumerate(texts):
        notification_create(
            recipient=recipient,
            kind="kb.submission",
            title=text[:200] or "x",
            body=text,
            # links are site paths the product builds; an attribute-breaking fragment
            url=f"/knowledge/{number}/#x\"'><b onmouseover=alert(1)>",
            actor=actor,
            group_key=f"hostile:{number % 7}",
            group_title=text[:200],
        )


def member_text(recipient, notifications) -> list[str]:
    """The stored plain-text values an email quotes: what the members typed."""
    values = [recipient.public_name]
    for notification in notifications:
        values += [notification.title, notification.body, notification.group_title]
        if notification.actor:
            values.append(notification.actor.public_name)
        # the email prints the absolute URL, which urljoin cleans of tabs and newlines
        values.append(urljoin(settings.SITE_URL + "/", notification.url))
    return values


def sent_to(recipient):
    return [m for m in mail.outbox if m.to == [recipient.email]]


def notifications_in(message):
    ids = message.extra_headers.get("X-PCC-Notification", "")
    if ids:
        return list(Notification.objects.filter(pk__in=ids.split(",")).select_related("actor"))
    receipt = DigestReceipt.objects.get(pk=message.extra_headers["X-PCC-Digest"])
    return list(Notification.objects.filter(digest=receipt).select_related("actor"))


def check_all(recipient, messages, where):
    for message in messages:
        notifications = notifications_in(message)
        assert notifications, where
        assert_safe_email(
            message,
            recipient_email=recipient.email,
            member_text=member_text(recipient, notifications),
            where=where,
        )


def test_one_email_per_notification_when_the_batch_interval_is_zero(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_EMAIL_BATCH_MINUTES = 0
    recipient = MemberFactory(profile__notification_email=NotificationEmail.IMMEDIATE)
    actor = MemberFactory()
    mail.outbox.clear()
    for text in INPUTS:  # one transaction per event, as in production
        with django_capture_on_commit_callbacks(execute=True):
            hostile_notifications(recipient, actor, texts=[text])
    messages = sent_to(recipient)
    assert len(messages) == len(INPUTS)
    check_all(recipient, messages, "immediate notification email")
    subjects = {m.subject for m in messages}
    assert len(subjects) > len(INPUTS) // 2  # the hostile titles really are the subjects
    record_surface("notification email (subject, headers, text)", len(INPUTS))


def test_held_notifications_go_out_as_one_batch_email(django_capture_on_commit_callbacks):
    recipient = MemberFactory(profile__notification_email=NotificationEmail.IMMEDIATE)
    actor = MemberFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hostile_notifications(recipient, actor, texts=INPUTS[:1])
    with django_capture_on_commit_callbacks(execute=True):
        hostile_notifications(recipient, actor, texts=INPUTS[1:])
    assert len(sent_to(recipient)) == 1
    held = Notification.objects.filter(recipient=recipient, email_status=EmailDelivery.PENDING)
    assert held.count() == len(INPUTS) - 1
    # The batch interval has passed (the held rows are due now); the cron sweep sends them.
    held.update(email_next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications_retry_email", stdout=StringIO())
    messages = sent_to(recipient)
    assert len(messages) == 2
    assert len(notifications_in(messages[1])) == len(INPUTS) - 1
    check_all(recipient, messages, "batched notification email")
    record_surface("notification batch email (subject, headers, text)", len(INPUTS))


@pytest.mark.parametrize("frequency", [NotificationEmail.DAILY, NotificationEmail.WEEKLY])
def test_digests_html_and_text(frequency, django_capture_on_commit_callbacks):
    recipient = MemberFactory(profile__notification_email=frequency)
    actor = MemberFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hostile_notifications(recipient, actor)
    assert sent_to(recipient) == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", frequency, stdout=StringIO())
    messages = sent_to(recipient)
    assert len(messages) == 1
    assert len(notifications_in(messages[0])) == len(INPUTS)
    assert [kind for _content, kind in messages[0].alternatives] == ["text/html"]
    check_all(recipient, messages, f"{frequency} digest")
    record_surface(f"{frequency} digest email (HTML, text, headers)", len(INPUTS))


def test_forum_reply_notifications_from_hostile_members_in_hostile_threads(
    settings, hostile_authors, django_capture_on_commit_callbacks, client
):
    """The real fan-out: the thread's author hears of every reply, by email (one each) and in
    a daily digest; the notification text is built from the thread title, the replier's
    display name and an excerpt of the rendered reply."""
    settings.NOTIFICATION_EMAIL_BATCH_MINUTES = 0
    immediate = MemberFactory(profile__notification_email=NotificationEmail.IMMEDIATE)
    daily = MemberFactory(profile__notification_email=NotificationEmail.DAILY)
    category = CategoryFactory(slug="hostile-mail")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        threads = {
            owner.pk: [
                make_thread(category=category, author=owner, title=(text.strip() or "x")[:200])
                for text in INPUTS[:20]
            ]
            for owner in (immediate, daily)
        }
    for number, (author, text) in enumerate(zip(hostile_authors, INPUTS, strict=True)):
        for owner in (immediate, daily):
            with django_capture_on_commit_callbacks(execute=True):
                make_reply(threads[owner.pk][number % 20], author=author, body=text or "x")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "daily", stdout=StringIO())
    immediate_mail = sent_to(immediate)
    assert len(immediate_mail) == len(INPUTS)
    check_all(immediate, immediate_mail, "forum reply email")
    digest = sent_to(daily)
    assert len(digest) == 1
    assert len(notifications_in(digest[0])) == len(INPUTS)
    check_all(daily, digest, "forum reply daily digest")
    record_surface("forum reply notification email (thread title, name, excerpt)", len(INPUTS))
    record_surface("forum reply daily digest", len(INPUTS))

    client.force_login(daily)
    from tests.security.hostile import assert_no_script_capable_construct

    for html in all_pages(client, reverse("members:notifications")):
        assert_no_script_capable_construct(html, "notification feed page")
    record_surface("notification feed page (forum replies)", len(INPUTS))
