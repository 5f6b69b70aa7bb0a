"""Taxonomy rows for tests.

The taxonomy migration loads every topic, region, audience, channel and country, so these
look rows up by slug or code. Transactional (browser) tests start from a flushed database
before serialized rollback restores it, so each creates the row when it is missing.
"""

from taxonomy.models import Audience, Channel, Country, Region, Topic


def _label(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def topic(slug: str = "customer-experience-and-trust") -> Topic:
    return Topic.objects.get_or_create(slug=slug, defaults={"name": _label(slug)})[0]


def region(slug: str = "sub-saharan-africa") -> Region:
    return Region.objects.get_or_create(slug=slug, defaults={"name": _label(slug)})[0]


def country(
    iso_alpha2: str = "KE",
    name: str = "Kenya",
    m49_code: str = "404",
    region_slug: str = "sub-saharan-africa",
) -> Country:
    found, _ = Country.objects.get_or_create(
        iso_alpha2=iso_alpha2,
        defaults={
            "name": name,
            "m49_code": m49_code,
            "slug": name.lower().replace(" ", "-"),
            "region": region(region_slug),
        },
    )
    return found


def terms(model: type[Topic | Region | Audience | Channel], slugs) -> list:
    """The rows of ``model`` with these slugs (unknown slugs are left out)."""
    return list(model.objects.filter(slug__in=slugs or []))
