"""The hub's roles (design.md section 2) and the predicates other apps use to check them.

Roles are Django groups with these names, created by a members data migration. Forum and KB
code asks these predicates rather than testing group names itself, so the matrix lives here.
Superusers hold every role.

Privileged roles (moderator, editor, admin) must have two-factor authentication before they
use those powers: ``mfa_satisfied(user)`` says whether they may, and
``members.mfa_enforcement`` redirects them to set it up.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from members.models import User

MEMBER = "member"
GUEST = "guest"
MODERATOR = "moderator"
EDITOR = "editor"
ADMIN = "admin"
ALL_ROLES = (MEMBER, GUEST, MODERATOR, EDITOR, ADMIN)
BASE_ROLES = (MEMBER, GUEST)
"""Exactly one of these follows from the specialist group; they exclude each other."""
PRIVILEGED_ROLES = (MODERATOR, EDITOR, ADMIN)
"""Roles whose powers require two-factor authentication."""

ROLE_LABELS = {
    MEMBER: _("Member"),
    GUEST: _("Guest (another specialist group)"),
    MODERATOR: _("Moderator"),
    EDITOR: _("Editor"),
    ADMIN: _("Admin"),
}

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
            cached = frozenset(_groups(user).values()) & set(ALL_ROLES)
        user._pcc_role_names = cached
    return cached


def group_ids(user: AnyUser) -> frozenset[int]:
    """The ids of the groups ``user`` belongs to (the same cached query as ``role_names``)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(_groups(user))


def _groups(user: User) -> dict[int, str]:
    """``user``'s groups, id to name: one query, cached on the instance for the request."""
    cached = getattr(user, "_pcc_groups", None)
    if cached is None:
        cached = dict(user.groups.values_list("pk", "name"))
        user._pcc_groups = cached
    return cached


def forget_cached_roles(user: AnyUser) -> None:
    """Drop the per-instance cache after the user's groups change."""
    for attribute in (
        "_pcc_role_names",
        "_pcc_groups",
        "_pcc_mfa_enabled",
        "_perm_cache",
        "_group_perm_cache",
    ):
        user.__dict__.pop(attribute, None)


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


def is_admin(user: AnyUser) -> bool:
    return has_role(user, ADMIN)


def requires_mfa(user: AnyUser) -> bool:
    """Whether the account holds powers that need two-factor authentication.

    Moderators, editors, admins, and any staff or superuser account (they reach the admin).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(role_names(user) & set(PRIVILEGED_ROLES)) or user.is_staff or user.is_superuser


def has_mfa_enabled(user: AnyUser) -> bool:
    """Whether the account has an active authenticator app or security key (cached per request)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_pcc_mfa_enabled", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user_id=user.pk,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exists()
        user._pcc_mfa_enabled = cached
    return cached


def mfa_satisfied(user: AnyUser) -> bool:
    """May ``user`` use the powers of their roles? False only for a privileged account without
    two-factor authentication. allauth asks for the second factor at every sign-in of an account
    that has one (password, OIDC, and the admin logins, which redirect to allauth's)."""
    return not requires_mfa(user) or has_mfa_enabled(user)
