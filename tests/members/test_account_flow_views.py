"""The whole account journey through allauth's real views and ours:
sign-up -> verify -> welcome step -> sign out -> sign in with TOTP -> export -> delete."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from members import roles
from members.models import FORMER_MEMBER_NAME, AccountDeletionLog, User
from tests.factories.taxonomy import country, topic
from tests.members.allauth_helpers import confirmation_path, sign_in, sign_up, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "Tidal-Reservoir-Outreach-93"


def test_sign_up_verify_onboard_sign_in_with_totp_export_and_delete(client):
    kenya = country()

    # Sign up: no account is usable until the email is verified.
    response = sign_up(client, "new.member@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.member@example.org")
    assert not user.emailaddress_set.get().verified
    assert len(mail.outbox) == 1

    # Verify: the link confirms (by POST) and signs the member in, straight to the welcome step.
    path = confirmation_path()
    assert client.get(path).status_code == 200  # GET only shows the button (scanners can't confirm)
    assert not user.emailaddress_set.get().verified
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/members/welcome/")
    assert user.emailaddress_set.get().verified

    # Welcome step: profile, specialist group and email preference.
    assert client.get("/members/welcome/").status_code == 200
    response = client.post(
        "/members/welcome/",
        {
            "display_name": "Nia Member",
            "job_title": "Outreach officer",
            "organisation": "Lakeside Water",
            "organisation_type": "utility",
            "country": kenya.iso_alpha2,
            "expertise": [topic("social-media").slug],
            "bio": "I like *SMS* campaigns.",
            "specialist_group": "pcc",
            "notification_email": "weekly",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert roles.is_member(user)
    assert user.profile.is_onboarded
    assert user.profile.notification_email == "weekly"

    # Set up an authenticator app. The session was signed in by the email link, not a password,
    # so allauth first asks for the password again.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    # Sign out, then sign in: password first, then the authenticator code.
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    response = sign_in(client, "new.member@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    from django.core.cache import cache

    cache.clear()  # the first code was spent at activation; allauth refuses reuse within 30 s
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk

    # Export.
    response = client.post("/members/privacy/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pcc-hub-my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "new.member@example.org"
    assert data["profile"]["organisation"] == "Lakeside Water"
    assert data["account"]["two_factor_methods"] == ["recovery_codes", "totp"]

    # Delete: the password confirms; the member is signed out and becomes a former member.
    response = client.post("/members/privacy/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=user.pk)
    assert user.public_name == FORMER_MEMBER_NAME
    assert not user.is_active
    assert AccountDeletionLog.objects.filter(user=user).exists()

    # The old credentials no longer work, and the address can sign up afresh.
    response = sign_in(client, "new.member@example.org", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    sign_up(client, "new.member@example.org", PASSWORD)
    assert User.objects.filter(email="new.member@example.org").exclude(pk=user.pk).exists()
