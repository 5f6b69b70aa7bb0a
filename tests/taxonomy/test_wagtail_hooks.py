"""Editors manage the taxonomy as Wagtail snippets under one "Taxonomy" menu."""

import pytest
from django.test import RequestFactory
from wagtail.admin.menu import admin_menu

from tests.factories import kb as f
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "Topics": "/admin/snippets/taxonomy/topic/",
    "Regions": "/admin/snippets/taxonomy/region/",
    "Countries": "/admin/snippets/taxonomy/country/",
    "Audiences": "/admin/snippets/taxonomy/audience/",
    "Channels": "/admin/snippets/taxonomy/channel/",
    "Glossary": "/admin/snippets/taxonomy/glossaryterm/",
}


def test_editors_find_every_list_under_the_taxonomy_menu_in_order():
    request = RequestFactory().get("/admin/")
    request.user = f.user_with_role("editor")
    menu = {item.label: item for item in admin_menu.menu_items_for_request(request)}
    taxonomy = menu["Taxonomy"]
    assert taxonomy.order == 250
    items = taxonomy.menu.menu_items_for_request(request)
    assert [(item.label, item.url) for item in items] == list(LISTS.items())


@pytest.mark.parametrize(("label", "url"), list(LISTS.items()))
def test_an_editor_opens_each_taxonomy_list(client, label, url):
    client.force_login(f.user_with_role("editor"))
    response = client.get(url)
    assert response.status_code == 200, label


def test_an_editor_renames_a_topic_in_the_admin(client):
    from taxonomy.models import Topic

    client.force_login(f.user_with_role("editor"))
    topic = Topic.objects.get(slug="research-and-evaluation")
    response = client.post(
        f"/admin/snippets/taxonomy/topic/edit/{topic.pk}/",
        {
            "name": "Research, monitoring and evaluation",
            "slug": topic.slug,
            "parent": "",
            "description": "",
            "sort_order": topic.sort_order,
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Research, monitoring and evaluation"


def test_members_cannot_open_the_taxonomy_lists(client):
    client.force_login(MemberFactory())
    response = client.get(LISTS["Topics"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
