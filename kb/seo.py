"""schema.org metadata for KB pages (rendered as a JSON-LD data block in the page head)."""

from django.conf import settings
from django.http import HttpRequest


def article_structured_data(page, request: HttpRequest, *, members_only: bool) -> dict:
    """An ``Article`` describing ``page``; members-only pages say they are not free to read
    (the pattern search engines expect for restricted content shown as a teaser)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title[:110],
        "description": page.get_meta_description(),
        "url": page.get_full_url(request),
        "mainEntityOfPage": page.get_full_url(request),
        "inLanguage": "en",
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "about": [topic.name for topic in page.topics.all()],
        "keywords": ", ".join(
            [topic.name for topic in page.topics.all()]
            + [region.name for region in page.regions.all()]
        ),
        "isAccessibleForFree": not members_only,
    }
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    countries = [country.name for country in page.countries.all()]
    if countries:
        data["spatialCoverage"] = [{"@type": "Country", "name": name} for name in countries]
    organisation = getattr(page, "organisation", "")
    if organisation:
        data["author"] = {"@type": "Organization", "name": organisation}
    else:
        data["author"] = {"@type": "Organization", "name": settings.SITE_NAME}
    if members_only:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".kb-page__body",
        }
    return data
