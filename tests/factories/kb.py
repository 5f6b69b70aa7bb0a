"""Builders for KB pages and roles. Wagtail pages need tree placement, so these are plain
functions rather than factory_boy factories."""

import datetime
import itertools

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from kb.models import CaseStudyPage, KnowledgeIndexPage, MethodGuidePage
from members.roles import ALL_ROLES
from taxonomy.models import Audience, Channel, Country, Region, Topic
from tests.factories.members import UserFactory
from tests.factories.taxonomy import terms

_sequence = itertools.count(1)


def index_page() -> KnowledgeIndexPage:
    """The KnowledgeIndexPage created by the kb migrations, at /knowledge/."""
    return KnowledgeIndexPage.objects.get()


PRIVILEGED_TOTP_SECRET = "PCCHUBTESTONLYPCCHUBTESTONLY2345"


def user_with_role(role: str, **kwargs):
    """A verified user in one role group. Moderators, editors and admins also get an
    authenticator app, since the admin refuses privileged accounts without two-factor auth."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if role in ("moderator", "editor", "admin"):
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, PRIVILEGED_TOTP_SECRET)
    return user


def case_study(
    *,
    title: str | None = None,
    topics=("customer-experience-and-trust",),
    regions=("sub-saharan-africa",),
    countries=("KE",),
    audiences=("residential-customers",),
    channels=("sms",),
    year: int = 2023,
    live: bool = True,
    members_only: bool = False,
    published_at: datetime.datetime | None = None,
    parent=None,
    **fields,
) -> CaseStudyPage:
    number = next(_sequence)
    page = CaseStudyPage(
        title=title or f"Case study {number}",
        summary=fields.pop("summary", f"Summary of case study {number}."),
        organisation=fields.pop("organisation", f"Utility {number}"),
        organisation_type=fields.pop("organisation_type", "utility"),
        challenge=fields.pop("challenge", "<p>Low trust in tap water.</p>"),
        objectives=fields.pop("objectives", "<p>Raise trust.</p>"),
        lessons=fields.pop("lessons", "<p>Start early.</p>"),
        approach=fields.pop("approach", [("text", RichText("<p>We texted every customer.</p>"))]),
        year=year,
        live=live,
        first_published_at=published_at or timezone.now() - datetime.timedelta(minutes=number),
        **fields,
    )
    return _place(page, topics, regions, countries, audiences, channels, members_only, parent)


def method_guide(
    *,
    title: str | None = None,
    topics=("behaviour-change-and-conservation",),
    regions=("global",),
    countries=(),
    audiences=(),
    channels=("social-media",),
    year: int = 2024,
    live: bool = True,
    members_only: bool = False,
    published_at: datetime.datetime | None = None,
    parent=None,
    **fields,
) -> MethodGuidePage:
    number = next(_sequence)
    page = MethodGuidePage(
        title=title or f"Method guide {number}",
        summary=fields.pop("summary", f"Summary of guide {number}."),
        purpose=fields.pop("purpose", "<p>Change behaviour.</p>"),
        when_to_use=fields.pop("when_to_use", "<p>During drought.</p>"),
        steps=[("step", {"title": "Plan", "body": RichText("<p>Plan it.</p>"), "duration": ""})],
        year=year,
        live=live,
        first_published_at=published_at or timezone.now() - datetime.timedelta(minutes=number),
        **fields,
    )
    return _place(page, topics, regions, countries, audiences, channels, members_only, parent)


def _place(page, topics, regions, countries, audiences, channels, members_only, parent):
    page.topics = terms(Topic, topics)
    page.regions = terms(Region, regions)
    page.countries = list(Country.objects.filter(iso_alpha2__in=countries or []))
    page.audiences = terms(Audience, audiences)
    page.channels = terms(Channel, channels)
    (parent or index_page()).add_child(instance=page)
    if members_only:
        make_members_only(page)
    return page


def make_members_only(page) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES])
    return restriction
