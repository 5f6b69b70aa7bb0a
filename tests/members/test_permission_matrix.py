"""design.md section 2, as far as it exists after the members issue. Later issues extend it.

Each role is tested alone (a user in that one group) plus the anonymous visitor, through the
public predicates in ``members.roles`` and the Django/Wagtail permissions the groups carry.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Collection, Page

from members import roles
from members.services.roles import user_roles_set
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

VISITOR = "visitor"
ROLES = [VISITOR, roles.MEMBER, roles.GUEST, roles.MODERATOR, roles.EDITOR, roles.ADMIN]


def home_page_permissions(user):
    return Page.objects.get(depth=2).specific.permissions_for_user(user)


def publish_pages(user):
    return home_page_permissions(user).can_publish()


def edit_pages(user):
    return home_page_permissions(user).can_edit()


def upload_images(user):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    root = Collection.get_first_root_node()
    return root in permission_policy.collections_user_has_permission_for(user, "add")


CAPABILITIES = {
    # capability: (check, roles that have it)
    "read members-only content": (
        roles.can_read_members_content,
        {roles.MEMBER, roles.GUEST, roles.MODERATOR, roles.EDITOR, roles.ADMIN},
    ),
    "post, reply, vote and flag (full member)": (
        roles.is_member,
        {roles.MEMBER, roles.MODERATOR, roles.EDITOR, roles.ADMIN},
    ),
    "counted as a guest (ask the experts only, no voting)": (roles.is_guest, {roles.GUEST}),
    "moderate the forum": (roles.is_moderator, {roles.MODERATOR, roles.ADMIN}),
    "suspend accounts": (
        lambda user: user.has_perm("members.suspend_member"),
        {roles.MODERATOR, roles.ADMIN},
    ),
    "edit KB in Wagtail": (roles.is_editor, {roles.EDITOR, roles.ADMIN}),
    "enter the Wagtail admin": (
        lambda user: user.has_perm("wagtailadmin.access_admin"),
        {roles.EDITOR, roles.ADMIN},
    ),
    "edit KB pages": (edit_pages, {roles.EDITOR, roles.ADMIN}),
    "publish KB pages": (publish_pages, {roles.EDITOR, roles.ADMIN}),
    "upload images for KB pages": (upload_images, {roles.EDITOR, roles.ADMIN}),
    "manage the taxonomy": (
        lambda user: user.has_perm("taxonomy.change_topic") and user.has_perm("taxonomy.add_topic"),
        {roles.EDITOR, roles.ADMIN},
    ),
    "manage the glossary": (
        lambda user: (
            user.has_perm("taxonomy.add_glossaryterm")
            and user.has_perm("taxonomy.delete_glossaryterm")
        ),
        {roles.EDITOR, roles.ADMIN},
    ),
    "promote and demote members": (
        lambda user: user.has_perm("members.change_member_roles"),
        {roles.ADMIN},
    ),
    "enter the Django admin": (lambda user: user.is_staff, {roles.ADMIN}),
    "delete any member's account data": (
        lambda user: user.has_perm("members.delete_user"),
        {roles.ADMIN},
    ),
    "needs two-factor authentication": (
        roles.requires_mfa,
        {roles.MODERATOR, roles.EDITOR, roles.ADMIN},
    ),
}


@pytest.fixture
def people():
    """One account per role, holding only that role, freshly loaded (no cached permissions)."""
    found = {VISITOR: AnonymousUser()}
    for role in ROLES[1:]:
        user = UserFactory()
        user_roles_set(user=user, roles_wanted={role}, actor=None)
        found[role] = type(user).objects.get(pk=user.pk)
    return found


@pytest.mark.parametrize("capability", list(CAPABILITIES))
def test_permission_matrix(people, capability):
    check, allowed = CAPABILITIES[capability]
    actual = {role for role in ROLES if check(people[role])}
    assert actual == allowed, f"{capability}: expected {sorted(allowed)}, got {sorted(actual)}"


def test_superusers_hold_every_role():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert roles.role_names(superuser) == set(roles.ALL_ROLES)


def test_a_suspended_or_deactivated_account_holds_no_role():
    user = UserFactory(roles=[roles.MEMBER, roles.MODERATOR], is_active=False)
    assert roles.role_names(user) == frozenset()
    assert not roles.can_read_members_content(user)
