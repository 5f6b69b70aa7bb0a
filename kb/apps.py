from django.apps import AppConfig


class KbConfig(AppConfig):
    """Knowledge base: Wagtail pages and the shared taxonomy (used by forum and search too)."""

    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from kb import signals

        signals.connect()
