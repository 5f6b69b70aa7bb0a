"""Daily and weekly digest emails.

``manage.py send_digests daily|weekly`` (cron) calls ``digests_send``. For every member whose
preference is that frequency and who has notifications waiting (``EmailDelivery.DIGEST``,
not yet in a digest), ``digest_claim`` inserts a ``DigestReceipt`` for the current period and
attaches the waiting notifications to it, in one transaction. The receipt's unique
constraint (member, frequency, period) makes the claim atomic: a re-run or a concurrent run
finds the row taken and skips the member, so nobody gets the same digest twice.

The ``members.tasks.digest_email_send`` task then delivers each receipt (``digest_deliver``):
leased like a notification email, retried with back-off on a failing mail server, ``failed``
after the last try (the admin lists them by status), ``cancelled`` when the member was
deleted or deactivated meanwhile (no email, no error). Notifications created after the
claim wait for the next period.

The email (HTML and plain text) groups the items by their ``group_key``: one section per
thread, followed topic or region, in the order of their first item.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    DigestFrequency,
    DigestReceipt,
    DigestStatus,
    EmailDelivery,
    Notification,
    User,
)
from members.notification_access import still_readable
from members.services.notifications import EMAIL_LEASE, MAX_EMAIL_ATTEMPTS, retry_delay
from members.services.unsubscribe import unsubscribe_headers, unsubscribe_url

logger = logging.getLogger("members.digests")


def digest_period(frequency: str, now: datetime | None = None) -> str:
    """The period a run at ``now`` covers: "2026-12-03" (daily) or "2026-W49" (weekly)."""
    today = timezone.localdate(now or timezone.now())
    if frequency == DigestFrequency.DAILY:
        return today.isoformat()
    if frequency == DigestFrequency.WEEKLY:
        year, week, _weekday = today.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"Unknown digest frequency {frequency!r}")


@dataclass(frozen=True)
class DigestRun:
    period: str
    claimed: int
    requeued: int


def _waiting(frequency: str):
    return Notification.objects.filter(
        email_status=EmailDelivery.DIGEST,
        digest__isnull=True,
        recipient__is_active=True,
        recipient__deleted_at__isnull=True,
        recipient__profile__notification_email=frequency,
    )


@transaction.atomic
def digest_claim(*, member_id: int, frequency: str, period: str) -> DigestReceipt | None:
    """Claim ``member_id``'s digest for ``period`` and attach their waiting notifications;
    None when another run already claimed it or nothing is waiting. Enqueues the delivery
    task after commit."""
    try:
        with transaction.atomic():
            receipt = DigestReceipt.objects.create(
                member_id=member_id, frequency=frequency, period=period
            )
    except IntegrityError:
        return None
    attached = _waiting(frequency).filter(recipient_id=member_id).update(digest=receipt)
    if not attached:
        receipt.status = DigestStatus.CANCELLED
        receipt.last_error = "Nothing to send."
        receipt.save(update_fields=["status", "last_error"])
        return None
    receipt_id = receipt.pk
    transaction.on_commit(lambda: _enqueue_digest(receipt_id))
    return receipt


def digests_send(*, frequency: str, now: datetime | None = None) -> DigestRun:
    """Claim this period's digest for every member with something waiting, and re-enqueue
    earlier digests whose retry is due (a lost task, a worker restart)."""
    period = digest_period(frequency, now)
    member_ids = list(_waiting(frequency).values_list("recipient_id", flat=True).distinct())
    claimed = 0
    for member_id in member_ids:
        claimed += digest_claim(member_id=member_id, frequency=frequency, period=period) is not None
    return DigestRun(period=period, claimed=claimed, requeued=digest_emails_requeue())


def _due(now: datetime):
    return (
        DigestReceipt.objects.filter(status=DigestStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


def digest_emails_requeue() -> int:
    """Enqueue delivery of every pending digest whose (next) attempt is due and that has been
    waiting for a minute (fresh claims already have their task); return how many."""
    now = timezone.now()
    due = list(
        _due(now).filter(created_at__lt=now - EMAIL_LEASE / 5).values_list("pk", flat=True)[:5000]
    )
    for receipt_id in due:
        _enqueue_digest(receipt_id)
    return len(due)


def _enqueue_digest(receipt_id: int, run_after=None) -> None:
    from members.tasks import digest_email_send

    task = digest_email_send
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(receipt_id=receipt_id)


def digest_deliver(*, receipt_id: int) -> str:
    """Send one claimed digest if still owed: "sent", "retry", "failed", "cancelled" or
    "skipped" (already sent, not due, held by another sender, or gone)."""
    now = timezone.now()
    claimed = (
        _due(now)
        .filter(pk=receipt_id)
        .update(lease_until=now + EMAIL_LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    receipt = DigestReceipt.objects.select_related("member").filter(pk=receipt_id).first()
    if receipt is None:
        return "skipped"
    member = receipt.member
    claimed_items = list(
        Notification.objects.filter(digest=receipt)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    # Access can end between the notification and the digest: leave out what the member may
    # no longer read (members.notification_access), and owe no email for it.
    items = still_readable(member, claimed_items)
    unreadable_ids = {item.pk for item in claimed_items} - {item.pk for item in items}
    if unreadable_ids:
        Notification.objects.filter(pk__in=unreadable_ids).update(
            digest=None, email_status=EmailDelivery.NOT_WANTED
        )
    if not member.is_active or member.is_former_member or not items:
        DigestReceipt.objects.filter(pk=receipt.pk).update(
            status=DigestStatus.CANCELLED, lease_until=None
        )
        Notification.objects.filter(digest=receipt).update(email_status=EmailDelivery.NOT_WANTED)
        return "cancelled"
    try:
        digest_message(receipt, member, items).send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any transport failure is retried, never lost
        return _record_failure(receipt, error)
    sent_at = timezone.now()
    DigestReceipt.objects.filter(pk=receipt.pk).update(
        status=DigestStatus.SENT, sent_at=sent_at, lease_until=None, last_error=""
    )
    Notification.objects.filter(digest=receipt).update(
        email_status=EmailDelivery.SENT, emailed_at=sent_at
    )
    return "sent"


def _record_failure(receipt: DigestReceipt, error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:500]
    if receipt.attempts >= MAX_EMAIL_ATTEMPTS:
        DigestReceipt.objects.filter(pk=receipt.pk).update(
            status=DigestStatus.FAILED, lease_until=None, last_error=message
        )
        Notification.objects.filter(digest=receipt).update(email_status=EmailDelivery.FAILED)
        logger.error(
            "Gave up on digest %s after %s attempts: %s", receipt.pk, receipt.attempts, message
        )
        return "failed"
    next_attempt = timezone.now() + retry_delay(receipt.attempts)
    DigestReceipt.objects.filter(pk=receipt.pk).update(
        lease_until=None, next_attempt_at=next_attempt, last_error=message
    )
    logger.warning(
        "Digest %s failed (attempt %s), retrying at %s: %s",
        receipt.pk,
        receipt.attempts,
        next_attempt.isoformat(),
        message,
    )
    from members.tasks import digest_email_send

    if digest_email_send.get_backend().supports_defer:
        _enqueue_digest(receipt.pk, run_after=next_attempt)
    return "retry"


@dataclass
class DigestGroup:
    title: str
    items: list


def digest_groups(items: list[Notification]) -> list[DigestGroup]:
    """``items`` grouped by ``group_key`` in the order of each group's first item; items
    without a group come last under "Other notifications"."""
    groups: dict[str, DigestGroup] = {}
    loose = DigestGroup(title=_("Other notifications"), items=[])
    site = settings.SITE_URL + "/"
    for item in items:
        entry = {
            "notification": item,
            "actor_name": item.actor.public_name if item.actor else "",
            "absolute_url": urljoin(site, item.url) if item.url else "",
        }
        if not item.group_key:
            loose.items.append(entry)
            continue
        group = groups.setdefault(item.group_key, DigestGroup(title=item.group_title, items=[]))
        group.items.append(entry)
    return [*groups.values(), *([loose] if loose.items else [])]


def digest_message(
    receipt: DigestReceipt, member: User, items: list[Notification]
) -> EmailMultiAlternatives:
    site = settings.SITE_URL + "/"
    context = {
        "receipt": receipt,
        "frequency": receipt.frequency,
        "groups": digest_groups(items),
        "count": len(items),
        "recipient_name": member.public_name,
        "feed_url": urljoin(site, "/members/notifications/"),
        "preferences_url": urljoin(site, "/members/profile/edit/#notifications"),
        "unsubscribe_url": unsubscribe_url(user=member, kind=receipt.frequency),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("members/email/digest_subject.txt", context).split())
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMultiAlternatives(
        subject=f"{prefix}{subject}"[:200],
        body=render_to_string("members/email/digest_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers={
            "X-PCC-Digest": str(receipt.pk),
            "Auto-Submitted": "auto-generated",
            **unsubscribe_headers(user=member, kind=receipt.frequency),
        },
    )
    message.attach_alternative(
        render_to_string("members/email/digest_message.html", context), "text/html"
    )
    return message
