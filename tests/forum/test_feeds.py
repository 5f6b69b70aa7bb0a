"""Atom feeds per category, topic, region and thread: valid Atom, public content only."""

from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from forum.models import Category, Post
from forum.services.posts import post_edit
from taxonomy.models import Region, Topic
from tests.factories import kb as kb_factories
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    ModeratorFactory,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://hub.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def public():
    return CategoryFactory(name="Open discussion", slug="open")


@pytest.fixture
def lounge():
    return CategoryFactory(
        name="Members lounge", slug="lounge", visibility=Category.Visibility.MEMBERS
    )


@pytest.fixture
def board():
    return CategoryFactory(
        name="Board room", slug="board", restricted_to_group=Group.objects.create(name="Board")
    )


def fetch(client, url) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def entries(feed) -> list[ElementTree.Element]:
    return feed.findall(f"{ATOM}entry")


def titles(feed) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def assert_valid_atom(feed: ElementTree.Element) -> None:
    """The elements RFC 4287 requires: feed id, title, updated, a self link; per entry id,
    title, updated, an alternate link and an author (none at feed level)."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{name}"), name
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"].startswith(f"{SITE_URL}/")
    assert links["alternate"].startswith(f"{SITE_URL}/")
    for entry in entries(feed):
        for name in ("id", "title", "updated", "published"):
            assert entry.findtext(f"{ATOM}{name}"), name
        link = entry.find(f"{ATOM}link")
        assert link.get("rel") == "alternate"
        assert link.get("href").startswith(f"{SITE_URL}/")
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
        assert entry.find(f"{ATOM}content").get("type") == "html"


def category_feed(category) -> str:
    return reverse("forum:category_feed", kwargs={"slug": category.slug})


def test_a_category_feed_lists_its_new_threads_as_valid_atom(client, public):
    author = MemberFactory(display_name="Ana Reyes")
    older = make_thread(category=public, author=author, title="Older thread")
    make_thread(category=public, title="Newer thread", body="Newer *body*")
    make_thread(title="Thread elsewhere")
    feed = fetch(client, category_feed(public))
    assert_valid_atom(feed)
    assert titles(feed) == ["Newer thread", "Older thread"]
    assert feed.findtext(f"{ATOM}title") == "Open discussion · Forum"
    last = entries(feed)[1]
    assert last.findtext(f"{ATOM}author/{ATOM}name") == "Ana Reyes"
    assert last.find(f"{ATOM}link").get("href") == f"{SITE_URL}{older.get_absolute_url()}"
    first = entries(feed)[0]
    assert first.findtext(f"{ATOM}content") == "<p>Newer <em>body</em></p>\n"


def test_entry_ids_stay_the_same_when_a_title_changes(client, public):
    author = MemberFactory()
    thread = make_thread(category=public, author=author, title="First title")
    before = entries(fetch(client, category_feed(public)))[0].findtext(f"{ATOM}id")
    post_edit(editor=author, post=thread.posts.get(), body="New body", title="Second title")
    entry = entries(fetch(client, category_feed(public)))[0]
    assert entry.findtext(f"{ATOM}title") == "Second title"
    assert entry.findtext(f"{ATOM}id") == before == f"{SITE_URL}/forum/t/{thread.pk}/"
    feed_id = fetch(client, category_feed(public)).findtext(f"{ATOM}id")
    assert feed_id == f"{SITE_URL}{category_feed(public)}"


def test_entry_content_is_the_stored_html_never_markdown_rendered_again(
    client, public, monkeypatch
):
    thread = make_thread(category=public, body="Some **bold** text")
    Post.objects.filter(thread=thread).update(body_html="<p>Stored HTML</p>")

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was rendered for a feed")

    monkeypatch.setattr("markup.rendering._parser", refuse)
    feed = fetch(client, category_feed(public))
    assert entries(feed)[0].findtext(f"{ATOM}content") == "<p>Stored HTML</p>"
    thread_feed = fetch(client, reverse("forum:thread_feed", kwargs={"pk": thread.pk}))
    assert entries(thread_feed)[0].findtext(f"{ATOM}content") == "<p>Stored HTML</p>"


@pytest.mark.parametrize("category_name", ["lounge", "board"])
def test_a_members_only_or_group_only_category_has_no_feed(client, request, category_name):
    category = request.getfixturevalue(category_name)
    make_thread(category=category, author=ModeratorFactory())
    assert client.get(category_feed(category)).status_code == HTTPStatus.NOT_FOUND
    client.force_login(ModeratorFactory())  # not even for someone who may read it
    assert client.get(category_feed(category)).status_code == HTTPStatus.NOT_FOUND
    missing = reverse("forum:category_feed", kwargs={"slug": "no-such-category"})
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND


def test_topic_and_region_feeds_hold_only_public_threads(client, public, lounge, board):
    topic = Topic.objects.get(slug="social-media")
    region = Region.objects.get(slug="oceania")
    moderator = ModeratorFactory()
    tags = {"topics": [topic], "regions": [region]}
    make_thread(category=public, title="Public and tagged", **tags)
    make_thread(category=lounge, author=moderator, title="Lounge and tagged", **tags)
    make_thread(category=board, author=moderator, title="Board and tagged", **tags)
    make_thread(category=public, title="Public, untagged")
    hidden = make_thread(category=public, title="Hidden and tagged", **tags)
    Post.objects.filter(thread=hidden).update(is_hidden=True)

    for url in (
        reverse("forum:topic_feed", kwargs={"slug": topic.slug}),
        reverse("forum:region_feed", kwargs={"slug": region.slug}),
    ):
        feed = fetch(client, url)
        assert_valid_atom(feed)
        assert titles(feed) == ["Public and tagged"], url
        body = client.get(url).content.decode()
        for secret in ("Lounge", "Board", "Hidden"):
            assert secret not in body


def test_a_parent_topic_feed_includes_its_sub_topics(client, public):
    child = Topic.objects.get(slug="social-media")
    make_thread(category=public, title="About social media", topics=[child])
    feed = fetch(client, reverse("forum:topic_feed", kwargs={"slug": child.parent.slug}))
    assert titles(feed) == ["About social media"]


def test_an_unknown_topic_or_region_feed_is_404(client):
    for name in ("forum:topic_feed", "forum:region_feed"):
        url = reverse(name, kwargs={"slug": "no-such-term"})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_thread_feed_lists_its_visible_posts_newest_first(client, public):
    thread = make_thread(category=public, title="Boil-water notices")
    first = make_reply(thread, author=MemberFactory(display_name="Lee Chan"), body="First reply")
    hidden = make_reply(thread, body="Hidden reply")
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    make_reply(thread, body="Last reply")
    feed = fetch(client, reverse("forum:thread_feed", kwargs={"pk": thread.pk}))
    assert_valid_atom(feed)
    contents = [entry.findtext(f"{ATOM}content") for entry in entries(feed)]
    assert contents == [
        "<p>Last reply</p>\n",
        "<p>First reply</p>\n",
        thread.posts.get(depth=0).body_html,
    ]
    assert titles(feed)[1] == "Reply by Lee Chan"
    assert titles(feed)[2] == "Boil-water notices"
    assert entries(feed)[1].findtext(f"{ATOM}id") == f"{SITE_URL}/forum/p/{first.pk}/"
    assert (
        "Hidden reply"
        not in client.get(reverse("forum:thread_feed", kwargs={"pk": thread.pk})).content.decode()
    )


def test_a_thread_feed_of_a_non_public_or_hidden_thread_is_404(client, public, lounge):
    closed = make_thread(category=lounge)
    hidden = make_thread(category=public)
    Post.objects.filter(thread=hidden, depth=0).update(is_hidden=True)
    for thread in (closed, hidden):
        url = reverse("forum:thread_feed", kwargs={"pk": thread.pk})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("forum:thread_feed", kwargs={"pk": 999999})).status_code == 404


def test_a_category_feed_costs_the_same_queries_for_3_or_30_threads(
    client, public, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            fetch(client, category_feed(public))
        return len(queries)

    for _ in range(3):
        make_thread(category=public, author=MemberFactory())
    few = count()
    for _ in range(27):
        make_thread(category=public, author=MemberFactory())
    assert count() == few <= 3


# ---- Links from the pages ----


def alternate(client, url) -> str | None:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    return link["href"] if link else None


def test_public_category_and_thread_pages_link_their_feeds(client, public, lounge):
    thread = make_thread(category=public)
    assert alternate(client, public.get_absolute_url()) == category_feed(public)
    assert alternate(client, thread.get_absolute_url()) == reverse(
        "forum:thread_feed", kwargs={"pk": thread.pk}
    )
    client.force_login(MemberFactory())
    closed = make_thread(category=lounge)
    assert alternate(client, lounge.get_absolute_url()) is None
    assert alternate(client, closed.get_absolute_url()) is None


def test_topic_and_region_landing_pages_link_their_forum_feeds(client):
    kb_factories.case_study(topics=("social-media",), regions=("oceania",))
    assert alternate(client, "/knowledge/topics/social-media/") == reverse(
        "forum:topic_feed", kwargs={"slug": "social-media"}
    )
    assert alternate(client, "/knowledge/regions/oceania/") == reverse(
        "forum:region_feed", kwargs={"slug": "oceania"}
    )
