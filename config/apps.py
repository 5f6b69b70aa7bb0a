from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The top production layer: settings, URLs and site-wide views (errors, health)."""

    name = "config"
    verbose_name = "Site configuration"
