"""thread_create: permissions, validation, counters, duplicates, signals."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from forum import signals
from forum.models import Category, Post, Thread
from forum.services.threads import thread_create
from forum.tree import ROOT_PATH
from taxonomy.models import Region, Topic
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    MemberFactory,
    ModeratorFactory,
    make_thread,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_member_starts_a_discussion_with_an_opening_post_and_taxonomy():
    author = MemberFactory()
    category = CategoryFactory()
    topic = Topic.objects.get(slug="tariffs-and-investment")
    region = Region.objects.get(slug="global")

    thread = thread_create(
        author=author,
        category=category,
        title="  Explaining a   tariff rise  ",
        body="We need **ideas**.",
        topics=[topic],
        regions=[region],
    )

    assert thread.title == "Explaining a tariff rise"
    assert thread.slug == "explaining-a-tariff-rise"
    assert thread.kind == Thread.Kind.DISCUSSION
    assert list(thread.topics.all()) == [topic]
    assert list(thread.regions.all()) == [region]
    opening = Post.objects.get(thread=thread)
    assert opening.path == ROOT_PATH
    assert opening.depth == 0
    assert opening.position == 1
    assert opening.body_html == "<p>We need <strong>ideas</strong>.</p>\n"
    assert thread.last_post == opening
    assert (thread.post_count, thread.reply_count) == (1, 0)
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (1, 1)
    assert category.last_post == opening
    assert category.last_activity_at == thread.created_at


def test_thread_in_a_questions_category_is_a_question():
    thread = make_thread(category=CategoryFactory(mode=Category.Mode.QUESTIONS))
    assert thread.kind == Thread.Kind.QUESTION


@pytest.mark.parametrize("title", ["", "   ", "\n\t", "\u200b\u200b"])
def test_empty_or_whitespace_title_is_refused(title):
    with pytest.raises(ValidationError) as error:
        make_thread(title=title)
    assert list(error.value.message_dict) == ["title"]
    assert "title" in error.value.message_dict["title"][0]
    assert not Thread.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "\n\n  \n", "\x00\x01"])
def test_empty_or_whitespace_body_is_refused(body):
    with pytest.raises(ValidationError) as error:
        make_thread(body=body)
    assert list(error.value.message_dict) == ["body"]
    assert not Thread.objects.exists()


def test_title_of_200_characters_is_accepted_and_201_refused():
    assert len(make_thread(title="x" * 200).title) == 200
    with pytest.raises(ValidationError) as error:
        make_thread(title="y" * 201)
    assert list(error.value.message_dict) == ["title"]
    assert "200 characters" in error.value.message_dict["title"][0]


def test_body_over_50000_characters_is_refused():
    make_thread(body="a" * 50_000)
    with pytest.raises(ValidationError) as error:
        make_thread(title="Another", body="b" * 50_001)
    assert list(error.value.message_dict) == ["body"]
    assert "50,000" in error.value.message_dict["body"][0]
    assert Thread.objects.count() == 1


def test_control_characters_are_removed_from_title_and_body():
    thread = make_thread(title="Bad\x00 title\x07", body="Nul\x00 byte")
    assert thread.title == "Bad title"
    assert Post.objects.get(thread=thread).body == "Nul byte"


def test_visitor_or_unverified_role_less_user_cannot_start_a_thread():
    with pytest.raises(PermissionDenied):
        make_thread(author=UserFactory())


def test_guest_can_start_a_thread_only_where_guests_may_post():
    guest = GuestFactory()
    experts = CategoryFactory(guests_can_post=True, mode=Category.Mode.QUESTIONS)
    assert make_thread(author=guest, category=experts).author == guest
    with pytest.raises(PermissionDenied):
        make_thread(author=guest, category=CategoryFactory(), title="Elsewhere")


def test_group_restricted_category_refuses_members_outside_the_group():
    group = Group.objects.create(name="Board")
    category = CategoryFactory(restricted_to_group=group)
    with pytest.raises(PermissionDenied):
        make_thread(author=MemberFactory(), category=category)
    insider = MemberFactory()
    insider.groups.add(group)
    assert make_thread(author=insider, category=category).category == category
    assert make_thread(author=ModeratorFactory(), category=category, title="Mod").pk


def test_too_many_topics_are_refused():
    topics = list(Topic.objects.all()[:6])
    with pytest.raises(ValidationError) as error:
        make_thread(topics=topics)
    assert list(error.value.message_dict) == ["topics"]


def test_double_submit_with_the_same_key_returns_the_first_thread():
    author = MemberFactory()
    category = CategoryFactory()
    key = uuid.uuid4()
    first = make_thread(author=author, category=category, submission_key=key)
    second = make_thread(
        author=author, category=category, title="Edited title", submission_key=str(key)
    )
    assert second == first
    assert Thread.objects.count() == 1
    category.refresh_from_db()
    assert category.thread_count == 1


def test_identical_thread_moments_later_without_a_key_is_not_duplicated():
    author = MemberFactory()
    category = CategoryFactory()
    first = make_thread(author=author, category=category)
    assert make_thread(author=author, category=category) == first
    assert make_thread(author=author, category=category, body="Different text") != first


def test_thread_signals_are_sent(django_capture_on_commit_callbacks):
    received = []

    def on_thread(sender, thread, created, **kwargs):
        received.append(("thread", thread.pk, created))

    def on_post(sender, post, created, **kwargs):
        received.append(("post", post.pk, created))

    signals.thread_saved.connect(on_thread)
    signals.post_saved.connect(on_post)
    try:
        thread = make_thread()
    finally:
        signals.thread_saved.disconnect(on_thread)
        signals.post_saved.disconnect(on_post)
    opening = Post.objects.get(thread=thread)
    assert received == [("post", opening.pk, True), ("thread", thread.pk, True)]


def test_mentions_in_the_opening_post_are_recorded():
    mara = MemberFactory(display_name="Mara Member")
    MemberFactory(display_name="Mara Membership")
    thread = make_thread(body="What do you think, @mara-member? And @nobody-here?")
    opening = Post.objects.get(thread=thread)
    assert [m.user for m in opening.mentions.all()] == [mara]
