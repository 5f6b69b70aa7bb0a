"""Creating notifications, marking them read, and delivering their emails.

``kb`` and ``forum`` call ``notification_create``. Email follows the recipient's preference
(``Profile.notification_email``): "immediate" queues the email through the
``members.tasks.notification_email_send`` task after the transaction commits; the digest
choices leave the row for ``members.services.digests``; "none" sends nothing.

Immediate emails are batched: a member gets at most one every
``settings.NOTIFICATION_EMAIL_BATCH_MINUTES`` (10). A notification created sooner after the
last email is held until the interval ends, and one email then carries every notification
due for that member (a busy thread sends one email, not one per reply).

Delivery is at-least-once with duplicate suppression: the sender leases the member's due rows
(one UPDATE, tagged with a lease token) before sending and marks them sent after, so
concurrent or repeated tasks send each once. A failed send keeps the rows pending with a
back-off (``email_next_attempt_at``); the task re-enqueues itself when the task backend can
defer, and ``manage.py notifications_retry_email`` (run it from cron every few minutes)
re-enqueues anything due, including held batches and rows whose task was lost in a crash.
Every email carries a one-click unsubscribe link and RFC 8058 headers
(``members.services.unsubscribe``).
"""

import logging
import uuid
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from markup import multiline_text, single_line_text
from members.models import EmailDelivery, Notification, NotificationEmail, Profile, User
from members.notification_access import still_readable
from members.services.unsubscribe import unsubscribe_headers, unsubscribe_url

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
    (the forum passes "forum.thread:<id>" and the thread's title). Title, group title and
    body are member text (thread titles, moderation reasons) and are stored through
    ``markup.text``: no control characters (PostgreSQL refuses NUL), titles on one line.
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
        title=single_line_text(title)[:255],
        url=url[:500],
        body=multiline_text(body),
        group_key=group_key[:100],
        group_title=single_line_text(group_title)[:255],
        email_status=_STATUS_FOR_PREFERENCE[preference],
        email_next_attempt_at=None,
    )
    if notification.email_status == EmailDelivery.PENDING:
        hold_until = _batch_hold_until(recipient.pk, notification.created_at)
        if hold_until is not None:
            Notification.objects.filter(pk=notification.pk).update(email_next_attempt_at=hold_until)
            notification.email_next_attempt_at = hold_until
        notification_id = notification.pk
        if hold_until is None:
            transaction.on_commit(lambda: _enqueue_email(notification_id))
        elif _backend_can_defer():
            transaction.on_commit(lambda: _enqueue_email(notification_id, run_after=hold_until))
        # else: the notifications_retry_email sweep sends the held batch when it is due.
    return notification


def batch_interval() -> timedelta:
    return timedelta(minutes=getattr(settings, "NOTIFICATION_EMAIL_BATCH_MINUTES", 10))


