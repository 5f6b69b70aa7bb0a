from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    """The top production layer: settings, URLs and site-wide views (errors, health)."""

    name = "config"
    verbose_name = _("Site configuration")
