"""The hub's roles (design.md section 2) and the predicates other apps use to check them.

Roles are Django groups with these names, created by a members data migration. Forum and KB
code asks these predicates rather than testing group names itself, so the matrix lives here.
Superusers hold every role.
"""

from django.contrib.auth.models import AnonymousUser

from members.models import User

MEMBER = "member"
GUEST = "guest"
MODERATOR = "moderator"
EDITOR = "editor"
ADMIN = "admin"
ALL_ROLES = (MEMBER, GUEST, MODERATOR, EDITOR, ADMIN)

AnyUser = User | AnonymousUser


def role_names(user: AnyUser) -> frozenset[str]:
    """The role names ``user`` holds, cached on the instance for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_pcc_role_names", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(ALL_ROLES)
        else:
            cached = frozenset(user.groups.values_list("name", flat=True)) & set(ALL_ROLES)
        user._pcc_role_names = cached
    return cached


def has_role(user: AnyUser, role: str) -> bool:
    return role in role_names(user)


def is_member(user: AnyUser) -> bool:
    """A full PCC member: members, moderators, editors and admins (not guests)."""
    return bool(role_names(user) & {MEMBER, MODERATOR, EDITOR, ADMIN})


def is_guest(user: AnyUser) -> bool:
    return has_role(user, GUEST) and not is_member(user)


def can_read_members_content(user: AnyUser) -> bool:
    """Members-only KB pages and forum categories: members and guests."""
    return bool(role_names(user))


def is_moderator(user: AnyUser) -> bool:
    return bool(role_names(user) & {MODERATOR, ADMIN})


def is_editor(user: AnyUser) -> bool:
    return bool(role_names(user) & {EDITOR, ADMIN})
