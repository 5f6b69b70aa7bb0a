"""Read tracking through the pages: recording reads, unread markers and counts, "jump to first
unread", "mark all read", and the query budgets of the pages that show them."""

from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.bulk import bulk_threads_create
from forum.models import Category, CategoryRead, Post, Thread, ThreadRead
from forum.services.reads import thread_read_mark
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    ModeratorFactory,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db

VISITOR_BUDGET = 7
MEMBER_BUDGET = 19


@pytest.fixture
def reader(client):
    member = MemberFactory()
    client.force_login(member)
    return member


def thread_with_replies(count: int, **kwargs) -> Thread:
    thread = make_thread(**kwargs)
    for _ in range(count):
        make_reply(thread)
    thread.refresh_from_db()
    return thread


def soup(response) -> BeautifulSoup:
    assert response.status_code == HTTPStatus.OK
    return BeautifulSoup(response.content, "html.parser")


def jump_link(response):
    return soup(response).select_one(".unread-jump a")


def last_read(member, thread) -> int | None:
    row = ThreadRead.objects.filter(member=member, thread=thread).first()
    return row.last_read_position if row else None


def test_viewing_a_thread_records_it_read_to_the_last_post_shown(client, reader):
    thread = thread_with_replies(3)
    client.get(thread.get_absolute_url())
    assert last_read(reader, thread) == 4


def test_a_visitor_viewing_a_thread_records_nothing(client):
    thread = thread_with_replies(1)
    assert client.get(thread.get_absolute_url()).status_code == HTTPStatus.OK
    assert not ThreadRead.objects.exists()


def test_a_new_reply_shows_jump_to_first_unread_at_its_anchor(client, reader):
    thread = thread_with_replies(2)
    client.get(thread.get_absolute_url())
    assert jump_link(client.get(thread.get_absolute_url())) is None  # all read
    reply = make_reply(thread)
    link = jump_link(client.get(thread.get_absolute_url()))
    assert link["href"] == f"#post-{reply.pk}"
    assert "1 new" in link.text
    assert last_read(reader, thread) == 4


def test_a_thread_never_opened_offers_no_jump(client, reader):
    thread = thread_with_replies(2)
    assert jump_link(client.get(thread.get_absolute_url())) is None


def test_jump_to_first_unread_leads_to_the_right_page(client, reader, settings):
    settings.FORUM_POSTS_PER_PAGE = 5
    thread = thread_with_replies(11)  # 12 posts: pages of 5
    first_page = client.get(thread.get_absolute_url())
    assert first_page.status_code == HTTPStatus.OK
    assert last_read(reader, thread) == 5
    sixth = Post.objects.get(thread=thread, position=6)

    link = jump_link(client.get(thread.get_absolute_url()))
    assert link["href"] == reverse("forum:post", kwargs={"pk": sixth.pk})
    landing = client.get(link["href"])
    assert landing.status_code == HTTPStatus.FOUND
    assert landing["Location"] == f"{thread.get_absolute_url()}?page=2#post-{sixth.pk}"

    chronological = client.get(f"{thread.get_absolute_url()}?view=chronological")
    link = jump_link(chronological)
    assert link["href"] == reverse("forum:post", kwargs={"pk": sixth.pk}) + "?view=chronological"
    assert client.get(link["href"])["Location"] == (
        f"{thread.get_absolute_url()}?view=chronological&page=2#post-{sixth.pk}"
    )


def test_reading_an_earlier_page_again_does_not_unread_later_posts(client, reader, settings):
    settings.FORUM_POSTS_PER_PAGE = 5
    thread = thread_with_replies(11)
    client.get(f"{thread.get_absolute_url()}?page=3")
    assert last_read(reader, thread) == 12
    client.get(thread.get_absolute_url())
    assert last_read(reader, thread) == 12


def test_the_unread_address_redirects_to_the_first_unread_post(client, reader, settings):
    settings.FORUM_POSTS_PER_PAGE = 5
    thread = thread_with_replies(11)
    url = reverse("forum:thread_unread", kwargs={"pk": thread.pk})
    assert client.get(url)["Location"] == thread.get_absolute_url()  # never opened: the top

    thread_read_mark(member=reader, thread=thread, position=7)
    eighth = Post.objects.get(thread=thread, position=8)
    assert client.get(url)["Location"] == reverse("forum:post", kwargs={"pk": eighth.pk})

    thread_read_mark(member=reader, thread=thread, position=12)
    assert client.get(url)["Location"] == reverse("forum:post", kwargs={"pk": thread.last_post_id})


def test_the_unread_address_of_a_thread_you_cannot_read_is_404(client, reader):
    group_only = CategoryFactory(restricted_to_group=reader.groups.create(name="Board"))
    reader.groups.clear()
    thread = make_thread(category=group_only, author=ModeratorFactory())
    url = reverse("forum:thread_unread", kwargs={"pk": thread.pk})
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("forum:thread_unread", kwargs={"pk": 999999})).status_code == 404


def test_the_category_list_marks_new_threads_and_counts_new_posts(client, reader):
    category = CategoryFactory()
    read = thread_with_replies(1, category=category, title="All read here")
    half = thread_with_replies(3, category=category, title="Half read here")
    fresh = thread_with_replies(0, category=category, title="Brand new here")
    thread_read_mark(member=reader, thread=read, position=2)
    thread_read_mark(member=reader, thread=half, position=2)

    page = soup(client.get(category.get_absolute_url()))
    rows = {
        row.select_one(".thread-list__title").text.strip(): row
        for row in page.select(".thread-list__item")
    }
    assert rows["All read here"].select_one(".tag--unread") is None
    badge = rows["Half read here"].select_one("a.tag--unread")
    assert badge.text.strip() == "2 new posts"
    assert badge["href"] == reverse("forum:thread_unread", kwargs={"pk": half.pk})
    assert rows["Brand new here"].select_one(".tag--unread").text.strip() == "New"
    assert fresh.pk


