"""What a member has contributed, gathered from higher layers for the public profile page.

``forum`` and ``kb`` register a source from their ``AppConfig.ready()``::

    from members.contributions import Contribution, register_contribution_source
    register_contribution_source("forum_threads", "Forum threads", recent_threads_by)

A source is ``callable(user, limit) -> list[Contribution]`` returning the newest public
items first; it must use a constant number of queries and never return members-only items.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from members.models import User


@dataclass(frozen=True)
class Contribution:
    title: str
    url: str
    date: datetime | None = None
    kind: str = ""


@dataclass(frozen=True)
class ContributionSection:
    name: str
    label: str
    items: list[Contribution]


ContributionSource = Callable[[User, int], list[Contribution]]
_sources: dict[str, tuple[str, ContributionSource]] = {}


def register_contribution_source(name: str, label: str, source: ContributionSource) -> None:
    _sources[name] = (label, source)


def unregister_contribution_source(name: str) -> None:
    """For tests."""
    _sources.pop(name, None)


def member_contributions(user: User, *, limit: int = 10) -> list[ContributionSection]:
    """One section per registered source, in registration order; empty sections dropped."""
    sections = []
    for name, (label, source) in _sources.items():
        items = list(source(user, limit))[:limit]
        if items:
            sections.append(ContributionSection(name=name, label=label, items=items))
    return sections
