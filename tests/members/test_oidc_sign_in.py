"""Sign-in through a generic OpenID Connect provider, against a stub provider on localhost."""

from urllib.parse import urlparse

import pytest
import requests
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from members.models import User
from tests.factories.members import MemberFactory
from tests.members.allauth_helpers import totp_code
from tests.members.oidc_stub import StubOIDCProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def stub(settings):
    with StubOIDCProvider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = provider.settings()
        yield provider


def claims(sub="user-123", email="oidc.person@utility.example", **extra):
    return {
        "sub": sub,
        "email": email,
        "email_verified": True,
        "name": "Olu Oidc",
        "given_name": "Olu",
        "family_name": "Oidc",
        **extra,
    }


def sign_in_through_provider(client, stub):
    """Browser steps: POST to start, follow to the provider, come back with the code."""
    start = client.post("/accounts/oidc/sso/login/?process=login")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{stub.url}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = urlparse(at_provider.headers["Location"])
    assert callback.path == "/accounts/oidc/sso/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def test_oidc_is_off_unless_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert client.post("/accounts/oidc/sso/login/").status_code == 404
    assert "Continue with" not in client.get("/accounts/login/").content.decode()


def test_the_sign_in_page_offers_the_configured_provider(client, stub):
    page = client.get("/accounts/login/").content.decode()
    assert "Continue with Utility SSO" in page
    assert 'action="/accounts/oidc/sso/login/?process=login"' in page


def test_a_new_person_signs_up_through_the_provider_and_lands_on_the_welcome_step(client, stub):
    stub.next_claims = claims()
    response = sign_in_through_provider(client, stub)
    assert response.status_code == 302
    assert response["Location"].startswith("/members/welcome/")
    user = User.objects.get(email="oidc.person@utility.example")
    assert user.display_name == "Olu Oidc"
    assert user.emailaddress_set.get().verified  # the provider said so
    assert SocialAccount.objects.get(user=user).uid == "user-123"
    assert int(client.session["_auth_user_id"]) == user.pk
    # The token request carried the PKCE verifier and no client secret in the body.
    assert "code_verifier" in stub.token_requests[-1]
    assert "client_secret" not in stub.token_requests[-1]


def test_a_returning_person_signs_in_to_the_same_account(client, stub):
    stub.next_claims = claims()
    sign_in_through_provider(client, stub)
    first = User.objects.get(email="oidc.person@utility.example")
    client.post("/accounts/logout/")
    stub.next_claims = claims(name="Renamed At Provider")
    sign_in_through_provider(client, stub)
    assert int(client.session["_auth_user_id"]) == first.pk
    assert User.objects.count() == 1


def test_an_email_claim_never_takes_over_an_existing_account(client, stub):
    MemberFactory(email="taken@utility.example")
    stub.next_claims = claims(sub="attacker", email="taken@utility.example")
    response = sign_in_through_provider(client, stub)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1
    # Like a password sign-up with a taken address: the same "check your email" page, and the
    # owner is told (no enumeration, no takeover).
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert [message.to for message in mail.outbox] == [["taken@utility.example"]]


def test_two_factor_authentication_still_applies_after_the_provider(client, stub):
    stub.next_claims = claims()
    sign_in_through_provider(client, stub)
    user = User.objects.get(email="oidc.person@utility.example")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    client.post("/accounts/logout/")
    response = sign_in_through_provider(client, stub)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_provider_error_shows_the_sites_error_page_not_a_crash(client, stub):
    response = client.get("/accounts/oidc/sso/login/callback/?error=access_denied&state=x")
    assert response.status_code == 401
    page = response.content.decode()
    assert "site-header" in page
    assert "Third-Party Login Failure" in page or "went wrong" in page
