"""The demo forum that ``seed_demo`` creates: enough variety to try every feature."""

import pytest
from django.db.models import Count, Max

from demo.data_files import DemoDataError
from demo.forum import load_forum_demo_data, seed_demo_forum
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


def test_a_misspelt_key_in_the_forum_data_names_file_entry_and_key(demo_data):
    demo_data.edit("forum/threads.yaml", "  author: hiro\n", "  autor: hiro\n")
    with pytest.raises(DemoDataError) as caught:
        seed_demo_forum()
    assert str(caught.value).startswith(
        "demo/data/forum/threads.yaml: entry 1 ('How do we explain non-revenue water to city "
        "councillors?'): unknown key 'autor' (did you mean 'author'?)"
    )
    assert not Thread.objects.exists()


def test_a_missing_key_in_the_forum_data_names_file_entry_and_key(demo_data):
    demo_data.edit("forum/categories.yaml", "  mode: discussion\n", "")
    with pytest.raises(DemoDataError) as caught:
        load_forum_demo_data()
    assert str(caught.value) == (
        "demo/data/forum/categories.yaml: entry 2 ('customer-experience'): missing key 'mode'"
    )


def test_an_unknown_taxonomy_slug_in_the_forum_data_is_refused(demo_data):
    demo_data.edit(
        "forum/extra_threads.yaml",
        "  regions: [sub-saharan-africa]\n",
        "  regions: [sub-saharan-afrika]\n",
    )
    with pytest.raises(DemoDataError) as caught:
        load_forum_demo_data()
    assert str(caught.value) == (
        "demo/data/forum/extra_threads.yaml: key threads[0] ('WhatsApp broadcast lists for "
        "service updates?').regions[0]: unknown region slug 'sub-saharan-afrika' "
        "(did you mean 'sub-saharan-africa'?)"
    )


def test_a_reply_by_an_unknown_author_is_refused_where_it_nests(demo_data):
    demo_data.edit("forum/threads.yaml", "    - author: hiro\n", "    - author: hiroo\n")
    with pytest.raises(DemoDataError) as caught:
        load_forum_demo_data()
    assert str(caught.value) == (
        "demo/data/forum/threads.yaml: entry 1 ('How do we explain non-revenue water to city "
        "councillors?'), key replies[0].replies[0].author: unknown author (a key in "
        "authors.yaml) 'hiroo' (did you mean 'hiro'?)"
    )


def test_a_thread_in_an_unknown_category_is_refused(demo_data):
    demo_data.edit(
        "forum/login_threads.yaml", "- category: tariffs-and-billing\n", "- category: tariffs\n"
    )
    with pytest.raises(DemoDataError, match=r"login_threads\.yaml: entry 1 .*key category: "):
        load_forum_demo_data()
