from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search across the KB and the forum. Owns its wiring: kb and forum never import it."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from search import checks, receivers  # noqa: F401  (checks registers itself)
        from search.related import register_search_contributions

        receivers.connect()
        register_search_contributions()
