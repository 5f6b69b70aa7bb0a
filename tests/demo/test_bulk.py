"""seed_bulk: synthetic threads are as consistent as ones written through the services."""

from collections import Counter

import pytest
from django.core.management import call_command

from demo.bulk import bulk_threads_create
from forum.models import Category, Post, Thread
from forum.tree import parent_path
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply

pytestmark = pytest.mark.django_db


def test_bulk_threads_have_consistent_trees_and_counters():
    category = CategoryFactory(mode=Category.Mode.QUESTIONS)
    authors = [MemberFactory() for _ in range(3)]
    result = bulk_threads_create(
        category=category, authors=authors, threads=4, posts_per_thread=60, seed=7
    )
    assert (result.threads, result.posts) == (4, 240)
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (4, 240)
    newest = max(Thread.objects.filter(category=category), key=lambda t: t.last_activity_at)
    assert category.last_post_id == newest.last_post_id

    for thread in Thread.objects.filter(category=category):
        posts = list(Post.objects.filter(thread=thread).order_by("position"))
        by_id = {p.pk: p for p in posts}
        assert thread.kind == Thread.Kind.QUESTION
        assert thread.post_count == len(posts) == 60
        assert thread.reply_count == 59
        assert thread.last_post_id == posts[-1].pk
        assert thread.topics.exists()
        assert [p.position for p in posts] == list(range(1, 61))
        assert len({p.path for p in posts}) == 60
        children = Counter(p.parent_id for p in posts if p.parent_id)
        assert any(p.depth > 2 for p in posts)
        for post in posts:
            assert post.reply_count == children.get(post.pk, 0)
            if post.depth == 0:
                continue
            parent = by_id[post.parent_id]
            assert parent_path(post.path) == parent.path
            assert post.depth == parent.depth + 1
            expected_branch = None if post.depth == 1 else (parent.branch_id or parent.pk)
            assert post.branch_id == expected_branch
            assert post.created_at >= parent.created_at


def test_services_continue_bulk_threads_correctly():
    category = CategoryFactory()
    result = bulk_threads_create(
        category=category, authors=[MemberFactory()], threads=1, posts_per_thread=20
    )
    thread = Thread.objects.get(pk=result.first_thread_id)
    parent = Post.objects.filter(thread=thread, depth=1).first()
    reply = make_reply(thread, parent=parent)
    assert reply.position == 21
    assert reply.path.startswith(parent.path)
    # New rows get ids after the explicitly numbered ones (sequences were moved on).
    assert reply.pk > Post.objects.exclude(pk=reply.pk).order_by("-pk").first().pk


def test_seed_bulk_command_creates_its_category_and_reports(capsys):
    call_command("seed_bulk", "--threads", "3", "--posts-per-thread", "5", "--questions")
    category = Category.objects.get(slug="load-testing")
    assert category.is_questions
    assert category.thread_count == 3
    assert Post.objects.filter(thread__category=category).count() == 15
    output = capsys.readouterr().out
    assert "Created 3 threads and 15 posts" in output
    call_command("seed_bulk", "--threads", "2", "--posts-per-thread", "1")
    category.refresh_from_db()
    assert category.thread_count == 5


def test_bulk_posts_average_about_430_characters_of_html_by_50_authors():
    call_command("seed_bulk", "--threads", "1", "--posts-per-thread", "500")
    posts = Post.objects.filter(thread__category__slug="load-testing")
    lengths = [len(html) for html in posts.values_list("body_html", flat=True)]
    assert 380 <= sum(lengths) / len(lengths) <= 480
    assert len(set(posts.values_list("body_html", flat=True))) >= 50
    assert posts.values("author").distinct().count() == 50
    assert "<p>" in posts.first().body_html
