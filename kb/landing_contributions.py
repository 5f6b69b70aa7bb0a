"""A registry through which higher layers add sections to the topic and region landing pages.

``kb`` must not import ``forum``; the forum registers a callable from its
``AppConfig.ready()`` instead::

    from kb.landing_contributions import LandingSection, register_landing_section

    def recent_threads(request, *, topic=None, region=None):
        threads = ...  # the forum's own selector, with a fixed number of queries
        return LandingSection(
            title="Forum discussions",
            template_name="forum/includes/landing_threads.html",
            context={"threads": threads},
            more_url=...,
        )

    register_landing_section(recent_threads)

Each callable receives the request and exactly one of ``topic`` / ``region`` (kb.Topic or
kb.Region) and returns a LandingSection, or None to add nothing. It must respect the
requesting user's permissions and keep its query count independent of data size.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registries import ProviderRegistry


@dataclass(frozen=True)
class LandingSection:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    more_url: str = ""
    more_label: str = _("See all")


LandingSectionProvider = Callable[..., LandingSection | None]

_providers: ProviderRegistry[LandingSectionProvider] = ProviderRegistry()
register_landing_section = _providers.register
unregister_landing_section = _providers.unregister


def landing_sections(request: HttpRequest, *, topic=None, region=None) -> list[LandingSection]:
    """Every registered section for this landing page, in registration order."""
    sections = []
    for provider in _providers:
        section = provider(request, topic=topic, region=region)
        if section is not None:
            sections.append(section)
    return sections
