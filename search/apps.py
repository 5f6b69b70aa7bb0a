from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search across the KB and the forum. Owns its wiring: kb and forum never import it."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from search import receivers

        receivers.connect()
