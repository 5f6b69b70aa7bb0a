"""The illustrative demo corpus: coverage of regions and topics, and idempotent seeding."""

import pytest

from demo.data_files import DemoDataError
from demo.kb import load_kb_demo_data, seed_demo_kb
from kb.models import CaseStudyPage, GlossaryTerm, KnowledgePage, MethodGuidePage, Region, Topic

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


def test_an_unknown_taxonomy_slug_in_the_kb_data_names_file_entry_and_key(demo_data):
    demo_data.edit(
        "kb/case_studies.yaml",
        "  topics: [risk-and-crisis-communication, sms-and-text-messaging,",
        "  topics: [risk-and-crisis-communication, sms-and-texting,",
    )
    with pytest.raises(DemoDataError) as caught:
        seed_demo_kb()
    assert str(caught.value) == (
        "demo/data/kb/case_studies.yaml: entry 1 ('nairobi-sms-outage-alerts'), key topics[1]: "
        "unknown topic slug 'sms-and-texting' (did you mean 'sms-and-text-messaging'?)"
    )
    assert not KnowledgePage.objects.exists()


def test_an_unknown_country_or_case_study_in_the_kb_data_is_refused(demo_data):
    demo_data.edit("kb/case_studies.yaml", "  countries: [KE]\n", "  countries: [XK1]\n")
    with pytest.raises(DemoDataError, match=r"key countries\[0\]: unknown country .* 'XK1'"):
        load_kb_demo_data()


def test_a_method_guide_linking_an_unknown_case_study_is_refused(demo_data):
    demo_data.edit(
        "kb/method_guides.yaml",
        "related_case_studies: [suva-cyclone-boil-water-notice,",
        "related_case_studies: [suva-cyclone-boil-water-notise,",
    )
    with pytest.raises(DemoDataError) as caught:
        load_kb_demo_data()
    assert str(caught.value) == (
        "demo/data/kb/method_guides.yaml: entry 1 ('writing-a-boil-water-notice'), key "
        "related_case_studies[0]: unknown case study (a slug in case_studies.yaml) "
        "'suva-cyclone-boil-water-notise' (did you mean 'suva-cyclone-boil-water-notice'?)"
    )


def test_a_misspelt_or_missing_key_in_the_kb_data_is_refused(demo_data):
    demo_data.edit(
        "kb/glossary.yaml", "  definition: Water produced", "  defintion: Water produced"
    )
    with pytest.raises(DemoDataError) as caught:
        load_kb_demo_data()
    assert str(caught.value).startswith(
        "demo/data/kb/glossary.yaml: entry 1 ('Non-revenue water'): unknown key 'defintion' "
        "(did you mean 'definition'?)"
    )
    demo_data.edit(
        "kb/glossary.yaml", "  defintion: Water produced", "  definition: Water produced"
    )
    demo_data.edit("kb/submissions.yaml", "  kind: case-study\n", "")
    with pytest.raises(
        DemoDataError, match=r"^demo/data/kb/submissions\.yaml: entry 1: missing key 'kind'$"
    ):
        load_kb_demo_data()


def test_a_submission_by_an_unknown_demo_login_is_refused(demo_data):
    demo_data.edit("kb/submissions.yaml", "- author: member@demo", "- author: membre@demo")
    with pytest.raises(DemoDataError) as caught:
        load_kb_demo_data()
    assert str(caught.value) == (
        "demo/data/kb/submissions.yaml: entry 1, key author: unknown demo login "
        "(demo/members.py) 'membre@demo.pcc-hub.test' (did you mean 'member@demo.pcc-hub.test'?)"
    )
