"""The site's one field template and one error summary (templates/includes/), in forum, KB and
members forms: every aria-describedby points at an element that exists, errors are linked to
their inputs the way Django 5.2 names them (``<id>_error``), and the summary links each error to
its field."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from taxonomy.models import Topic
from tests.factories import kb as kb_factories
from tests.factories import taxonomy as taxonomy_factories
from tests.factories.forum import CategoryFactory, MemberFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def assert_errors_are_described(response, *field_ids: str) -> None:
    """Every aria-describedby on the page resolves; each field in ``field_ids`` (its input, or
    for a radio or checkbox group the fieldset around ``<id>_0``) is described by its error
    list ``<id>_error``, and the error summary links to it."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    for element in soup.select("[aria-describedby]"):
        for target in element["aria-describedby"].split():
            assert soup.find(id=target) is not None, f"{element.name} points at missing #{target}"
    summary_links = {link["href"] for link in soup.select("#form-errors a[href]")}
    for field_id in field_ids:
        error_list = soup.find(id=f"{field_id}_error")
        assert error_list is not None, field_id
        assert error_list.get_text(strip=True), field_id
        described = soup.find(id=field_id) or soup.find(id=f"{field_id}_0").find_parent("fieldset")
        assert f"{field_id}_error" in described["aria-describedby"].split(), field_id
        assert any(href.startswith(f"#{field_id}") for href in summary_links), field_id


def test_forum_thread_form_links_title_and_topic_errors_to_their_inputs(client):
    category = CategoryFactory(slug="open")
    client.force_login(MemberFactory())
    response = client.post(
        reverse("forum:thread_new", kwargs={"slug": category.slug}), {"title": "", "body": "Hi"}
    )
    assert_errors_are_described(response, "id_title")

    too_many = [str(pk) for pk in Topic.objects.values_list("pk", flat=True)[:6]]
    response = client.post(
        reverse("forum:thread_new", kwargs={"slug": category.slug}),
        {"title": "A title", "body": "A body", "topics": too_many},
    )
    assert "Choose at most 5 topics." in response.text
    assert_errors_are_described(response, "id_topics")


def test_kb_submission_form_links_field_and_row_errors_to_their_inputs(client):
    client.force_login(kb_factories.user_with_role("member"))
    response = client.post(
        reverse("kb:submission_new", args=["case-study"]),
        {
            "title": "Half a case study",
            "action": "submit",
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-before": "10",
        },
    )
    assert_errors_are_described(
        response, "id_summary", "id_challenge", "id_topics", "id_indicators-0-indicator"
    )
    summary = BeautifulSoup(response.content, "html.parser").select_one("#form-errors")
    assert "Indicator 1, indicator: Name the indicator." in summary.get_text(" ", strip=True)


def test_members_welcome_form_links_choice_and_select_errors_to_their_inputs(client):
    taxonomy_factories.country("KE")
    client.force_login(UserFactory())
    response = client.post(
        reverse("members:welcome"),
        {"display_name": "Nia", "specialist_group": "", "country": "ZZ"},
    )
    assert_errors_are_described(
        response, "id_specialist_group", "id_country", "id_notification_email"
    )
