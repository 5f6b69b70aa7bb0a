"""The KB demo data files (``demo/data/kb/*.yaml``): their shapes, checked on load.

Taxonomy slugs and country codes are checked against the models a submission's taxonomy
fields use, choices against the page models' fields, related case studies against
``case_studies.yaml`` and submission authors against the demo accounts.
"""

from dataclasses import dataclass

from demo.data_files import Choice, ListOf, Record, load_data
from demo.members import DEMO_LOGIN
from kb.models import CaseStudyPage, MethodGuidePage, Submission
from kb.services.submissions import TAXONOMY_MODELS


@dataclass(frozen=True)
class KbDemoData:
    """The checked content of ``demo/data/kb/``, one attribute per file."""

    glossary: list[dict]
    case_studies: list[dict]
    method_guides: list[dict]
    submissions: list[dict]


def load_kb_demo_data() -> KbDemoData:
    """Read the KB demo files, checking keys, types, choices and taxonomy slugs (against the
    database); raises ``DemoDataError`` naming the file, entry and key."""

    def slugs(model, what: str) -> ListOf:
        return ListOf(Choice(set(model.objects.values_list("slug", flat=True)), what))

    def choice(model, name: str) -> Choice:
        values = [value for value, _ in model._meta.get_field(name).choices]
        return Choice(values, name.replace("_", " "))

    taxonomy = {
        "topics": slugs(TAXONOMY_MODELS["topics"], "topic slug"),
        "regions": slugs(TAXONOMY_MODELS["regions"], "region slug"),
        "countries": ListOf(
            Choice(
                set(TAXONOMY_MODELS["countries"].objects.values_list("iso_alpha2", flat=True)),
                "country (ISO 3166 alpha-2 code)",
            )
        ),
        "audiences": slugs(TAXONOMY_MODELS["audiences"], "audience slug"),
        "channels": slugs(TAXONOMY_MODELS["channels"], "channel slug"),
    }
    case_study_details = {
        "population_served": int,
        "timeline": str,
        "budget_band": choice(CaseStudyPage, "budget_band"),
        "contact": str,
        "results_summary": str,
        "members_only": bool,
        **taxonomy,
    }
    method_guide_details = {
        "effort": choice(MethodGuidePage, "effort"),
        "cost_band": choice(MethodGuidePage, "cost_band"),
        "when_not_to_use": str,
        "skills_needed": str,
        "members_only": bool,
        **taxonomy,
    }
    case_studies = load_data(
        "kb/case_studies.yaml",
        ListOf(
            Record(
                {
                    "slug": str,
                    "title": str,
                    "summary": str,
                    "organisation": str,
                    "organisation_type": choice(CaseStudyPage, "organisation_type"),
                    "year": int,
                    "challenge": str,
                    "objectives": str,
                    "approach": str,
                    "lessons": str,
                },
                {
                    **case_study_details,
                    "results": ListOf(
                        Record(
                            {"indicator": str, "after": (str, int, float)},
                            {"before": (str, int, float), "unit": str, "note": str},
                            label="indicator",
                        )
                    ),
                },
                label="slug",
            ),
            unique_by="slug",
        ),
    )
    case_study = Choice(
        {entry["slug"] for entry in case_studies}, "case study (a slug in case_studies.yaml)"
    )
    method_guides = load_data(
        "kb/method_guides.yaml",
        ListOf(
            Record(
                {
                    "slug": str,
                    "title": str,
                    "summary": str,
                    "year": int,
                    "purpose": str,
                    "when_to_use": str,
                    "steps": ListOf(
                        Record({"title": str, "body": str}, {"duration": str}, label="title")
                    ),
                },
                {**method_guide_details, "related_case_studies": ListOf(case_study)},
                label="slug",
            ),
            unique_by="slug",
        ),
    )
    glossary = load_data(
        "kb/glossary.yaml",
        ListOf(
            Record(
                {"term": str, "definition": str},
                {"acronyms": ListOf(str), "synonyms": ListOf(str)},
                label="term",
            ),
            unique_by="term",
        ),
    )
    text_fields = ("summary", "organisation", "challenge", "objectives", "approach", "lessons")
    guide_text = ("purpose", "when_to_use")
    submissions = load_data(
        "kb/submissions.yaml",
        ListOf(
            Record(
                {
                    "author": DEMO_LOGIN,
                    "kind": Choice(Submission.Kind.values, "submission kind"),
                    "fields": Record(
                        {"title": str},
                        {
                            **dict.fromkeys(text_fields + guide_text, str),
                            "year": int,
                            "organisation_type": choice(CaseStudyPage, "organisation_type"),
                            **case_study_details,
                            **method_guide_details,
                        },
                    ),
                },
                {
                    # Indicators (case study: indicator, before, after, unit) or steps
                    # (method guide: title, details), as the submission form sends them.
                    "rows": ListOf(
                        Record(
                            {},
                            dict.fromkeys(
                                ("indicator", "before", "after", "unit", "title", "details"), str
                            ),
                        )
                    )
                },
            )
        ),
    )
    return KbDemoData(glossary, case_studies, method_guides, submissions)
