"""Services of the search app: indexing (``search.services.indexing``)."""
