import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError

from members import role_permissions, roles
from members.models import RoleChange
from members.services.roles import (
    role_permissions_sync,
    user_role_grant,
    user_role_revoke,
    user_roles_set,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    user = UserFactory()
    user_roles_set(user=user, roles_wanted={roles.ADMIN}, actor=None)
    return type(user).objects.get(pk=user.pk)


def test_the_data_migration_created_the_five_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_an_admin_promotes_a_member_to_moderator_and_it_is_logged(admin):
    member = UserFactory(roles=[roles.MEMBER])
    user_role_grant(user=member, role=roles.MODERATOR, actor=admin, note="Runs the SMS group")
    assert roles.role_names(member) == {roles.MEMBER, roles.MODERATOR}
    change = RoleChange.objects.get(user=member, role=roles.MODERATOR)
    assert change.granted
    assert change.actor == admin
    assert change.note == "Runs the SMS group"
    assert change.via == "role service"


def test_demoting_removes_the_role_and_logs_the_revocation(admin):
    moderator = UserFactory(roles=[roles.MEMBER, roles.MODERATOR])
    user_role_revoke(user=moderator, role=roles.MODERATOR, actor=admin)
    assert roles.role_names(moderator) == {roles.MEMBER}
    assert RoleChange.objects.filter(user=moderator, role=roles.MODERATOR, granted=False).exists()


def test_member_and_guest_exclude_each_other(admin):
    guest = UserFactory(roles=[roles.GUEST])
    user_role_grant(user=guest, role=roles.MEMBER, actor=admin)
    assert roles.role_names(guest) == {roles.MEMBER}
    with pytest.raises(ValidationError):
        user_roles_set(user=guest, roles_wanted={roles.MEMBER, roles.GUEST}, actor=admin)


def test_only_admins_change_roles():
    moderator = UserFactory(roles=[roles.MEMBER, roles.MODERATOR])
    target = UserFactory(roles=[roles.MEMBER])
    with pytest.raises(PermissionDenied):
        user_role_grant(user=target, role=roles.MODERATOR, actor=moderator)
    assert roles.role_names(target) == {roles.MEMBER}


def test_admins_cannot_remove_their_own_admin_role(admin):
    with pytest.raises(ValidationError):
        user_role_revoke(user=admin, role=roles.ADMIN, actor=admin)


def test_unknown_roles_are_refused(admin):
    with pytest.raises(ValidationError):
        user_roles_set(user=UserFactory(), roles_wanted={"overlord"}, actor=admin)


def test_the_admin_role_opens_the_django_admin_and_losing_it_closes_it(admin):
    user = UserFactory()
    user_role_grant(user=user, role=roles.ADMIN, actor=admin)
    user.refresh_from_db()
    assert user.is_staff
    user_role_revoke(user=user, role=roles.ADMIN, actor=admin)
    user.refresh_from_db()
    assert not user.is_staff


def test_group_changes_made_outside_the_service_are_still_audited():
    user = UserFactory()
    Group.objects.get(name=roles.EDITOR).user_set.add(user)
    user.groups.remove(Group.objects.get(name=roles.EDITOR))
    changes = list(RoleChange.objects.filter(user=user).order_by("id"))
    assert [(c.role, c.granted, c.via) for c in changes] == [
        (roles.EDITOR, True, "group edited directly"),
        (roles.EDITOR, False, "group edited directly"),
    ]


def test_the_sync_after_migrate_restores_a_role_permission_missing_from_its_group():
    editors = Group.objects.get(name=roles.EDITOR)
    editors.permissions.remove(
        Permission.objects.get(content_type__app_label="taxonomy", codename="change_topic")
    )
    assert role_permissions_sync() >= 1
    assert editors.permissions.filter(
        content_type__app_label="taxonomy", codename="change_topic"
    ).exists()
    assert role_permissions_sync() == 0


def test_every_listed_role_permission_exists():
    """A typo or a renamed app in ``members.role_permissions`` would silently grant nothing."""
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    for role in roles.ALL_ROLES:
        assert role_permissions.role_permission_names(role) <= existing, role
