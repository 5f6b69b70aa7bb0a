"""Promoting and demoting members between roles, and keeping the role groups' permissions.

Every role change goes through ``user_roles_set`` (or its ``grant``/``revoke`` shorthands),
which writes a ``RoleChange`` row per change and logs it. ``member`` and ``guest`` exclude each
other. The admin role also gives access to the Django admin (``is_staff``).
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import role_permissions, roles
from members.models import RoleChange, User
from members.role_change_context import role_service_active

logger = logging.getLogger("members.roles")


def _role_groups() -> dict[str, Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_ROLES)}
    missing = set(roles.ALL_ROLES) - set(groups)
    for name in missing:
        groups[name] = Group.objects.create(name=name)
    return groups


def _check_actor(actor: User | None) -> None:
    if actor is not None and not (
        actor.is_superuser or actor.has_perm("members.change_member_roles")
    ):
        raise PermissionDenied(_("Only admins can change roles."))


@transaction.atomic
def user_roles_set(
    *, user: User, roles_wanted: set[str] | frozenset[str], actor: User | None, note: str = ""
) -> list[RoleChange]:
    """Make ``user``'s role groups exactly ``roles_wanted``; return the changes made.

    ``actor`` is the admin making the change (None for the system, e.g. onboarding); a non-admin
    actor raises PermissionDenied. Raises ValidationError for unknown roles or for member and
    guest together. Admins cannot remove their own admin role (so the site keeps one).
    """
    _check_actor(actor)
    unknown = set(roles_wanted) - set(roles.ALL_ROLES)
    if unknown:
        raise ValidationError(f"Unknown role: {', '.join(sorted(unknown))}.")
    if {roles.MEMBER, roles.GUEST} <= set(roles_wanted):
        raise ValidationError(_("A person is either a member or a guest, not both."))
    if (
        actor is not None
        and actor.pk == user.pk
        and roles.ADMIN in _current_roles(user)
        and roles.ADMIN not in roles_wanted
    ):
        raise ValidationError(_("You cannot remove your own admin role; ask another admin."))
    if user.is_former_member and roles_wanted:
        raise ValidationError(_("A deleted account cannot hold roles."))

    groups = _role_groups()
    current = _current_roles(user)
    granted = sorted(set(roles_wanted) - current)
    revoked = sorted(current - set(roles_wanted))
    with role_service_active():
        if granted:
            user.groups.add(*[groups[name] for name in granted])
        if revoked:
            user.groups.remove(*[groups[name] for name in revoked])

    wants_staff = roles.ADMIN in roles_wanted or user.is_superuser
    if user.is_staff != wants_staff:
        user.is_staff = wants_staff
        user.save(update_fields=["is_staff"])

    changes = [
        RoleChange(user=user, role=name, granted=True, actor=actor, note=note[:255])
        for name in granted
    ] + [
        RoleChange(user=user, role=name, granted=False, actor=actor, note=note[:255])
        for name in revoked
    ]
    RoleChange.objects.bulk_create(changes)
    for change in changes:
        logger.info(
            "role %s %s for user %s by %s",
            change.role,
            "granted" if change.granted else "revoked",
            user.pk,
            actor.pk if actor else "system",
        )
    roles.forget_cached_roles(user)
    return changes


def _current_roles(user: User) -> set[str]:
    return set(user.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))


def user_role_grant(*, user: User, role: str, actor: User | None, note: str = "") -> None:
    """Add one role; granting member removes guest and vice versa."""
    wanted = _current_roles(user) | {role}
    if role in roles.BASE_ROLES:
        wanted -= set(roles.BASE_ROLES) - {role}
    user_roles_set(user=user, roles_wanted=wanted, actor=actor, note=note)


def user_role_revoke(*, user: User, role: str, actor: User | None, note: str = "") -> None:
    user_roles_set(user=user, roles_wanted=_current_roles(user) - {role}, actor=actor, note=note)


def role_permissions_sync() -> int:
    """Grant each role group the permissions ``members.role_permissions`` lists; admin gets all.

    Additive: it never removes a permission. Runs after every ``migrate`` (post_migrate), so a
    new app's permissions reach the roles without a hand edit. Returns how many were added.
    """
    groups = _role_groups()
    all_permissions = Permission.objects.select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_permissions}
    added = 0
    for role, group in groups.items():
        have = set(group.permissions.values_list("pk", flat=True))
        if role == roles.ADMIN:
            wanted = set(by_name.values())
        else:
            wanted = {
                by_name[name]
                for name in role_permissions.role_permission_names(role)
                if name in by_name
            }
        missing = [permission for permission in wanted if permission.pk not in have]
        if missing:
            group.permissions.add(*missing)
            added += len(missing)
    return added
