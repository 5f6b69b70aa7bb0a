"""The illustrative demo corpus: coverage of regions and topics, and idempotent seeding."""

import pytest

from demo.kb import seed_demo_kb
from demo.kb_data import load_kb_demo_data
from kb.models import CaseStudyPage, KnowledgePage, MethodGuidePage
from taxonomy.models import GlossaryTerm, Region, Topic

pytestmark = pytest.mark.django_db


def test_seeding_creates_a_corpus_covering_every_region_and_top_level_topic():
    summary = seed_demo_kb()
    assert summary.case_studies_created >= 16
    assert summary.method_guides_created >= 10
    assert CaseStudyPage.objects.live().count() >= 16
    assert MethodGuidePage.objects.live().count() >= 10
    assert not KnowledgePage.objects.filter(is_illustrative=False).exists()

    case_study_regions = set(
        Region.objects.filter(knowledge_pages__in=CaseStudyPage.objects.values("pk"))
        .exclude(is_global=True)
        .values_list("slug", flat=True)
    )
    assert case_study_regions == set(
        Region.objects.filter(is_global=False).values_list("slug", flat=True)
    )
    used_topics = set(
        Topic.objects.filter(knowledge_pages__isnull=False).values_list("pk", flat=True)
    )
    for topic in Topic.objects.filter(parent__isnull=True):
        family = {topic.pk, *topic.children.values_list("pk", flat=True)}
        assert family & used_topics, topic.slug
    for page in CaseStudyPage.objects.live():
        assert page.results, page.slug  # measurable results
        assert page.lessons, page.slug
    assert GlossaryTerm.objects.count() >= 30
    for acronym in ("NRW", "AMI", "BWN", "CSAT", "WASH"):
        assert GlossaryTerm.objects.filter(acronyms__contains=acronym).exists(), acronym


def test_seeding_twice_changes_nothing():
    seed_demo_kb()
    counts = (KnowledgePage.objects.count(), GlossaryTerm.objects.count())
    again = seed_demo_kb()
    assert again.case_studies_created == again.method_guides_created == 0
    assert (KnowledgePage.objects.count(), GlossaryTerm.objects.count()) == counts


def test_demo_guides_link_to_existing_case_studies():
    data = load_kb_demo_data()
    slugs = {entry["slug"] for entry in data.case_studies}
    for guide in data.method_guides:
        assert set(guide.get("related_case_studies", [])) <= slugs, guide["slug"]


def test_seeded_pages_render(client):
    seed_demo_kb()
    for page in KnowledgePage.objects.live().specific()[:40]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert (
            "Illustrative example" in response.content.decode()
            or "Members only" in response.content.decode()
        )


def test_demo_member_submission_waits_for_editorial_review():
    from kb.models import Submission
    from tests.factories import kb as f

    f.user_with_role("member", email="member@demo.pcc-hub.test")
    assert seed_demo_kb().submissions_created == 1
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.page.current_workflow_state is not None
    assert seed_demo_kb().submissions_created == 0
