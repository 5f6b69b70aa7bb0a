"""forum.services.counters: the one place thread and category counters move."""

from datetime import timedelta

import pytest

from demo.bulk import bulk_threads_create
from forum.models import Category, Thread
from forum.services.counters import category_counters_add
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_a_new_thread_and_its_replies_are_counted_on_the_thread_and_the_category():
    category = CategoryFactory()
    thread = make_thread(category=category)
    first = make_reply(thread)
    last = make_reply(thread, parent=first)
    thread.refresh_from_db()
    category.refresh_from_db()
    assert (thread.post_count, thread.reply_count, thread.last_post_id) == (3, 2, last.pk)
    assert thread.last_activity_at == last.created_at
    assert (category.thread_count, category.post_count, category.last_post_id) == (1, 3, last.pk)
    assert category.last_activity_at == last.created_at


def test_the_thread_in_memory_matches_the_row_after_a_reply():
    thread = make_thread()
    reply = make_reply(thread)
    in_memory = reply.thread
    stored = Thread.objects.get(pk=thread.pk)
    assert (in_memory.post_count, in_memory.reply_count) == (stored.post_count, stored.reply_count)
    assert in_memory.last_post == reply
    assert in_memory.last_activity_at == stored.last_activity_at


def test_older_posts_add_to_the_counts_but_never_move_the_latest_activity_back():
    category = CategoryFactory()
    thread = make_thread(category=category)
    latest = make_reply(thread)
    category.refresh_from_db()
    category_counters_add(
        category_id=category.pk,
        threads=2,
        posts=7,
        last_post_id=thread.last_post_id,
        last_activity_at=latest.created_at - timedelta(days=30),
    )
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (3, 9)
    assert category.last_post_id == latest.pk
    assert category.last_activity_at == latest.created_at


def test_bulk_threads_are_counted_by_the_same_rules_as_service_threads():
    category = CategoryFactory()
    make_thread(category=category)
    bulk_threads_create(
        category=category, authors=[MemberFactory()], threads=3, posts_per_thread=4, seed=1
    )
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (4, 13)
    newest = Thread.objects.filter(category=category).order_by("-last_activity_at").first()
    assert category.last_post_id == newest.last_post_id
    assert category.last_activity_at == newest.last_activity_at


def test_an_empty_category_gets_its_first_activity():
    category = CategoryFactory()
    assert Category.objects.get(pk=category.pk).last_activity_at is None
    thread = make_thread(category=category)
    category.refresh_from_db()
    assert category.last_post_id == thread.last_post_id
