"""Which Django permissions each role's group carries, and a registry for higher apps.

The data migration ``0003_role_groups_and_profiles`` created the groups with the permissions
that existed then. Apps above ``members`` add their own (e.g. the forum's moderation
permissions) by calling ``register_role_permissions`` from their ``AppConfig.ready()``;
``members.services.roles.role_permissions_sync`` grants them after every ``migrate``.
The admin group always receives every permission.
"""

from members import roles

_TAXONOMY_MANAGED = ("topic", "audience", "channel", "glossaryterm")
_TAXONOMY_EDITED = ("region", "country")

BASE_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    roles.MEMBER: (),
    roles.GUEST: (),
    roles.MODERATOR: ("members.suspend_member", "members.view_profile"),
    roles.EDITOR: (
        "wagtailadmin.access_admin",
        *(
            f"kb.{action}_{model}"
            for model in _TAXONOMY_MANAGED
            for action in ("add", "change", "delete", "view")
        ),
        *(f"kb.{action}_{model}" for model in _TAXONOMY_EDITED for action in ("change", "view")),
    ),
    roles.ADMIN: (),
}

_registered: dict[str, set[str]] = {role: set() for role in roles.ALL_ROLES}


def register_role_permissions(role: str, permissions: list[str] | tuple[str, ...]) -> None:
    """Grant ``permissions`` ("app_label.codename") to ``role``'s group on the next sync.

    Call from ``AppConfig.ready()``. Unknown roles are a programming error.
    """
    if role not in _registered:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(roles.ALL_ROLES)}.")
    _registered[role].update(permissions)


def role_permission_names(role: str) -> frozenset[str]:
    """Every "app_label.codename" the role's group should hold (admin: see module docstring)."""
    return frozenset(BASE_ROLE_PERMISSIONS.get(role, ())) | frozenset(_registered.get(role, ()))