def _batch_hold_until(recipient_id: int, now: datetime) -> datetime | None:
    """When the member's next immediate email may go: the end of the interval that began
    with their last one, or None if it may go now."""
    interval = batch_interval()
    if interval <= timedelta(0):
        return None
    last_sent = (
        Notification.objects.filter(recipient_id=recipient_id, emailed_at__gt=now - interval)
        .order_by("-emailed_at")
        .values_list("emailed_at", flat=True)
        .first()
    )
    return last_sent + interval if last_sent is not None else None


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
    """Send the email owed for this notification, together with every other notification
    email due for the same member (one email per batch); return what happened.

    Outcomes: "sent", "retry" (send failed, rescheduled), "failed" (gave up after
    ``MAX_EMAIL_ATTEMPTS``; ``--include-failed`` on the sweep command tries again),
    "cancelled" (recipient gone), "skipped" (already sent, not due, or held by another sender).
    """
    now = timezone.now()
    recipient_id = (
        Notification.objects.filter(pk=notification_id)
        .values_list("recipient_id", flat=True)
        .first()
    )
    if recipient_id is None:
        return "skipped"
    token = uuid.uuid4().hex
    claimed = (
        Notification.objects.filter(recipient_id=recipient_id)
        .email_due(now)
        .update(
            email_lease_until=now + EMAIL_LEASE,
            email_lease_token=token,
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return "skipped"
    batch = list(
        Notification.objects.filter(
            recipient_id=recipient_id,
            email_lease_token=token,
            email_status=EmailDelivery.PENDING,
        )
        .select_related("recipient", "actor")
        .order_by("created_at", "id")
    )
    if not batch:
        return "skipped"
    recipient = batch[0].recipient
    # Access can end between the notification and its email: what the recipient may no
    # longer read is not sent (members.notification_access), and no email is owed for it.
    readable = still_readable(recipient, batch)
    if len(readable) < len(batch):
        kept = {notification.pk for notification in readable}
        Notification.objects.filter(
            pk__in=[notification.pk for notification in batch if notification.pk not in kept]
        ).update(email_status=EmailDelivery.NOT_WANTED, email_lease_until=None)
        batch = readable
        if not batch:
            return "cancelled"
    ids = [notification.pk for notification in batch]
    if not recipient.is_active or recipient.is_former_member:
        Notification.objects.filter(pk__in=ids).update(
            email_status=EmailDelivery.NOT_WANTED, email_lease_until=None
        )
        return "cancelled"
    try:
        _notification_email_message(batch).send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any transport failure is retried, never lost
        return _record_failure(batch, error)
    Notification.objects.filter(pk__in=ids).update(
        email_status=EmailDelivery.SENT,
        emailed_at=timezone.now(),
        email_lease_until=None,
        email_next_attempt_at=None,
        email_last_error="",
    )
    return "sent"


def _record_failure(batch: list[Notification], error: Exception) -> str:
    attempts = max(notification.email_attempts for notification in batch)
    ids = [notification.pk for notification in batch]
    message = f"{type(error).__name__}: {error}"[:500]
    if attempts >= MAX_EMAIL_ATTEMPTS:
        Notification.objects.filter(pk__in=ids).update(
            email_status=EmailDelivery.FAILED, email_lease_until=None, email_last_error=message
        )
        logger.error(
            "Gave up emailing notifications %s after %s attempts: %s", ids, attempts, message
        )
        return "failed"
    next_attempt = timezone.now() + retry_delay(attempts)
    Notification.objects.filter(pk__in=ids).update(
        email_lease_until=None, email_next_attempt_at=next_attempt, email_last_error=message
    )
    logger.warning(
        "Emailing notifications %s failed (attempt %s), retrying at %s: %s",
        ids,
        attempts,
        next_attempt.isoformat(),
        message,
    )
    if _backend_can_defer():
        _enqueue_email(ids[0], run_after=next_attempt)
    return "retry"


def _notification_email_message(batch: list[Notification]) -> EmailMultiAlternatives:
    """One email for ``batch`` (a member's due notifications, oldest first)."""
    notification = batch[-1]
    recipient = notification.recipient
    site = settings.SITE_URL + "/"
    items = [
        {
            "notification": item,
            "actor_name": item.actor.public_name if item.actor else "",
            "absolute_url": urljoin(site, item.url) if item.url else "",
        }
        for item in batch
    ]
    context = {
        "notification": notification,
        "items": items,
        "count": len(items),
        "recipient_name": recipient.public_name,
        "actor_name": items[-1]["actor_name"],
        "absolute_url": items[-1]["absolute_url"],
        "feed_url": urljoin(site, "/members/notifications/"),
        "preferences_url": urljoin(site, "/members/profile/edit/#notifications"),
        "unsubscribe_url": unsubscribe_url(user=recipient, kind=NotificationEmail.IMMEDIATE),
        "SITE_NAME": settings.SITE_NAME,
    }
    template = "notification" if len(batch) == 1 else "notification_batch"
    subject = render_to_string(f"members/email/{template}_subject.txt", context)
    subject = " ".join(subject.split())[:200]
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    text = render_to_string(f"members/email/{template}_message.txt", context)
    message = EmailMultiAlternatives(
        subject=f"{prefix}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "X-PCC-Notification": ",".join(str(item.pk) for item in batch),
            "Auto-Submitted": "auto-generated",
            **unsubscribe_headers(user=recipient, kind=NotificationEmail.IMMEDIATE),
        },
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
