import json

import pytest

from members.models import FORMER_MEMBER_NAME, AccountDeletionLog, User
from tests.factories.members import DEFAULT_PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = MemberFactory(email="me@example.org")
    client.force_login(user)
    return user


def test_the_privacy_page_offers_export_and_deletion(client, member):
    page = client.get("/members/privacy/").content.decode()
    assert 'action="/members/privacy/export/"' in page
    assert 'href="/members/privacy/delete/"' in page


def test_privacy_and_deletion_pages_name_former_members_as_the_site_does(client, member):
    for url in ("/members/privacy/", "/members/privacy/delete/"):
        assert f"“{FORMER_MEMBER_NAME}”" in client.get(url).content.decode(), url


def test_export_is_a_post_only_json_download_that_is_never_cached(client, member):
    assert client.get("/members/privacy/export/").status_code == 405
    response = client.post("/members/privacy/export/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["account"]["email"] == "me@example.org"


def test_a_wrong_password_does_not_delete_the_account(client, member):
    response = client.post("/members/privacy/delete/", {"password": "not-it"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["That is not your current password."]
    assert User.objects.get(pk=member.pk).is_active


def test_an_empty_confirmation_is_a_field_error(client, member):
    response = client.post("/members/privacy/delete/", {})
    assert response.context["form"].errors["password"]
    assert User.objects.get(pk=member.pk).is_active


def test_accounts_without_a_password_confirm_by_typing_delete(client):
    user = MemberFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post("/members/privacy/delete/", {"confirmation": "delete"})
    assert response.context["form"].errors["confirmation"]
    assert User.objects.get(pk=user.pk).is_active
    response = client.post("/members/privacy/delete/", {"confirmation": "DELETE"})
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active


def test_deleting_signs_out_logs_and_says_what_happened(client, member):
    response = client.post("/members/privacy/delete/", {"password": DEFAULT_PASSWORD}, follow=True)
    assert "Your account is deleted" in response.content.decode()
    assert f"written by “{FORMER_MEMBER_NAME}”" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert AccountDeletionLog.objects.get(user=member).initiated_by == "member"


def test_a_superuser_is_told_why_the_account_cannot_be_deleted(client):
    superuser = MemberFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.post("/members/privacy/delete/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "Superuser accounts cannot be deleted" in " ".join(
        response.context["form"].non_field_errors()
    )
