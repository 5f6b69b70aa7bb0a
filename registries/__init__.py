"""An ordered set of provider callables that higher apps register from ``AppConfig.ready()``.

A lower layer that gathers content from the layers above it (design.md section 1a: the KB's
landing sections, the members' related-content lists) owns one ``ProviderRegistry`` and calls
its providers; the higher apps add theirs without the lower layer importing them.
"""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Provider = TypeVar("Provider", bound=Callable)


class ProviderRegistry(Generic[Provider]):
    """Providers in registration order; registering one twice keeps one."""

    def __init__(self) -> None:
        self._providers: list[Provider] = []

    def register(self, provider: Provider) -> Provider:
        """Add ``provider`` (idempotent; usable as a decorator)."""
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def unregister(self, provider: Provider) -> None:
        if provider in self._providers:
            self._providers.remove(provider)

    def __iter__(self) -> Iterator[Provider]:
        """A snapshot, so a provider may (un)register others while the caller iterates."""
        return iter(list(self._providers))
