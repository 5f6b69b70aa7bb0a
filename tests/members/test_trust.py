"""members.services.trust: levels earned by time and participation, and set by moderators."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from forum.models import Post, Vote
from forum.services.answers import answer_accept
from forum.services.votes import post_vote
from members.models import Profile, TrustLevel, TrustLevelChange, User
from members.services.trust import (
    Participation,
    register_participation_source,
    trust_level_earned,
    trust_level_recompute,
    trust_level_set,
    trust_levels_recompute,
    unregister_participation_source,
)
from tests.factories.forum import MemberFactory, ModeratorFactory, make_question, make_reply
from tests.factories.kb import user_with_role

pytestmark = pytest.mark.django_db

REQUIREMENTS = {
    1: {"days_joined": 1, "posts_written": 1},
    2: {"days_joined": 7, "posts_written": 3, "upvotes_received": 2},
    3: {"days_joined": 30, "posts_written": 5, "upvotes_received": 4, "accepted_answers": 1},
}


@pytest.fixture(autouse=True)
def requirements(settings):
    settings.MEMBERS_TRUST_REQUIREMENTS = REQUIREMENTS


def level_of(user: User) -> int:
    return Profile.objects.get(user=user).trust_level


def joined_days_ago(user: User, days: int) -> User:
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    user.refresh_from_db()
    return user


def moderator():
    return user_with_role("moderator")


# ---- What a level needs ----


@pytest.mark.parametrize(
    ("days", "counts", "expected"),
    [
        (0, Participation(posts_written=20, upvotes_received=20), TrustLevel.PROBATION),
        (1, Participation(), TrustLevel.PROBATION),
        (1, Participation(posts_written=1), TrustLevel.BASIC),
        (30, Participation(posts_written=3, upvotes_received=1), TrustLevel.BASIC),
        (7, Participation(posts_written=3, upvotes_received=2), TrustLevel.MEMBER),
        (
            400,
            Participation(posts_written=9, upvotes_received=9, accepted_answers=1),
            TrustLevel.REGULAR,
        ),
    ],
)
def test_a_level_needs_every_minimum_of_it_and_of_the_levels_below(days, counts, expected):
    assert trust_level_earned(days_joined=days, participation=counts) == expected


def test_leader_is_never_reached_automatically(settings):
    settings.MEMBERS_TRUST_REQUIREMENTS = {**REQUIREMENTS, 4: {"days_joined": 0}}
    counts = Participation(posts_written=99, upvotes_received=99, accepted_answers=99)
    assert trust_level_earned(days_joined=999, participation=counts) == TrustLevel.REGULAR


def test_posts_read_count_once_a_source_reports_them(settings):
    settings.MEMBERS_TRUST_REQUIREMENTS = {1: {"days_joined": 1, "posts_read": 30}}
    member = joined_days_ago(MemberFactory(), 2)
    register_participation_source(
        "reading", lambda ids: {pk: Participation(posts_read=30) for pk in ids}
    )
    try:
        assert trust_level_recompute(user=member) == TrustLevel.BASIC
    finally:
        unregister_participation_source("reading")


# ---- Raised by the forum's counts ----


def test_a_member_who_wrote_and_was_voted_up_rises_and_the_change_is_recorded():
    member = joined_days_ago(MemberFactory(), 10)
    question = make_question()
    replies = [make_reply(question, author=member) for _ in range(3)]
    post_vote(voter=MemberFactory(), post=replies[0])
    post_vote(voter=MemberFactory(), post=replies[1])

    assert trust_level_recompute(user=member) == TrustLevel.MEMBER

    assert level_of(member) == TrustLevel.MEMBER
    change = TrustLevelChange.objects.get(user=member)
    assert (change.from_level, change.to_level, change.actor) == (0, 2, None)


def test_hidden_posts_and_down_votes_earn_nothing():
    member = joined_days_ago(MemberFactory(), 10)
    question = make_question()
    replies = [make_reply(question, author=member) for _ in range(3)]
    post_vote(voter=MemberFactory(), post=replies[0])
    post_vote(voter=MemberFactory(), post=replies[1], value=Vote.Value.DOWN)
    Post.objects.filter(pk=replies[2].pk).update(is_hidden=True)

    assert trust_level_recompute(user=member) == TrustLevel.BASIC


def test_an_accepted_answer_counts_towards_regular():
    member = joined_days_ago(MemberFactory(), 40)
    question = make_question()
    answers = [make_reply(question, author=member) for _ in range(5)]
    for answer in answers[:4]:
        post_vote(voter=MemberFactory(), post=answer)
    assert trust_level_recompute(user=member) == TrustLevel.MEMBER

    answer_accept(user=question.author, answer=answers[0])

    assert trust_level_recompute(user=member) == TrustLevel.REGULAR


def test_a_new_account_stays_in_probation_however_much_it_posts():
    member = MemberFactory()
    question = make_question()
    for _ in range(5):
        make_reply(question, author=member)

    assert trust_level_recompute(user=member) == TrustLevel.PROBATION
    assert not TrustLevelChange.objects.exists()


def test_recomputing_never_lowers_a_level():
    member = MemberFactory()
    Profile.objects.filter(user=member).update(trust_level=TrustLevel.MEMBER)

    assert trust_level_recompute(user=member) == TrustLevel.MEMBER


def test_an_up_vote_recomputes_the_authors_level_after_commit(django_capture_on_commit_callbacks):
    member = joined_days_ago(MemberFactory(), 2)
    reply = make_reply(make_question(), author=member)
    assert level_of(member) == TrustLevel.PROBATION

    with django_capture_on_commit_callbacks(execute=True):
        post_vote(voter=MemberFactory(), post=reply)

    assert level_of(member) == TrustLevel.BASIC


def test_accepting_an_answer_recomputes_its_authors_level(django_capture_on_commit_callbacks):
    member = joined_days_ago(MemberFactory(), 2)
    question = make_question()
    answer = make_reply(question, author=member)

    assert level_of(member) == TrustLevel.PROBATION
    with django_capture_on_commit_callbacks(execute=True):
        answer_accept(user=question.author, answer=answer)

    assert level_of(member) == TrustLevel.BASIC


# ---- Everyone at once ----


def test_the_command_raises_everyone_who_earned_it_in_constant_queries(
    django_assert_max_num_queries, capsys
):
    question = make_question()
    earners = [joined_days_ago(MemberFactory(), 3) for _ in range(6)]
    for earner in earners:
        make_reply(question, author=earner)
    newcomer = MemberFactory()
    make_reply(question, author=newcomer)

    # The batch of profiles, three forum counts, the updates and the log: not per member
    # beyond one UPDATE each.
    with django_assert_max_num_queries(8 + len(earners)):
        raised = trust_levels_recompute()

    assert raised == 6
    assert {level_of(earner) for earner in earners} == {TrustLevel.BASIC}
    assert level_of(newcomer) == TrustLevel.PROBATION
    call_command("trust_levels_recompute", "--batch-size", "2")
    assert "Raised the trust level of 0 member(s)." in capsys.readouterr().out


def test_the_command_works_through_batches():
    question = make_question()
    earners = [joined_days_ago(MemberFactory(), 3) for _ in range(5)]
    for earner in earners:
        make_reply(question, author=earner)

    assert trust_levels_recompute(batch_size=2) == 5


# ---- Set by a moderator ----


def test_a_moderator_sets_a_level_which_recomputing_then_leaves_alone():
    member = joined_days_ago(MemberFactory(), 30)
    question = make_question()
    for _ in range(3):
        make_reply(question, author=member)
    mod = moderator()

    trust_level_set(user=member, level=TrustLevel.PROBATION, actor=mod, reason="Spam links")

    assert trust_level_recompute(user=member) == TrustLevel.PROBATION
    assert trust_levels_recompute() == 0
    change = TrustLevelChange.objects.get(user=member)
    assert (change.actor, change.locked, change.reason) == (mod, True, "Spam links")


def test_a_moderator_can_raise_a_member_to_leader():
    member = MemberFactory()
    profile = trust_level_set(user=member, level=TrustLevel.LEADER, actor=moderator())

    assert profile.trust_level == TrustLevel.LEADER
    assert profile.trust_level_locked


def test_unlocking_hands_the_level_back_to_participation():
    member = joined_days_ago(MemberFactory(), 3)
    make_reply(make_question(), author=member)
    mod = moderator()
    trust_level_set(user=member, level=TrustLevel.PROBATION, actor=mod)

    trust_level_set(user=member, level=TrustLevel.PROBATION, actor=mod, locked=False)

    assert trust_level_recompute(user=member) == TrustLevel.BASIC


def test_members_cannot_set_trust_levels():
    with pytest.raises(PermissionDenied, match="Only moderators can set a member's trust level."):
        trust_level_set(user=MemberFactory(), level=TrustLevel.LEADER, actor=MemberFactory())


def test_a_moderator_without_two_factor_authentication_is_refused():
    with pytest.raises(PermissionDenied, match="two-factor authentication"):
        trust_level_set(user=MemberFactory(), level=TrustLevel.BASIC, actor=ModeratorFactory())
    assert not TrustLevelChange.objects.exists()


def test_an_unknown_level_is_a_clear_error():
    with pytest.raises(ValidationError) as refused:
        trust_level_set(user=MemberFactory(), level=7, actor=moderator())
    assert refused.value.message_dict == {
        "level": ["Choose a trust level from 0 (new member) to 4 (leader)."]
    }
