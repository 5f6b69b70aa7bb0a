"""What search adds to other apps' pages: "Related" on KB pages and threads (more_like_this),
and forum threads on topic and region landing pages."""

import pytest

from search.documents import MEMBERS, THREAD
from search.related import register_search_contributions
from tests.factories.forum import make_thread
from tests.factories.kb import case_study
from tests.factories.search import AFRICA, RISK, fresh_index, index_documents, search_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path):
    register_search_contributions()  # SearchConfig.ready() does this; idempotent
    yield from fresh_index(settings, tmp_path)


def test_a_kb_page_shows_related_threads_and_pages_from_more_like_this(client):
    page = case_study(title="Drought SMS campaign in Nairobi")
    index_documents(
        search_document(
            pk=page.pk,
            title=page.title,
            summary="drought sms campaign reminders customers",
            url=page.url,
        ),
        search_document(
            type=THREAD,
            title="Did drought SMS reminders work for you?",
            summary="drought sms reminders customers campaign",
        ),
        search_document(
            title="Members-only drought SMS review",
            summary="drought sms campaign reminders",
            visibility=(MEMBERS,),
        ),
    )
    html = client.get(page.url).content.decode()
    assert 'id="kb-related-heading">Related<' in html
    assert "Did drought SMS reminders work for you?" in html
    assert "Members-only drought SMS review" not in html


def test_a_kb_page_keeps_its_own_related_pages_when_search_knows_nothing(client):
    page = case_study(title="Lonely page")
    response = client.get(page.url)
    assert response.status_code == 200
    assert response.context["related_items"] == []


def test_a_thread_page_shows_related_content(client):
    thread = make_thread(title="Boil-water notice wording", body="How do you word a notice?")
    index_documents(
        search_document(
            type=THREAD,
            pk=thread.pk,
            title=thread.title,
            summary="boil water notice wording",
            url=thread.get_absolute_url(),
        ),
        search_document(title="Boil water notices that people read", summary="boil water notice"),
    )
    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'id="thread-related-heading">Related<' in html
    assert "Boil water notices that people read" in html


def test_topic_and_region_landing_pages_list_forum_threads_through_search(client):
    index_documents(
        search_document(
            type=THREAD, title="Flood warning by radio?", topics=(RISK,), regions=(AFRICA,)
        ),
        search_document(
            type=THREAD,
            title="Members flood thread",
            topics=(RISK,),
            visibility=(MEMBERS,),
        ),
    )
    topic_page = client.get(f"/knowledge/topics/{RISK.slug}/").content.decode()
    assert "Forum discussions" in topic_page
    assert "Flood warning by radio?" in topic_page
    assert "Members flood thread" not in topic_page
    region_page = client.get(f"/knowledge/regions/{AFRICA.slug}/").content.decode()
    assert "Flood warning by radio?" in region_page
