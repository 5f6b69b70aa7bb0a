from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    """Knowledge base: Wagtail pages (home, index, case studies, method guides) and member
    submissions, tagged with the shared taxonomy."""

    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from kb import signals
        from kb.checks import check_site_url

        signals.connect(self)
        checks.register(check_site_url)
