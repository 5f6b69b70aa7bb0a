"""Which Django permissions each role's group carries.

The data migration ``0002_role_groups_and_profiles`` created the groups with these
permissions; ``members.services.roles.role_permissions_sync`` grants them again after every
``migrate``, so a permission that did not exist yet when that migration ran still reaches its
role. The admin group always receives every permission. Editors manage the shared taxonomy
(design.md section 2): topics, audiences, channels and the glossary in full; regions and
countries, which follow the UN M49 data, only by editing.
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
            f"taxonomy.{action}_{model}"
            for model in _TAXONOMY_MANAGED
            for action in ("add", "change", "delete", "view")
        ),
        *(
            f"taxonomy.{action}_{model}"
            for model in _TAXONOMY_EDITED
            for action in ("change", "view")
        ),
    ),
    roles.ADMIN: (),
}


def role_permission_names(role: str) -> frozenset[str]:
    """Every "app_label.codename" the role's group should hold (admin: see module docstring)."""
    return frozenset(BASE_ROLE_PERMISSIONS.get(role, ()))
