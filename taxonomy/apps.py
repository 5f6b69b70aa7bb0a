from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    """The shared taxonomy (topics, SDG regions and countries, audiences, channels, glossary):
    the bottom layer. Profiles, the KB, the forum and search all use the same rows; this app
    imports none of them."""

    name = "taxonomy"
    verbose_name = _("Taxonomy")
    default_auto_field = "django.db.models.BigAutoField"
