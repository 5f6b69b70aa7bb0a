"""post_vote and post_unvote: one vote per member per post, scores, permissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Category, Post, Vote
from forum.services.votes import post_unvote, post_vote
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    MemberFactory,
    make_reply,
    make_thread,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_member_votes_up_once_and_the_score_counts_it_once():
    reply = make_reply(make_thread())
    voter = MemberFactory()
    assert post_vote(voter=voter, post=reply).vote_score == 1
    assert post_vote(voter=voter, post=reply).vote_score == 1
    reply.refresh_from_db()
    assert reply.vote_score == 1
    assert Vote.objects.filter(post=reply).count() == 1


def test_changing_a_vote_from_up_to_down_moves_the_score_by_two():
    reply = make_reply(make_thread())
    voter = MemberFactory()
    post_vote(voter=voter, post=reply, value=1)
    post_vote(voter=MemberFactory(), post=reply, value=1)
    assert post_vote(voter=voter, post=reply, value=-1).vote_score == 0
    assert Vote.objects.get(voter=voter, post=reply).value == -1


def test_unvote_withdraws_the_vote():
    reply = make_reply(make_thread())
    voter = MemberFactory()
    post_vote(voter=voter, post=reply, value=-1)
    assert post_unvote(voter=voter, post=reply).vote_score == 0
    assert not Vote.objects.exists()
    assert post_unvote(voter=voter, post=reply).vote_score == 0


def test_vote_on_the_opening_post_is_the_threads_score():
    thread = make_thread()
    opening = Post.objects.get(thread=thread, depth=0)
    post_vote(voter=MemberFactory(), post=opening)
    post_vote(voter=MemberFactory(), post=opening)
    thread.refresh_from_db()
    assert thread.vote_score == 2
    make_reply(thread)
    post_vote(voter=MemberFactory(), post=Post.objects.get(thread=thread, depth=1))
    thread.refresh_from_db()
    assert thread.vote_score == 2


def test_vote_on_ones_own_post_is_refused():
    author = MemberFactory()
    reply = make_reply(make_thread(), author=author)
    with pytest.raises(ValidationError) as error:
        post_vote(voter=author, post=reply)
    assert error.value.message == "You cannot vote on your own post."
    reply.refresh_from_db()
    assert reply.vote_score == 0


def test_guests_and_role_less_users_cannot_vote():
    experts = CategoryFactory(guests_can_post=True, mode=Category.Mode.QUESTIONS)
    reply = make_reply(make_thread(category=experts))
    with pytest.raises(PermissionDenied) as error:
        post_vote(voter=GuestFactory(), post=reply)
    assert "guests" in str(error.value)
    with pytest.raises(PermissionDenied):
        post_vote(voter=UserFactory(), post=reply)


def test_votes_in_a_locked_thread_are_refused():
    thread = make_thread()
    reply = make_reply(thread)
    thread.is_locked = True
    thread.save()
    with pytest.raises(PermissionDenied) as error:
        post_vote(voter=MemberFactory(), post=reply)
    assert "locked" in str(error.value)


def test_invalid_vote_value_is_refused():
    with pytest.raises(ValidationError):
        post_vote(voter=MemberFactory(), post=make_reply(make_thread()), value=5)
