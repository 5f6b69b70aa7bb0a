"""The demo forum that ``seed_demo`` creates: enough variety to try every feature."""

import pytest
from django.db.models import Count, Max

from demo.forum import seed_demo_forum
from forum.models import Category, Post, Thread

pytestmark = pytest.mark.django_db


def test_demo_forum_has_the_promised_variety_and_is_idempotent():
    summary = seed_demo_forum()
    assert summary["categories"] >= 6
    assert summary["threads"] >= 40

    experts = Category.objects.get(slug="ask-the-pcc-experts")
    assert experts.is_questions
    assert experts.guests_can_post
    assert experts.is_public
    assert Category.objects.filter(visibility=Category.Visibility.MEMBERS).exists()

    questions = Thread.objects.filter(kind=Thread.Kind.QUESTION)
    assert questions.filter(accepted_answer__isnull=False).count() >= 5
    assert questions.filter(reply_count=0).count() >= 2
    assert questions.filter(accepted_answer__isnull=True, reply_count__gt=0).exists()
    assert Thread.objects.filter(post_count__gte=40).count() >= 2
    assert Post.objects.aggregate(deepest=Max("depth"))["deepest"] >= 4
    assert Thread.objects.filter(author__groups__name="guest").exists()
    regions = Thread.objects.values("regions").annotate(n=Count("id")).exclude(regions=None)
    topics = Thread.objects.values("topics").annotate(n=Count("id")).exclude(topics=None)
    assert regions.count() >= 8
    assert topics.count() >= 10
    assert Post.objects.filter(vote_score__gt=0).count() >= 20
    for category in Category.objects.all():
        assert category.thread_count == category.threads.count()
        assert category.post_count == Post.objects.filter(thread__category=category).count()

    threads, posts = Thread.objects.count(), Post.objects.count()
    seed_demo_forum()
    assert (Thread.objects.count(), Post.objects.count()) == (threads, posts)