def test_visitors_see_no_unread_markers_and_no_mark_all_read(client):
    category = CategoryFactory()
    thread_with_replies(1, category=category)
    page = soup(client.get(category.get_absolute_url()))
    assert page.select(".tag--unread") == []
    assert page.select_one(".unread-mark-all") is None
    assert soup(client.get("/forum/")).select(".tag--unread") == []


def test_the_forum_home_counts_unread_threads_per_category(client, reader):
    category = CategoryFactory(name="Busy corner")
    read = thread_with_replies(1, category=category)
    thread_with_replies(1, category=category)
    thread_with_replies(1, category=category)
    thread_read_mark(member=reader, thread=read, position=2)
    page = soup(client.get("/forum/"))
    item = next(li for li in page.select(".category-list__item") if "Busy corner" in li.text)
    assert item.select_one(".tag--unread").text.strip() == "2 unread threads"


def test_mark_all_read_clears_the_category_markers(client, reader):
    category = CategoryFactory()
    thread_with_replies(2, category=category)
    thread_with_replies(0, category=category)
    form = soup(client.get(category.get_absolute_url())).select_one(".unread-mark-all")
    assert form["action"] == reverse("forum:category_mark_read", kwargs={"slug": category.slug})
    response = client.post(form["action"])
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == category.get_absolute_url()
    page = client.get(category.get_absolute_url())
    assert soup(page).select(".tag--unread") == []
    assert "are marked read" in page.text
    home = soup(client.get("/forum/"))
    assert home.select(".tag--unread") == []


def test_mark_all_read_needs_a_post_a_sign_in_and_a_readable_category(client):
    category = CategoryFactory()
    lounge = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    url = reverse("forum:category_mark_read", kwargs={"slug": category.slug})
    visitor = client.post(url)
    assert visitor.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in visitor["Location"]
    outsider = MemberFactory(roles=[])
    client.force_login(outsider)
    lounge_url = reverse("forum:category_mark_read", kwargs={"slug": lounge.slug})
    assert client.post(lounge_url).status_code == HTTPStatus.NOT_FOUND
    missing = reverse("forum:category_mark_read", kwargs={"slug": "no-such-category"})
    assert client.post(missing).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not CategoryRead.objects.exists()


# ---- Query budgets of the logged-in paths ----


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return len(queries)


@pytest.fixture
def authors():
    return [MemberFactory() for _ in range(5)]


def bulk_thread(category, authors, posts) -> Thread:
    result = bulk_threads_create(
        category=category, authors=authors, threads=1, posts_per_thread=posts, seed=posts
    )
    return category.threads.get(pk=result.first_thread_id)


@pytest.mark.parametrize("query", ["", "?page=2", "?view=chronological&page=3"])
def test_a_thread_page_that_records_a_read_stays_in_budget_from_10_to_500_posts(
    client, authors, query, django_assert_max_num_queries
):
    category = CategoryFactory()
    short = bulk_thread(category, authors, 10)
    long = bulk_thread(category, authors, 500)
    member = MemberFactory()
    client.force_login(member)
    counts = {}
    for state in ("first visit", "partly read", "read"):
        for thread in (short, long):
            if state == "partly read":
                ThreadRead.objects.filter(member=member, thread=thread).update(last_read_position=1)
            url = thread.get_absolute_url() + query
            with django_assert_max_num_queries(MEMBER_BUDGET):
                counts[(state, thread.post_count)] = count_queries(client, url)
    for state in ("first visit", "partly read", "read"):
        assert counts[(state, 10)] == counts[(state, 500)], counts
    # Recording the read costs one write query (plus the test's savepoint pair), no more.
    assert counts[("first visit", 10)] - counts[("read", 10)] <= 3, counts
    assert ThreadRead.objects.filter(member=member).count() == 2


def test_the_category_page_with_read_state_does_not_grow_with_threads(client, authors):
    few = CategoryFactory()
    many = CategoryFactory()
    bulk_threads_create(category=few, authors=authors, threads=3, posts_per_thread=2)
    bulk_threads_create(category=many, authors=authors, threads=80, posts_per_thread=2)
    member = MemberFactory()
    for thread in Thread.objects.filter(category__in=[few, many])[::2]:
        thread_read_mark(member=member, thread=thread, position=1)
    client.force_login(member)
    for query in ("", "?sort=top&page=2", "?sort=unanswered"):
        counts = [count_queries(client, c.get_absolute_url() + query) for c in (few, many)]
        assert counts[0] == counts[1], (query, counts)
        assert counts[1] <= MEMBER_BUDGET


def test_the_forum_home_with_unread_counts_does_not_grow_with_categories(client, authors):
    member = MemberFactory()
    client.force_login(member)
    first = CategoryFactory()
    bulk_threads_create(category=first, authors=authors, threads=2, posts_per_thread=3)
    one = count_queries(client, "/forum/")
    for _ in range(10):
        category = CategoryFactory()
        bulk_threads_create(category=category, authors=authors, threads=2, posts_per_thread=3)
        thread_read_mark(member=member, thread=category.threads.first(), position=2)
    assert count_queries(client, "/forum/") == one
    assert one <= MEMBER_BUDGET
