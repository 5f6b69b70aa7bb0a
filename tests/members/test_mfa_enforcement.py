"""Moderators, editors and admins need two-factor authentication before using their powers."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from members import roles
from members.services.roles import user_roles_set
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def privileged(role, with_mfa=False):
    user = MemberFactory()
    user_roles_set(user=user, roles_wanted={roles.MEMBER, role}, actor=None)
    if with_mfa:
        TOTP.activate(user, SECRET)
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", [roles.EDITOR, roles.ADMIN])
def test_privileged_accounts_without_2fa_are_sent_to_set_it_up_from_the_wagtail_admin(client, role):
    client.force_login(privileged(role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_with_2fa_the_editor_reaches_the_wagtail_admin(client):
    client.force_login(privileged(roles.EDITOR, with_mfa=True))
    assert client.get("/admin/").status_code == 200


def test_admins_without_2fa_cannot_use_the_django_admin(client):
    client.force_login(privileged(roles.ADMIN))
    assert client.get("/django-admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_plain_members_are_not_pushed_into_2fa(client):
    client.force_login(MemberFactory())
    response = client.get("/admin/")
    assert response["Location"] != "/accounts/2fa/totp/activate/"
    assert roles.mfa_satisfied(MemberFactory())


def test_mfa_satisfied_tracks_the_authenticator():
    moderator = privileged(roles.MODERATOR)
    assert not roles.mfa_satisfied(moderator)
    TOTP.activate(moderator, SECRET)
    assert roles.mfa_satisfied(type(moderator).objects.get(pk=moderator.pk))
    Authenticator.objects.filter(user=moderator).delete()
    assert not roles.mfa_satisfied(type(moderator).objects.get(pk=moderator.pk))


def test_the_admin_login_pages_go_through_allauth(client):
    assert client.get("/django-admin/login/")["Location"].startswith("/accounts/login/")
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_totp_secrets_are_encrypted_at_rest():
    moderator = privileged(roles.MODERATOR, with_mfa=True)
    stored = Authenticator.objects.get(user=moderator, type="totp").data["secret"]
    assert SECRET not in stored
    assert stored.startswith("fernet:")
