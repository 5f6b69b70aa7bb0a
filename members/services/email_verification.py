"""Re-sending a verification email from the "link expired" page, without revealing accounts."""

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.http import HttpRequest


def email_verification_resend(*, request: HttpRequest, email: str) -> bool:
    """Send a fresh verification link if ``email`` is an unverified address of an active
    account; return whether one was sent. Callers must respond the same either way (so the page
    does not reveal who is registered), and allauth's ``confirm_email`` rate limit applies per
    address, so the form cannot be used to flood someone's inbox."""
    email = email.strip().lower()
    if not ratelimit.consume(request, action="confirm_email", key=email):
        return False
    address = (
        EmailAddress.objects.select_related("user")
        .filter(email__iexact=email, verified=False, user__is_active=True)
        .first()
    )
    if address is None:
        return False
    address.send_confirmation(request, signup=False)
    return True
