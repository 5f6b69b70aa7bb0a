"""The few signal receivers members needs, connected in ``MembersConfig.ready``.

- Every account has a profile: created with the user, whoever creates it (allauth sign-up,
  OIDC, ``createsuperuser``, the admin).
- Role group changes made outside ``members.services.roles`` (Wagtail's user editor, the
  shell) are still written to the ``RoleChange`` audit trail.
- After every ``migrate`` the role groups receive the permissions apps registered.
"""

import logging

from django.contrib.auth.models import Group

from members import roles
from members.models import Profile, RoleChange, User
from members.role_change_context import is_role_service_active

logger = logging.getLogger("members.roles")


def create_profile_for_new_user(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    """Give every new account its profile in the same save, so code that shows or exports a
    profile reads it with ``get()`` and never writes. Accounts older than this receiver got
    theirs from migration 0003; fixtures (``raw``) bring their own profile rows."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


def audit_group_changes_made_elsewhere(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Record role grants and revocations that bypassed the role service."""
    if not reverse and action in {"post_add", "post_remove", "post_clear"}:
        roles.forget_cached_roles(instance)  # the groups ``roles`` cached on this instance
    if is_role_service_active() or action not in {"post_add", "post_remove", "pre_clear"}:
        return
    granted = action == "post_add"
    if action == "pre_clear":
        if reverse:
            pairs = [
                (user_pk, instance.name)
                for user_pk in instance.user_set.values_list("pk", flat=True)
            ]
        else:
            pairs = [(instance.pk, name) for name in instance.groups.values_list("name", flat=True)]
    elif reverse:  # group.user_set.add(...): instance is the Group, pk_set holds users
        pairs = [(user_pk, instance.name) for user_pk in pk_set or ()]
    else:  # user.groups.add(...): instance is the User, pk_set holds groups
        names = Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True)
        pairs = [(instance.pk, name) for name in names]
    changes = [
        RoleChange(user_id=user_pk, role=name, granted=granted, via="group edited directly")
        for user_pk, name in pairs
        if name in roles.ALL_ROLES
    ]
    if changes:
        RoleChange.objects.bulk_create(changes)
        for change in changes:
            logger.info(
                "role %s %s for user %s outside the role service",
                change.role,
                "granted" if granted else "revoked",
                change.user_id,
            )


def sync_role_permissions_after_migrate(sender, app_config=None, using="default", **kwargs):
    """Run once per ``migrate`` (or test-database flush), after the last app's permissions exist.

    post_migrate fires once per app, in INSTALLED_APPS order, and each app's permissions are
    created by its own signal; so wait for the last app that has models.
    """
    from django.apps import apps

    last_with_models = [config for config in apps.get_app_configs() if config.models_module][-1]
    if app_config is None or app_config.label != last_with_models.label:
        return
    from members.services.roles import role_permissions_sync

    role_permissions_sync()
