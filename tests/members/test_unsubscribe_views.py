from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from members.models import NotificationEmail, Profile
from members.services.unsubscribe import unsubscribe_token, unsubscribe_url
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db


def preference(user) -> str:
    return Profile.objects.get(user=user).notification_email


def path_of(url: str) -> str:
    return url[url.index("/members/") :]


def test_the_link_shows_a_confirm_button_then_unsubscribes_without_signing_in():
    member = MemberFactory()
    client = Client(enforce_csrf_checks=True)
    url = path_of(unsubscribe_url(user=member, kind=NotificationEmail.IMMEDIATE))
    page = client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.text
    assert preference(member) == NotificationEmail.IMMEDIATE  # a GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.text
    assert preference(member) == NotificationEmail.NONE
    again = client.post(url)
    assert "Nothing to change" in again.text


def test_the_rfc_8058_one_click_post_unsubscribes():
    member = MemberFactory()
    Profile.objects.filter(user=member).update(notification_email=NotificationEmail.WEEKLY)
    url = path_of(unsubscribe_url(user=member, kind=NotificationEmail.WEEKLY))
    response = Client(enforce_csrf_checks=True).post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert preference(member) == NotificationEmail.NONE


def test_a_link_for_one_kind_of_email_does_not_stop_another():
    member = MemberFactory()
    Profile.objects.filter(user=member).update(notification_email=NotificationEmail.DAILY)
    url = path_of(unsubscribe_url(user=member, kind=NotificationEmail.IMMEDIATE))
    Client().post(url)
    assert preference(member) == NotificationEmail.DAILY


@pytest.mark.parametrize("change", ["tamper", "other_salt", "garbage"])
def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(change):
    member = MemberFactory()
    token = unsubscribe_token(user=member, kind=NotificationEmail.IMMEDIATE)
    if change == "tamper":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif change == "other_salt":
        token = signing.dumps({"u": member.pk, "k": "immediate"}, salt="another.purpose")
    else:
        token = "not-a-token"
    url = reverse("members:unsubscribe", kwargs={"token": token})
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 400
        assert "not valid" in response.text
    assert preference(member) == NotificationEmail.IMMEDIATE


def test_an_expired_link_says_so_and_changes_nothing(settings, monkeypatch):
    import time

    member = MemberFactory()
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 30
    signed_at = time.time() - timedelta(days=31).total_seconds()
    with monkeypatch.context() as clock:
        clock.setattr("django.core.signing.time.time", lambda: signed_at)
        token = unsubscribe_token(user=member, kind=NotificationEmail.IMMEDIATE)
    url = reverse("members:unsubscribe", kwargs={"token": token})
    response = Client().post(url)
    assert response.status_code == 400
    assert "expired" in response.text
    assert preference(member) == NotificationEmail.IMMEDIATE
