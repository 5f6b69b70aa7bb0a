from django.apps import AppConfig


class ForumConfig(AppConfig):
    """Threaded discussion and Q&A."""

    name = "forum"
    verbose_name = "Forum"
