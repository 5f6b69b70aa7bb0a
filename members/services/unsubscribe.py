"""One-click unsubscribe: signed links per member and kind of email, usable without signing in.

The token is ``django.core.signing`` over ``{"u": user id, "k": kind}`` with its own salt, so
it cannot be forged, altered or reused for another kind of email, and it expires after
``settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS`` (90). Kinds are the email preferences that send
mail: "immediate" (notification emails), "daily" and "weekly" (digests). Unsubscribing sets
the member's preference to "none" (in-app only) if it is still that kind; the in-app feed is
unaffected.

Every notification and digest email carries the link in its text and in the RFC 8058
headers ``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, so
mail clients offer their own "Unsubscribe" button, which POSTs to the same address.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from members.models import NotificationEmail, Profile, User

SALT = "members.unsubscribe"
KINDS = (NotificationEmail.IMMEDIATE, NotificationEmail.DAILY, NotificationEmail.WEEKLY)


class UnsubscribeLinkInvalid(Exception):
    """The link was altered, is not one of ours, or has expired (``expired`` says which)."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class UnsubscribeRequest:
    user: User
    kind: str


def _max_age() -> timedelta:
    return timedelta(days=getattr(settings, "UNSUBSCRIBE_LINK_MAX_AGE_DAYS", 90))


def unsubscribe_token(*, user: User, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"No unsubscribe link for {kind!r} emails.")
    return signing.dumps({"u": user.pk, "k": str(kind)}, salt=SALT)


def unsubscribe_url(*, user: User, kind: str) -> str:
    """The absolute link for ``user`` to stop ``kind`` emails."""
    path = reverse("members:unsubscribe", kwargs={"token": unsubscribe_token(user=user, kind=kind)})
    return urljoin(settings.SITE_URL + "/", path)


def unsubscribe_headers(*, user: User, kind: str) -> dict[str, str]:
    """The RFC 8058 one-click headers for an email of ``kind`` to ``user``."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user=user, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_token_read(token: str) -> UnsubscribeRequest:
    """Who and what the link is for; raises UnsubscribeLinkInvalid for a bad or old link."""
    try:
        data = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.SignatureExpired as error:
        raise UnsubscribeLinkInvalid(expired=True) from error
    except signing.BadSignature as error:
        raise UnsubscribeLinkInvalid() from error
    if not isinstance(data, dict) or data.get("k") not in KINDS:
        raise UnsubscribeLinkInvalid()
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise UnsubscribeLinkInvalid()
    return UnsubscribeRequest(user=user, kind=data["k"])


@transaction.atomic
def unsubscribe_apply(*, token: str) -> tuple[UnsubscribeRequest, bool]:
    """Stop the emails the link is for; return the request and whether anything changed
    (False when the member had already changed that preference)."""
    request = unsubscribe_token_read(token)
    changed = Profile.objects.filter(
        user_id=request.user.pk, notification_email=request.kind
    ).update(notification_email=NotificationEmail.NONE)
    return request, bool(changed)
