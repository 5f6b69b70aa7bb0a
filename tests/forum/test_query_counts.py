"""Query budgets (design.md section 7): constant whatever the thread or list length.

Thread page: at most 7 queries for visitors and 19 for members (Spirit's counts), the same at
10 and at 500 posts. Session and authentication queries are included.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.bulk import bulk_threads_create
from forum.models import Category, Post
from forum.services.votes import post_vote
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply

pytestmark = pytest.mark.django_db

VISITOR_BUDGET = 7
MEMBER_BUDGET = 19


@pytest.fixture
def authors():
    return [MemberFactory() for _ in range(5)]


def bulk_thread(category, authors, posts):
    result = bulk_threads_create(
        category=category, authors=authors, threads=1, posts_per_thread=posts, seed=posts
    )
    return category.threads.get(pk=result.first_thread_id)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("mode", [Category.Mode.DISCUSSION, Category.Mode.QUESTIONS])
@pytest.mark.parametrize("query", ["", "?page=2", "?view=chronological&page=3"])
def test_thread_page_queries_are_constant_from_10_to_500_posts(
    client, authors, mode, query, django_assert_max_num_queries
):
    category = CategoryFactory(mode=mode)
    short = bulk_thread(category, authors, 10)
    long = bulk_thread(category, authors, 500)
    member = MemberFactory()
    for thread in (short, long):
        for post in Post.objects.filter(thread=thread).order_by("position")[:5]:
            post_vote(voter=member, post=post)

    counts = {}
    for thread in (short, long):
        url = thread.get_absolute_url() + query
        with django_assert_max_num_queries(VISITOR_BUDGET):
            counts[("visitor", thread.post_count)] = count_queries(client, url)
    client.force_login(member)
    for thread in (short, long):
        url = thread.get_absolute_url() + query
        with django_assert_max_num_queries(MEMBER_BUDGET):
            counts[("member", thread.post_count)] = count_queries(client, url)

    assert counts[("visitor", 10)] == counts[("visitor", 500)], counts
    assert counts[("member", 10)] == counts[("member", 500)], counts


def test_long_thread_page_renders_no_markdown(client, authors, monkeypatch):
    thread = bulk_thread(CategoryFactory(), authors, 200)

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was rendered during a page view")

    monkeypatch.setattr("markup.rendering._parser", refuse)  # every render goes through it
    monkeypatch.setattr("forum.services.posts.render_markdown", refuse)
    client.force_login(MemberFactory())
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count('<article class="post') == 100


def test_thread_with_nested_replies_written_through_services_stays_in_budget(
    client, django_assert_max_num_queries
):
    from tests.factories.forum import make_thread

    thread = make_thread()
    parent = None
    for _ in range(12):
        parent = make_reply(thread, parent=parent)
    client.force_login(MemberFactory())
    with django_assert_max_num_queries(MEMBER_BUDGET):
        client.get(thread.get_absolute_url())


def test_category_page_queries_do_not_grow_with_threads(client, authors):
    few = CategoryFactory()
    many = CategoryFactory()
    bulk_threads_create(category=few, authors=authors, threads=3, posts_per_thread=2)
    bulk_threads_create(category=many, authors=authors, threads=80, posts_per_thread=2)
    for query in ("", "?sort=top&page=2", "?topic=social-media&region=global", "?sort=unanswered"):
        visitor = [count_queries(client, c.get_absolute_url() + query) for c in (few, many)]
        assert visitor[0] == visitor[1], (query, visitor)
        assert visitor[1] <= VISITOR_BUDGET
    client.force_login(MemberFactory())
    member = [count_queries(client, c.get_absolute_url()) for c in (few, many)]
    assert member[0] == member[1]
    assert member[1] <= MEMBER_BUDGET


def test_forum_home_queries_do_not_grow_with_categories(client, authors):
    first = CategoryFactory()
    bulk_threads_create(category=first, authors=authors, threads=2, posts_per_thread=3)
    one = count_queries(client, "/forum/")
    for _ in range(10):
        category = CategoryFactory()
        bulk_threads_create(category=category, authors=authors, threads=2, posts_per_thread=3)
    assert count_queries(client, "/forum/") == one
    assert one <= 3
