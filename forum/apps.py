from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """Threaded discussion and Q&A."""

    name = "forum"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from forum.notification_access import unreadable_thread_keys
        from forum.privacy import forum_account_deleting, forum_data_export
        from forum.selectors.contributions import recent_public_replies, recent_public_threads
        from forum.selectors.participation import forum_participation
        from members.contributions import register_contribution_source
        from members.data_export import register_exporter
        from members.notification_access import register_unreadable_keys_provider
        from members.services.trust import register_participation_source
        from members.signals import account_deleting

        register_exporter("forum", forum_data_export)
        register_unreadable_keys_provider(unreadable_thread_keys)
        register_contribution_source("forum_threads", _("Forum threads"), recent_public_threads)
        register_contribution_source("forum_replies", _("Forum replies"), recent_public_replies)
        register_participation_source("forum", forum_participation)
        account_deleting.connect(forum_account_deleting, dispatch_uid="forum.account_deleting")

        from forum.receivers import connect_forum_receivers

        connect_forum_receivers()
