import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from forum.models import Category, Follow
from forum.services.follows import (
    follow_create,
    follow_delete,
    follow_thread_auto,
    thread_mute,
    thread_unmute,
)
from members.services.profiles import profile_auto_follow_set
from tests.factories import taxonomy
from tests.factories.follows import follow
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_following_twice_leaves_one_follow():
    member = MemberFactory()
    topic = taxonomy.topic()
    first = follow(member, topic)
    second = follow(member, topic)
    assert first.pk == second.pk
    assert Follow.objects.filter(member=member, topic=topic).count() == 1


def test_each_kind_of_target_can_be_followed_and_unfollowed():
    member = MemberFactory()
    thread = make_thread()
    targets = {
        "thread": thread,
        "category": thread.category,
        "topic": taxonomy.topic(),
        "region": taxonomy.region(),
    }
    for kind, target in targets.items():
        made = follow_create(member=member, target_kind=kind, target=target)
        assert made.target_kind == kind
        assert made.target == target
    assert follow_delete(member=member, target_kind="topic", target=targets["topic"]) is True
    assert follow_delete(member=member, target_kind="topic", target=targets["topic"]) is False
    assert set(Follow.objects.filter(member=member).values_list("region", flat=True)) == {
        None,
        targets["region"].pk,
    }


def test_an_unknown_kind_of_target_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="thread, a category, a topic or a region"):
        follow_create(member=MemberFactory(), target_kind="user", target=MemberFactory())


def test_a_member_cannot_follow_a_category_or_thread_they_may_not_read():
    restricted = CategoryFactory(restricted_to_group=Group.objects.create(name="Board"))
    members_only = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    thread = make_thread(category=members_only)
    outsider = UserFactory()  # an account with no role: reads only public content
    with pytest.raises(PermissionDenied):
        follow_create(member=MemberFactory(), target_kind="category", target=restricted)
    with pytest.raises(PermissionDenied):
        follow_create(member=outsider, target_kind="thread", target=thread)
    assert not Follow.objects.exists() or not Follow.objects.exclude(member=thread.author).exists()


def test_the_database_refuses_a_follow_with_two_targets_or_a_muted_category():
    member = MemberFactory()
    thread = make_thread()
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(member=member, thread=thread, category=thread.category)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(member=member, category=thread.category, is_muted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(member=member)


def test_starting_and_replying_to_a_thread_follows_it_automatically():
    author, replier = MemberFactory(), MemberFactory()
    thread = make_thread(author=author)
    make_reply(thread, author=replier)
    assert set(Follow.objects.filter(thread=thread).values_list("member", flat=True)) == {
        author.pk,
        replier.pk,
    }


def test_a_member_who_turned_automatic_following_off_is_not_subscribed():
    replier = MemberFactory()
    profile_auto_follow_set(user=replier, enabled=False)
    thread = make_thread()
    make_reply(thread, author=replier)
    assert not Follow.objects.filter(member=replier).exists()


def test_muting_a_thread_survives_replying_to_it_and_following_unmutes_it():
    member = MemberFactory()
    thread = make_thread()
    thread_mute(member=member, thread=thread)
    make_reply(thread, author=member)
    assert follow_thread_auto(member=member, thread=thread) is None
    assert Follow.objects.get(member=member, thread=thread).is_muted is True
    follow(member, thread)
    assert Follow.objects.get(member=member, thread=thread).is_muted is False
    thread_mute(member=member, thread=thread)
    assert thread_unmute(member=member, thread=thread) is True
    assert not Follow.objects.filter(member=member, thread=thread).exists()


def test_deleting_an_account_removes_its_follows():
    from members.services.accounts import account_delete

    member = MemberFactory()
    follow(member, taxonomy.topic())
    follow(member, make_thread())
    account_delete(user=member, actor=member)
    assert not Follow.objects.filter(member=member).exists()
