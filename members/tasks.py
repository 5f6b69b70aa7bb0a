"""Background jobs (django-tasks). Tasks take ids or plain data, never model instances.

- ``notification_email_send``: one notification's email, batched with the member's other
  due ones (see members.services.notifications).
- ``digest_email_send``: one claimed daily or weekly digest (see members.services.digests).
- ``account_email_send``: allauth's account emails (verification, password reset, security
  notices), queued by ``members.adapters.AccountAdapter.send_mail`` so a mail server hiccup is
  retried instead of failing the sign-up request or losing the email.
- ``trust_level_recompute_task``: one member's trust level after a reply of theirs was voted
  up or accepted (``members.services.trust.trust_level_recompute_soon``).
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from members.models import User
from members.services.digests import digest_deliver
from members.services.notifications import notification_email_deliver, retry_delay
from members.services.trust import trust_level_recompute

logger = logging.getLogger("members.tasks")

ACCOUNT_EMAIL_MAX_ATTEMPTS = 8


@task()
def notification_email_send(notification_id: int) -> str:
    return notification_email_deliver(notification_id=notification_id)


@task()
def digest_email_send(receipt_id: int) -> str:
    return digest_deliver(receipt_id=receipt_id)


@task()
def account_email_send(message: dict, attempt: int = 1) -> str:
    """Send a serialised account email; on failure re-enqueue it with back-off, then re-raise
    so the failed attempt is visible in the task results."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or {},
    )
    for content, mimetype in message.get("alternatives", []):
        email.attach_alternative(content, mimetype)
    try:
        email.send(fail_silently=False)
    except Exception:
        backend = account_email_send.get_backend()
        if attempt < ACCOUNT_EMAIL_MAX_ATTEMPTS and backend.supports_defer:
            run_after = timezone.now() + retry_delay(attempt)
            account_email_send.using(run_after=run_after).enqueue(
                message=message, attempt=attempt + 1
            )
            logger.warning(
                "Account email to %s failed; retry %s queued", message["to"], attempt + 1
            )
        else:
            logger.exception("Account email to %s failed on attempt %s", message["to"], attempt)
        raise
    return "sent"


@task()
def trust_level_recompute_task(user_id: int) -> int | None:
    """The member's trust level after recomputing (None if the account is gone)."""
    user = User.objects.filter(pk=user_id).first()
    return None if user is None else trust_level_recompute(user=user)


def serialise_email(email: EmailMultiAlternatives) -> dict:
    """The JSON-safe form of an email for ``account_email_send``."""
    return {
        "subject": str(email.subject),
        "body": str(email.body),
        "from_email": str(email.from_email),
        "to": [str(address) for address in email.to],
        "headers": {str(k): str(v) for k, v in (email.extra_headers or {}).items()},
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(email, "alternatives", []) or []
        ],
    }


__all__ = [
    "account_email_send",
    "notification_email_send",
    "serialise_email",
    "trust_level_recompute_task",
]
__all__ = ["account_email_send", "digest_email_send", "notification_email_send", "serialise_email"]
