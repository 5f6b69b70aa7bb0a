"""Page tree rules and the publishing rule (a live KB page needs a topic and a region)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from kb.models import CaseStudyPage, HomePage, KnowledgeIndexPage, KnowledgePage, MethodGuidePage
from taxonomy.models import Topic
from tests.factories import kb as f
from tests.factories import taxonomy as taxonomy_factories


def draftail(text: str) -> str:
    """Rich text as Wagtail's admin form posts it (Draftail's contentstate JSON)."""
    import json

    block = {"key": "k", "type": "unstyled", "depth": 0, "text": text}
    block.update(inlineStyleRanges=[], entityRanges=[])
    return json.dumps({"blocks": [block], "entityMap": {}})


class PageTreeRulesTests(WagtailPageTestCase):
    def test_index_page_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(KnowledgeIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, KnowledgeIndexPage)

    def test_articles_live_under_the_index_page_only(self):
        self.assertAllowedParentPageTypes(CaseStudyPage, {KnowledgeIndexPage})
        self.assertAllowedParentPageTypes(MethodGuidePage, {KnowledgeIndexPage})
        self.assertAllowedSubpageTypes(KnowledgeIndexPage, {CaseStudyPage, MethodGuidePage})

    def test_articles_have_no_children_and_the_shared_base_is_not_creatable(self):
        self.assertAllowedSubpageTypes(CaseStudyPage, {})
        self.assertAllowedSubpageTypes(MethodGuidePage, {})
        self.assertCanNotCreateAt(KnowledgeIndexPage, KnowledgePage)
        self.assertCanNotCreateAt(HomePage, CaseStudyPage)
        self.assertCanNotCreateAt(Page, KnowledgeIndexPage)

    def test_only_one_index_page_may_exist(self):
        # The migration created it at /knowledge/; max_count stops a second one.
        assert KnowledgeIndexPage.objects.get().url == "/knowledge/"
        assert not KnowledgeIndexPage.can_create_at(HomePage.objects.get())


@pytest.mark.django_db
def test_live_page_without_topic_is_refused_at_model_level():
    with pytest.raises(ValidationError) as error:
        f.case_study(topics=())
    assert "topics" in error.value.message_dict


@pytest.mark.django_db
def test_live_page_without_region_is_refused_at_model_level():
    with pytest.raises(ValidationError) as error:
        f.method_guide(regions=())
    assert "regions" in error.value.message_dict


@pytest.mark.django_db
def test_draft_without_taxonomy_can_be_saved_but_not_published():
    page = f.case_study(topics=(), regions=(), live=False)
    revision = page.save_revision()
    with pytest.raises(ValidationError):
        revision.publish()
    page.refresh_from_db()
    assert not page.live


def admin_guide_data(**overrides) -> dict:
    """A method guide as Wagtail's page editor posts it: a topic, no region, no action."""
    data = {
        "title": "Guide without region",
        "slug": "guide-without-region",
        "summary": "A summary.",
        "purpose": draftail("Why"),
        "when_to_use": draftail("When"),
        "year": "2024",
        "topics": [str(Topic.objects.get(slug="social-media").pk)],
        "steps-count": "1",
        "steps-0-type": "text",
        "steps-0-deleted": "",
        "steps-0-order": "0",
        "steps-0-value": draftail("Do it"),
        "templates-count": "0",
        "related_case_study_links-TOTAL_FORMS": "0",
        "related_case_study_links-INITIAL_FORMS": "0",
        "related_case_study_links-MIN_NUM_FORMS": "0",
        "related_case_study_links-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor_client(client):
    from django.contrib.auth.models import Group

    editor = f.user_with_role("editor")
    assert Group.objects.get(name="editor").permissions.filter(codename="access_admin").exists()
    client.force_login(editor)
    return client


def add_guide_url() -> str:
    from django.urls import reverse

    return reverse("wagtailadmin_pages:add", args=["kb", "methodguidepage", f.index_page().pk])


@pytest.mark.django_db
def test_editor_publishing_in_the_admin_without_region_gets_a_field_error(editor_client):
    url = add_guide_url()
    data = admin_guide_data(**{"action-publish": "action-publish"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert not MethodGuidePage.objects.filter(slug="guide-without-region").exists()
    assert "Choose at least one region" in response.content.decode()

    data["regions"] = [str(taxonomy_factories.region("global").pk)]
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert MethodGuidePage.objects.get(slug="guide-without-region").live


@pytest.mark.django_db
def test_editor_saves_a_draft_without_taxonomy_and_cannot_publish_it_until_it_has_both(
    editor_client,
):
    from django.urls import reverse

    response = editor_client.post(add_guide_url(), admin_guide_data(topics=[]))
    assert response.status_code == 302
    draft = MethodGuidePage.objects.get(slug="guide-without-region")
    assert not draft.live

    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    publish = admin_guide_data(topics=[], **{"action-publish": "action-publish"})
    response = editor_client.post(edit_url, publish)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one topic" in page
    assert "Choose at least one region" in page
    draft.refresh_from_db()
    assert not draft.live

    publish["topics"] = [str(Topic.objects.get(slug="social-media").pk)]
    publish["regions"] = [str(taxonomy_factories.region("global").pk)]
    assert editor_client.post(edit_url, publish).status_code == 302
    draft.refresh_from_db()
    assert draft.live
