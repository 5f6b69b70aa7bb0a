"""Every bad input the issue lists gets a field-level message, and no page reveals whether an
email address is registered."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from members.models import User
from tests.factories.members import DEFAULT_PASSWORD, MemberFactory, UserFactory
from tests.members.allauth_helpers import confirmation_path, sign_in, sign_up

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Tidal-Reservoir-Outreach-93"


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_signing_up_with_a_registered_email_reveals_nothing_and_warns_the_owner(client):
    MemberFactory(email="taken@example.org")
    known = sign_up(client, "Taken@Example.org", GOOD_PASSWORD)
    client.logout()
    unknown = sign_up(client, "fresh@example.org", GOOD_PASSWORD)
    # Same response either way: the verification-sent page.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    # The owner of the address is told someone tried; the newcomer gets a confirmation link.
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert (
        "already" in subjects["taken@example.org"].lower()
        or "exists" in subjects["taken@example.org"].lower()
    )
    assert "confirm" in subjects["fresh@example.org"].lower()


def test_adding_an_address_already_on_your_account_is_a_field_error(client):
    member = MemberFactory(email="mine@example.org")
    client.post("/accounts/login/", {"login": "mine@example.org", "password": DEFAULT_PASSWORD})
    response = client.post("/accounts/email/", {"action_add": "", "email": "MINE@example.org"})
    assert response.status_code == 200
    assert field_errors(response, "email")
    assert EmailAddress.objects.filter(user=member).count() == 1


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("8640217935", "entirely numeric"),
        ("weak.person@example", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, password, fragment):
    response = sign_up(client, "weak.person@example.org", password)
    assert response.status_code == 200
    errors = " ".join(field_errors(response, "password1"))
    assert fragment in errors
    assert not User.objects.filter(email="weak.person@example.org").exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_mismatched_passwords_are_a_field_error(client):
    response = sign_up(client, "typo@example.org", GOOD_PASSWORD, GOOD_PASSWORD + "x")
    assert response.status_code == 200
    assert field_errors(response, "password2")


def test_an_expired_verification_link_offers_to_send_a_new_one(client, settings):
    sign_up(client, "late@example.org", GOOD_PASSWORD)
    path = confirmation_path()
    client.logout()
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This confirmation link has expired" in page
    assert 'action="/members/verify/resend/"' in page
    response = client.post(path)
    assert not EmailAddress.objects.get(email="late@example.org").verified

    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
    mail.outbox.clear()
    response = client.post("/members/verify/resend/", {"email": "late@example.org"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    response = client.post(confirmation_path())
    assert EmailAddress.objects.get(email="late@example.org").verified


def test_the_resend_form_answers_the_same_for_unknown_and_verified_addresses(client):
    MemberFactory(email="verified@example.org")
    pages = [
        client.post("/members/verify/resend/", {"email": email}).content.decode()
        for email in ("verified@example.org", "nobody@example.org")
    ]
    assert mail.outbox == []
    assert pages[0].replace("verified@example.org", "X") == pages[1].replace(
        "nobody@example.org", "X"
    )


def test_the_resend_form_rejects_a_malformed_address(client):
    response = client.post("/members/verify/resend/", {"email": "not-an-email"})
    assert response.status_code == 200
    assert field_errors(response, "email")


def test_password_reset_looks_the_same_for_known_and_unknown_addresses(client):
    MemberFactory(email="known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_wrong_password_gets_a_generic_error_that_does_not_reveal_the_account(client):
    MemberFactory(email="real@example.org")
    real = sign_in(client, "real@example.org", "wrong-password")
    fake = sign_in(client, "fake@example.org", "wrong-password")
    assert real.status_code == fake.status_code == 200
    assert real.context["form"].non_field_errors() == fake.context["form"].non_field_errors()


def test_repeated_failed_sign_ins_are_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/300s/key"}
    cache.clear()
    MemberFactory(email="target@example.org")
    for _ in range(3):
        sign_in(client, "target@example.org", "guess")
    # Even the right password is refused while throttled.
    response = sign_in(client, "target@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in " ".join(response.context["form"].non_field_errors())
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_an_unverified_account_cannot_sign_in_and_gets_a_new_link(client):
    UserFactory(email="unverified@example.org", verified=False)
    response = sign_in(client, "unverified@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
