from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Operating the hub: backups and restores (``manage.py backup_create``/``backup_restore``).

    The top layer: it may read every app below, and none imports it. It has no models.
    """

    name = "operations"
    verbose_name = _("Operations")
