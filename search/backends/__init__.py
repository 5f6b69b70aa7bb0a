"""The backend chosen by settings: ``SEARCH_BACKEND`` names an entry of ``BACKENDS``.

With "elasticsearch" and ``SEARCH_KEEP_EMBEDDED_FALLBACK`` true, ``search_backend()`` is the
composite "elasticsearch+embedded" (search.backends.fallback): reads fall back to the embedded
index during an outage, writes keep both up to date.

``search_backend()`` returns one instance per process and settings value; tests that switch
settings call ``search_backend.cache_clear()``.
"""

from functools import cache
from importlib import import_module

from django.conf import settings

from search.backends.base import SearchBackend

BACKENDS = {
    "embedded": "search.backends.embedded.EmbeddedBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
    "elasticsearch+embedded": "search.backends.fallback.FallbackBackend",
}


def backend_class(name: str) -> type[SearchBackend]:
    module_name, class_name = BACKENDS[name].rsplit(".", 1)
    return getattr(import_module(module_name), class_name)


@cache
def _backend(name: str) -> SearchBackend:
    return backend_class(name)()


def search_backend() -> SearchBackend:
    name = settings.SEARCH_BACKEND
    if name == "elasticsearch" and settings.SEARCH_KEEP_EMBEDDED_FALLBACK:
        name = "elasticsearch+embedded"
    return _backend(name)


search_backend.cache_clear = _backend.cache_clear
