"""Helpers for driving allauth's real views with Django's test client."""

import re

import pyotp
from django.core import mail

CONFIRM_LINK = re.compile(r"https?://testserver(/accounts/confirm-email/[^\s/]+/)")


def confirmation_path(message_index: int = -1) -> str:
    body = mail.outbox[message_index].body
    match = CONFIRM_LINK.search(body)
    assert match, f"no confirmation link in: {body}"
    return match.group(1)


def sign_up(client, email: str, password: str, password2: str | None = None):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password2 or password},
    )


def sign_in(client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def totp_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()
