"""Illustrative demo content for ``seed_demo``: case studies, method guides and a glossary.

The content lives in ``demo/data/kb/*.yaml`` so it is easy to extend; it is checked on load
(``demo.kb_data``), so a mistake names its file, entry and key. Seeding is idempotent:
pages are matched by slug under the KB index and created only when missing; glossary terms are
created or updated. Every demo page is flagged ``is_illustrative`` and shows a notice.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from demo.kb_data import load_kb_demo_data
from kb import access
from kb.models import CaseStudyPage, MethodGuideCaseStudy, MethodGuidePage
from kb.selectors import knowledge_index_page
from markup import KB_RICH_TEXT, render_markdown
from taxonomy.models import Audience, Channel, Country, GlossaryTerm, Region, Topic


@dataclass(frozen=True)
class DemoSummary:
    case_studies_created: int
    method_guides_created: int
    glossary_terms: int
    submissions_created: int = 0


@transaction.atomic
def seed_demo_kb() -> DemoSummary:
    index = knowledge_index_page()
    if index is None:
        raise RuntimeError("The KnowledgeIndexPage is missing: run the kb migrations first.")
    data = load_kb_demo_data()
    glossary = _seed_glossary(data.glossary)
    existing = set(Page.objects.child_of(index).values_list("slug", flat=True))
    case_studies = [
        _create_case_study(index, entry, order)
        for order, entry in enumerate(data.case_studies)
        if entry["slug"] not in existing
    ]
    guides = [
        _create_method_guide(index, entry, order)
        for order, entry in enumerate(data.method_guides)
        if entry["slug"] not in existing
    ]
    submissions = _seed_submissions(data.submissions)
    return DemoSummary(len(case_studies), len(guides), glossary, submissions)


def _seed_submissions(entries: list[dict]) -> int:
    """Submit the demo members' pending case studies (skipped when the author is missing,
    lacks the member role, or already submitted one with that title)."""
    from kb.models import Submission
    from kb.services.submissions import SubmissionInput, submission_create
    from members.models import User
    from members.roles import is_member

    created = 0
    for entry in entries:
        author = User.objects.filter(email=entry["author"]).first()
        if author is None or not is_member(author):
            continue
        fields = dict(entry["fields"])
        if Submission.objects.filter(author=author, page__title=fields["title"]).exists():
            continue
        taxonomy = taxonomy_terms(fields)
        for name, terms in taxonomy.items():
            fields[name] = [term.pk for term in terms]
        submission_create(
            author=author,
            kind=entry["kind"],
            data=SubmissionInput(
                fields=fields, rows=entry.get("rows", []), uploads=[], remove_document_ids=[]
            ),
            submit=True,
        )
        created += 1
    return created


def _seed_glossary(entries: list[dict]) -> int:
    from django.utils.text import slugify

    for entry in entries:
        GlossaryTerm.objects.update_or_create(
            slug=slugify(entry["term"]),
            defaults={
                "term": entry["term"],
                "definition": entry["definition"],
                "acronyms": ", ".join(entry.get("acronyms") or []),
                "synonyms": ", ".join(entry.get("synonyms") or []),
            },
        )
    return len(entries)


def taxonomy_terms(entry: dict) -> dict[str, list]:
    """The terms a demo entry names (``topics``, ``regions``, ``audiences``, ``channels`` as
    slugs, ``countries`` as ISO alpha-2 codes), in its order; a country adds its region, as KB
    forms do. The slugs must exist (the loaders check them first)."""

    def by_slug(model, key):
        slugs = entry.get(key) or []
        found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
        return [found[slug] for slug in slugs]

    countries = list(
        Country.objects.filter(iso_alpha2__in=entry.get("countries") or []).select_related("region")
    )
    regions = {region.pk: region for region in by_slug(Region, "regions")}
    for country in countries:
        regions.setdefault(country.region_id, country.region)
    return {
        "topics": by_slug(Topic, "topics"),
        "regions": list(regions.values()),
        "countries": countries,
        "audiences": by_slug(Audience, "audiences"),
        "channels": by_slug(Channel, "channels"),
    }


def demo_page_publish(
    index: Page,
    page: Page,
    *,
    terms: dict[str, list],
    members_only: bool,
    published: datetime.datetime,
) -> Page:
    """Add the new KB ``page`` under ``index`` with ``terms`` (as ``taxonomy_terms`` gives
    them), behind the members-only view restriction ``kb.access`` reads if ``members_only``,
    publish it as a revision and date its publication ``published``."""
    for name, values in terms.items():
        setattr(page, name, values)
    index.add_child(instance=page)
    if members_only:
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set(access.members_only_groups())
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=published
    )
    return page


def _publish(index, page, entry: dict, order: int):
    # Spread publication dates over the years the examples describe, so "newest" sorts sensibly.
    published = timezone.make_aware(datetime.datetime(entry["year"], 3, 1)) + datetime.timedelta(
        days=11 * order
    )
    return demo_page_publish(
        index,
        page,
        terms=taxonomy_terms(entry),
        members_only=bool(entry.get("members_only")),
        published=published,
    )


def _page_fields(entry: dict) -> dict:
    """The fields every demo KB page sets the same way."""
    return {
        "title": entry["title"],
        "slug": entry["slug"],
        "summary": entry["summary"],
        "year": entry["year"],
        "is_illustrative": True,
    }


def _create_case_study(index, entry: dict, order: int) -> CaseStudyPage:
    page = CaseStudyPage(
        **_page_fields(entry),
        organisation=entry["organisation"],
        organisation_type=entry["organisation_type"],
        population_served=entry.get("population_served"),
        timeline=entry.get("timeline", ""),
        budget_band=entry.get("budget_band", ""),
        contact=entry.get("contact", ""),
        challenge=render_markdown(entry["challenge"], KB_RICH_TEXT).html,
        objectives=render_markdown(entry["objectives"], KB_RICH_TEXT).html,
        approach=[("text", RichText(render_markdown(entry["approach"], KB_RICH_TEXT).html))],
        results=[
            (
                "indicator",
                {
                    "indicator": row["indicator"],
                    "before": str(row.get("before", "")),
                    "after": str(row["after"]),
                    "unit": row.get("unit", ""),
                    "note": row.get("note", ""),
                },
            )
            for row in entry.get("results", [])
        ],
        results_summary=render_markdown(entry.get("results_summary", ""), KB_RICH_TEXT).html,
        lessons=render_markdown(entry["lessons"], KB_RICH_TEXT).html,
    )
    return _publish(index, page, entry, order)


def _create_method_guide(index, entry: dict, order: int) -> MethodGuidePage:
    page = MethodGuidePage(
        **_page_fields(entry),
        effort=entry.get("effort", ""),
        cost_band=entry.get("cost_band", ""),
        purpose=render_markdown(entry["purpose"], KB_RICH_TEXT).html,
        when_to_use=render_markdown(entry["when_to_use"], KB_RICH_TEXT).html,
        when_not_to_use=render_markdown(entry.get("when_not_to_use", ""), KB_RICH_TEXT).html,
        skills_needed=render_markdown(entry.get("skills_needed", ""), KB_RICH_TEXT).html,
        steps=[
            (
                "step",
                {
                    "title": step["title"],
                    "body": RichText(render_markdown(step["body"], KB_RICH_TEXT).html),
                    "duration": step.get("duration", ""),
                },
            )
            for step in entry["steps"]
        ],
    )
    case_studies = CaseStudyPage.objects.filter(slug__in=entry.get("related_case_studies", []))
    page.related_case_study_links = [
        MethodGuideCaseStudy(case_study=case_study, sort_order=number)
        for number, case_study in enumerate(case_studies)
    ]
    return _publish(index, page, entry, order)
