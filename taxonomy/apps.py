from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    """The shared taxonomy (topics, SDG regions and countries, audiences, channels, glossary):
    the bottom layer. Profiles, the KB, the forum and search all use the same rows; this app
    imports none of them."""

    name = "taxonomy"
    verbose_name = "Taxonomy"
    default_auto_field = "django.db.models.BigAutoField"
