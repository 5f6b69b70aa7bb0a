from django.apps import AppConfig
from django.core import checks


class KbConfig(AppConfig):
    """Knowledge base: Wagtail pages (home, index, case studies, method guides) and member
    submissions, tagged with the shared taxonomy."""

    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from kb import signals
        from kb.checks import check_site_url

        signals.connect(self)
        checks.register(check_site_url)
