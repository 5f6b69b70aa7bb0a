from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The top layer: settings, URLs and site-wide commands such as ``seed_demo``."""

    name = "config"
    verbose_name = "Site configuration"
