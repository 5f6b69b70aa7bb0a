"""The backend chosen by settings: ``SEARCH_BACKEND`` names an entry of ``BACKENDS``.

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
}


def backend_class(name: str) -> type[SearchBackend]:
    module_name, class_name = BACKENDS[name].rsplit(".", 1)
    return getattr(import_module(module_name), class_name)


@cache
def _backend(name: str) -> SearchBackend:
    return backend_class(name)()


def search_backend() -> SearchBackend:
    return _backend(settings.SEARCH_BACKEND)


search_backend.cache_clear = _backend.cache_clear
