import os

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError

from members import roles
from members.models import FORMER_MEMBER_NAME, AccountDeletionLog, Notification, Profile
from members.services.accounts import account_delete
from members.services.notifications import notification_create
from members.services.profiles import profile_avatar_set, profile_update
from members.signals import account_deleting
from tests.factories.members import MemberFactory, UserFactory
from tests.factories.taxonomy import country, topic
from tests.members.test_profile_services import image_upload

pytestmark = pytest.mark.django_db


def test_deleting_erases_personal_data_but_keeps_the_row_as_former_member(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory(email="leaving@example.org", display_name="Lee Leaving")
    profile_update(
        user=member,
        display_name="Lee Leaving",
        organisation="Leaving Water Co",
        organisation_type="utility",
        country=country(),
        job_title="Comms",
        expertise=[topic("social-media")],
        bio="About me",
    )
    avatar_path = profile_avatar_set(user=member, upload=image_upload()).avatar.path
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    notification_create(recipient=member, kind="forum.reply", title="hello")

    with django_capture_on_commit_callbacks(execute=True):
        log = account_delete(user=member)

    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.public_name == FORMER_MEMBER_NAME
    assert str(member) == FORMER_MEMBER_NAME
    assert member.email.endswith("@deleted.invalid")
    assert "leaving" not in member.email
    assert member.display_name == ""
    assert not member.is_active
    assert not member.has_usable_password()
    assert member.is_former_member
    assert roles.role_names(member) == frozenset()
    assert member.groups.count() == 0
    assert profile.organisation == ""
    assert profile.country is None
    assert profile.bio == ""
    assert profile.bio_html == ""
    assert not profile.avatar
    assert profile.expertise.count() == 0
    assert not os.path.exists(avatar_path)
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()
    assert not Notification.objects.filter(recipient=member).exists()
    assert log.user == member
    assert log.initiated_by == AccountDeletionLog.InitiatedBy.MEMBER


def test_the_email_address_can_sign_up_again_after_deletion():
    member = MemberFactory(email="again@example.org")
    account_delete(user=member)
    newcomer = UserFactory(email="again@example.org")
    assert newcomer.pk != member.pk


def test_higher_apps_are_told_before_the_data_goes():
    seen = []

    def receiver(sender, user, **kwargs):
        seen.append((user.pk, user.email))

    account_deleting.connect(receiver)
    try:
        member = MemberFactory(email="told@example.org")
        account_delete(user=member)
    finally:
        account_deleting.disconnect(receiver)
    assert seen == [(member.pk, "told@example.org")]


def test_an_account_cannot_be_deleted_twice():
    member = MemberFactory()
    account_delete(user=member)
    with pytest.raises(ValidationError):
        account_delete(user=member)


def test_only_admins_delete_other_peoples_accounts():
    member, other = MemberFactory(), MemberFactory()
    with pytest.raises(PermissionDenied):
        account_delete(user=member, actor=other)
    admin = UserFactory(is_superuser=True, is_staff=True)
    log = account_delete(user=member, actor=admin)
    assert log.initiated_by == AccountDeletionLog.InitiatedBy.ADMIN
    assert log.actor == admin


def test_a_superuser_account_is_not_deleted_by_self_service():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError):
        account_delete(user=superuser)
    superuser.refresh_from_db()
    assert superuser.is_active
