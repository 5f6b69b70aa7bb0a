""" "Download my data": a member's personal data as one JSON document.

Members contributes the account, profile, roles and notifications. Higher layers add their
sections (forum posts, votes, subscriptions; KB submissions) by registering an exporter from
their ``AppConfig.ready()``::

    from members.data_export import register_exporter
    register_exporter("forum_posts", export_forum_posts)  # callable(user) -> JSON-able data

Exporters must return JSON-serialisable data (``DjangoJSONEncoder`` handles dates, decimals
and UUIDs) and must only include what belongs to that member.
"""

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils import timezone

from members import roles
from members.models import Profile, RoleChange, User

Exporter = Callable[[User], Any]

FORMAT_VERSION = 1
_exporters: dict[str, Exporter] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    """Add a section called ``name`` to every export. Names are unique; re-registering the same
    callable is harmless (``ready()`` can run twice in tests), a different one is an error."""
    existing = _exporters.get(name)
    if existing is not None and existing is not exporter:
        raise ValueError(f"An exporter called {name!r} is already registered.")
    if name in _members_sections():
        raise ValueError(f"{name!r} is a section members itself provides.")
    _exporters[name] = exporter


def unregister_exporter(name: str) -> None:
    """For tests."""
    _exporters.pop(name, None)


def _members_sections() -> tuple[str, ...]:
    return ("format_version", "exported_at", "site", "account", "profile", "roles", "notifications")


def _attributes(obj: Any, *names: str) -> dict[str, Any]:
    """``obj``'s attributes ``names``, keyed by name: one row of an exported list."""
    return {name: getattr(obj, name) for name in names}


def member_data_export(user: User) -> dict[str, Any]:
    """Everything the hub holds about ``user`` that is theirs to take away."""
    # Every account has a profile (members.receivers): an export reads, it never writes.
    profile = (
        Profile.objects.select_related("country__region")
        .prefetch_related("expertise")
        .get(user=user)
    )
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "site": {"name": settings.SITE_NAME, "url": settings.SITE_URL},
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                _attributes(address, "email", "verified", "primary")
                for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
            ],
            "sign_in_providers": [
                _attributes(account, "provider", "uid", "date_joined")
                for account in SocialAccount.objects.filter(user=user)
            ],
            "two_factor_methods": sorted(
                set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
            ),
        },
        "profile": {
            "organisation": profile.organisation,
            "organisation_type": profile.organisation_type,
            "country": (
                {"name": profile.country.name, "iso_alpha2": profile.country.iso_alpha2}
                if profile.country
                else None
            ),
            "region": profile.region.name if profile.region else None,
            "job_title": profile.job_title,
            "expertise": [topic.name for topic in profile.expertise.all()],
            "bio_markdown": profile.bio,
            "avatar_url": (settings.SITE_URL + profile.avatar.url) if profile.avatar else None,
            "specialist_group": profile.specialist_group,
            "other_specialist_group": profile.other_specialist_group,
            "notification_email": profile.notification_email,
            "onboarded_at": profile.onboarded_at,
        },
        "roles": {
            "current": sorted(roles.role_names(user)),
            "history": [
                {"role": change.role, "granted": change.granted, "at": change.created_at}
                for change in RoleChange.objects.filter(user=user).order_by("created_at", "id")
            ],
        },
        "notifications": [
            _attributes(item, "kind", "title", "body", "url", "created_at", "read_at", "emailed_at")
            for item in user.notifications.order_by("created_at", "id")
        ],
    }
    for name in sorted(_exporters):
        data[name] = _exporters[name](user)
    return data
