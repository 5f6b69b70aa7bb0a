"""Creating notifications, marking them read, and delivering their emails.

``kb`` and ``forum`` call ``notification_create``. Email follows the recipient's preference
(``Profile.notification_email``): "immediate" queues one email per notification through the
``members.tasks.notification_email_send`` task after the transaction commits; the digest
choices leave the row for the digest job (the forum's engagement work); "none" sends nothing.

Delivery is at-least-once with duplicate suppression: the sender leases the row before sending
and marks it sent after, so concurrent or repeated tasks send it once. A failed send keeps the
row pending with a back-off (``email_next_attempt_at``); the task re-enqueues itself when the
task backend can defer, and ``manage.py notifications_retry_email`` (run it from cron every few
minutes) re-enqueues anything due, including rows whose task was lost in a crash.
"""

import logging
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from members.models import EmailDelivery, Notification, NotificationEmail, Profile, User

logger = logging.getLogger("members.notifications")

EMAIL_LEASE = timedelta(minutes=5)
MAX_EMAIL_ATTEMPTS = 12
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 60 * 60

_STATUS_FOR_PREFERENCE = {
    NotificationEmail.IMMEDIATE: EmailDelivery.PENDING,
    NotificationEmail.DAILY: EmailDelivery.DIGEST,
    NotificationEmail.WEEKLY: EmailDelivery.DIGEST,
    NotificationEmail.NONE: EmailDelivery.NOT_WANTED,
}


@transaction.atomic
def notification_create(
    *,
    recipient: User,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    actor: User | None = None,
    group_key: str = "",
    group_title: str = "",
) -> Notification | None:
    """Add an item to ``recipient``'s feed and return it.

    Returns None without writing when the recipient is the actor (nobody is notified of their
    own action) or the account is inactive. Email delivery follows the member's preference.
    ``url`` is a site path ("/forum/t/12/#post-3") or an http(s) URL; anything else (such as
    "javascript:") is a programming error and raises ValueError, since the feed links to it.
    ``group_key``/``group_title`` put related items together in the feed and in digests
    (the forum passes "forum.thread:<id>" and the thread's title).
    """
    if url and not _is_safe_link(url):
        raise ValueError(f"Notification URLs must be site paths or http(s) URLs, not {url!r}.")
    if not recipient.is_active or (actor is not None and actor.pk == recipient.pk):
        return None
    preference = (
        Profile.objects.filter(user_id=recipient.pk)
        .values_list("notification_email", flat=True)
        .first()
    ) or NotificationEmail.IMMEDIATE
    notification = Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind[:50],
        title=title[:255],
        url=url[:500],
        body=body,
        group_key=group_key[:100],
        group_title=group_title[:255],
        email_status=_STATUS_FOR_PREFERENCE[preference],
    )
    if notification.email_status == EmailDelivery.PENDING:
        notification_id = notification.pk
        transaction.on_commit(lambda: _enqueue_email(notification_id))
    return notification


def _is_safe_link(url: str) -> bool:
    if url.startswith("/") and not url.startswith("//"):
        return True
    return url.startswith(("https://", "http://"))


def _enqueue_email(notification_id: int, run_after=None) -> None:
    from members.tasks import notification_email_send

    task = notification_email_send
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(notification_id=notification_id)


def _backend_can_defer() -> bool:
    from members.tasks import notification_email_send

    return notification_email_send.get_backend().supports_defer


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of ``user``'s notifications read; False when it is not theirs or is gone."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated) or Notification.objects.filter(pk=notification_id, recipient=user).exists()


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; return how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 1, 2, 4 ... minutes after each failure, at most six hours."""
    seconds = RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def notification_email_deliver(*, notification_id: int) -> str:
    """Send the notification's email if it is still owed; return what happened.

    Outcomes: "sent", "retry" (send failed, rescheduled), "failed" (gave up after
    ``MAX_EMAIL_ATTEMPTS``; ``--include-failed`` on the sweep command tries again),
    "cancelled" (recipient gone), "skipped" (already sent, not due, or held by another sender).
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .email_due(now)
        .update(email_lease_until=now + EMAIL_LEASE, email_attempts=F("email_attempts") + 1)
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient", "actor").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active or recipient.is_former_member:
        Notification.objects.filter(pk=notification_id).update(
            email_status=EmailDelivery.NOT_WANTED, email_lease_until=None
        )
        return "cancelled"
    try:
        _notification_email_message(notification).send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any transport failure is retried, never lost
        return _record_failure(notification, error)
    Notification.objects.filter(pk=notification_id).update(
        email_status=EmailDelivery.SENT,
        emailed_at=timezone.now(),
        email_lease_until=None,
        email_next_attempt_at=None,
        email_last_error="",
    )
    return "sent"


def _record_failure(notification: Notification, error: Exception) -> str:
    attempts = notification.email_attempts
    message = f"{type(error).__name__}: {error}"[:500]
    if attempts >= MAX_EMAIL_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(
            email_status=EmailDelivery.FAILED, email_lease_until=None, email_last_error=message
        )
        logger.error(
            "Gave up emailing notification %s after %s attempts: %s",
            notification.pk,
            attempts,
            message,
        )
        return "failed"
    next_attempt = timezone.now() + retry_delay(attempts)
    Notification.objects.filter(pk=notification.pk).update(
        email_lease_until=None, email_next_attempt_at=next_attempt, email_last_error=message
    )
    logger.warning(
        "Emailing notification %s failed (attempt %s), retrying at %s: %s",
        notification.pk,
        attempts,
        next_attempt.isoformat(),
        message,
    )
    if _backend_can_defer():
        _enqueue_email(notification.pk, run_after=next_attempt)
    return "retry"


def _notification_email_message(notification: Notification) -> EmailMultiAlternatives:
    absolute_url = urljoin(settings.SITE_URL + "/", notification.url) if notification.url else ""
    context = {
        "notification": notification,
        "recipient_name": notification.recipient.public_name,
        "actor_name": notification.actor.public_name if notification.actor else "",
        "absolute_url": absolute_url,
        "feed_url": urljoin(settings.SITE_URL + "/", "/members/notifications/"),
        "preferences_url": urljoin(settings.SITE_URL + "/", "/members/profile/edit/#notifications"),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = render_to_string("members/email/notification_subject.txt", context)
    subject = " ".join(subject.split())[:200]
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    text = render_to_string("members/email/notification_message.txt", context)
    message = EmailMultiAlternatives(
        subject=f"{prefix}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={"X-PCC-Notification": str(notification.pk), "Auto-Submitted": "auto-generated"},
    )
    return message


def notification_emails_requeue(*, include_failed: bool = False) -> int:
    """Enqueue a delivery task for every notification email that is due; return how many.

    ``include_failed`` also gives up-on rows a fresh series of attempts.
    """
    if include_failed:
        Notification.objects.filter(email_status=EmailDelivery.FAILED).update(
            email_status=EmailDelivery.PENDING, email_attempts=0, email_next_attempt_at=None
        )
    due = list(Notification.objects.email_due().values_list("pk", flat=True)[:5000])
    for notification_id in due:
        _enqueue_email(notification_id)
    return len(due)
