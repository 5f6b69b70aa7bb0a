from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Accounts, profiles, roles and the notification feed: the bottom layer."""

    name = "members"
    verbose_name = "Members"
