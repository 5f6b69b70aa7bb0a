from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """Accounts, profiles, roles and the notification feed: the layer above the taxonomy."""

    name = "members"
    verbose_name = _("Members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from members import receivers
        from members.models import User

        post_save.connect(
            receivers.create_profile_for_new_user,
            sender=User,
            dispatch_uid="members.create_profile_for_new_user",
        )
        m2m_changed.connect(
            receivers.audit_group_changes_made_elsewhere,
            sender=User.groups.through,
            dispatch_uid="members.audit_group_changes_made_elsewhere",
        )
        post_migrate.connect(
            receivers.sync_role_permissions_after_migrate,
            dispatch_uid="members.sync_role_permissions_after_migrate",
        )
