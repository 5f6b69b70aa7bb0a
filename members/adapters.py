"""django-allauth customisation, through its adapters only (no copied views).

- ``AccountAdapter``: sends account emails through the task queue (retried, never lost),
  sends members who have not completed the welcome step there after signing in, and makes a
  sign-up for an existing email cost a password hash like a new one (no timing oracle).
- ``SocialAccountAdapter``: fills the display name from the OIDC claims; sign-up through the
  provider can be closed with ``OIDC_ALLOW_SIGNUP``.
- ``MFAAdapter``: encrypts TOTP secrets at rest with a key derived from ``SECRET_KEY``
  (``SECRET_KEY_FALLBACKS`` still decrypt, so a key rotation locks nobody out).
"""

import base64
import hashlib
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from members import roles
from members.models import Profile
from members.tasks import account_email_send, serialise_email

if TYPE_CHECKING:
    from cryptography.fernet import Fernet, MultiFernet


def needs_onboarding(user) -> bool:
    """Signed in, not deleted, and the welcome step (profile + preferences) not yet done."""
    if not user.is_authenticated or getattr(user, "is_former_member", False):
        return False
    return not Profile.objects.filter(user_id=user.pk, onboarded_at__isnull=False).exists()


def held_back_by_welcome_step(user) -> bool:
    """True when the account holds no role because the welcome step, which grants the base
    role (member or guest), is not done: then the step, not a permission, is what stands
    between the user and posting. Costs no query for accounts that hold a role (roles are
    cached for the request) and one for the rest."""
    return user.is_authenticated and not roles.role_names(user) and needs_onboarding(user)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (the request is at hand), send in a task that retries on failure.

        Enqueued straight away rather than on commit: with the database task backend the task
        row is written in the same transaction as the sign-up, so a rolled-back sign-up sends
        nothing and a committed one cannot lose its email.
        """
        message = self.render_mail(template_prefix, email, context)
        account_email_send.enqueue(message=serialise_email(message))

    def send_account_already_exists_mail(self, email: str) -> None:
        """Sign-up for an email that has an account: allauth only sends this mail, while a new
        account's password is hashed. Hash a throwaway password too, so both answers take the
        same time and the timing does not tell whether the account exists."""
        make_password(secrets.token_urlsafe(24))
        super().send_account_already_exists_mail(email)

    def post_login(
        self,
        request: HttpRequest,
        user,
        *,
        email_verification: str,
        signal_kwargs: dict | None,
        email: str | None,
        signup: bool,
        redirect_url: str | None,
    ) -> HttpResponse:
        if needs_onboarding(user):
            welcome = reverse("members:welcome")
            if redirect_url and self.is_safe_url(redirect_url):
                welcome = f"{welcome}?{urlencode({'next': redirect_url})}"
            redirect_url = welcome
        return super().post_login(
            request,
            user,
            email_verification=email_verification,
            signal_kwargs=signal_kwargs,
            email=email,
            signup=signup,
            redirect_url=redirect_url,
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if needs_onboarding(request.user):
            return reverse("members:welcome")
        return super().get_login_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return getattr(settings, "OIDC_ALLOW_SIGNUP", True) and super().is_open_for_signup(
            request, sociallogin
        )

    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip()
        if not name:
            name = " ".join(
                part for part in (data.get("first_name"), data.get("last_name")) if part
            ).strip()
        user.display_name = name[:80]
        return user


_FERNET_PREFIX = "fernet:"


def _fernet_for(secret_key: str) -> "Fernet":
    from cryptography.fernet import Fernet  # only MFA set-up and sign-in load cryptography

    digest = hashlib.sha256(f"members.mfa.totp:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _mfa_fernet() -> "MultiFernet":
    from cryptography.fernet import MultiFernet

    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(key) for key in keys])


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _FERNET_PREFIX + _mfa_fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        from cryptography.fernet import InvalidToken

        if not encrypted_text.startswith(_FERNET_PREFIX):
            return encrypted_text  # stored before encryption was switched on
        try:
            return _mfa_fernet().decrypt(encrypted_text[len(_FERNET_PREFIX) :].encode()).decode()
        except InvalidToken:
            # Neither SECRET_KEY nor a fallback matches. Return a fresh random secret so no code
            # can ever match (an empty or fixed one would be guessable); the member signs in
            # with a recovery code instead, and the sign-in never crashes.
            return base64.b32encode(secrets.token_bytes(20)).decode()
