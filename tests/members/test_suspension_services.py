"""Suspending members: for a period or until lifted, told why, refused posting, voting,
flagging and submitting, and every change in the moderation log."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forum.services.posts import post_reply
from forum.services.threads import thread_create
from forum.services.votes import post_vote
from kb.models import Submission
from kb.services.submissions import SubmissionInput, submission_create
from members.models import ModerationLog, Notification, Suspension
from members.services.suspensions import (
    active_suspension,
    member_suspend,
    member_suspension_lift,
    suspension_refusal,
)
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    make_moderator,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_a_suspension_for_a_period_ends_by_itself_and_is_logged_and_told():
    member = MemberFactory()
    moderator = make_moderator()
    suspension = member_suspend(actor=moderator, member=member, reason="Repeated spam", days=3)
    assert suspension.ends_at - suspension.starts_at == timedelta(days=3)
    assert active_suspension(fresh(member)) == suspension
    entry = ModerationLog.objects.get(action="member_suspend")
    assert entry.actor == moderator
    assert (entry.target_type, entry.target_id) == ("members.user", member.pk)
    assert entry.reason == "Repeated spam"
    assert entry.after["until"] == suspension.ends_at.isoformat()
    notice = Notification.objects.get(recipient=member, kind="members.suspended")
    assert "Repeated spam" in notice.body
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=timezone.now())
    assert active_suspension(fresh(member)) is None


def test_a_suspension_until_lifted_lasts_until_a_moderator_lifts_it():
    member = MemberFactory()
    moderator = make_moderator()
    member_suspend(actor=moderator, member=member, reason="Abuse")
    assert "until a moderator lifts" in suspension_refusal(fresh(member))
    assert member_suspension_lift(actor=moderator, member=member, reason="Apologised") == 1
    assert active_suspension(fresh(member)) is None
    assert ModerationLog.objects.filter(action="member_suspension_lift").exists()
    with pytest.raises(ValidationError):
        member_suspension_lift(actor=moderator, member=member)


def test_a_new_suspension_replaces_the_one_in_force():
    member = MemberFactory()
    moderator = make_moderator()
    first = member_suspend(actor=moderator, member=member, reason="First", days=1)
    second = member_suspend(actor=moderator, member=member, reason="Second", days=30)
    first.refresh_from_db()
    assert first.lifted_at is not None
    assert active_suspension(fresh(member)) == second


@pytest.mark.parametrize(
    ("reason", "days", "field"),
    [("", 3, "reason"), ("x" * 1001, 3, "reason"), ("Spam", 0, "days"), ("Spam", 4000, "days")],
)
def test_bad_suspension_input_is_refused_with_a_message(reason, days, field):
    member = MemberFactory()
    with pytest.raises(ValidationError) as error:
        member_suspend(actor=make_moderator(), member=member, reason=reason, days=days)
    assert list(error.value.message_dict) == [field]
    assert not Suspension.objects.exists()


def test_only_moderators_with_two_factor_authentication_suspend_and_never_themselves():
    member = MemberFactory()
    with pytest.raises(PermissionDenied):
        member_suspend(actor=MemberFactory(), member=member, reason="x")
    with pytest.raises(PermissionDenied) as error:
        member_suspend(actor=make_moderator(mfa=False), member=member, reason="x")
    assert "two-factor" in str(error.value)
    moderator = make_moderator()
    with pytest.raises(ValidationError):
        member_suspend(actor=moderator, member=moderator, reason="x")
    with pytest.raises(PermissionDenied):
        member_suspend(actor=moderator, member=make_moderator(), reason="x")
    assert not Suspension.objects.exists()


def test_a_suspended_member_can_read_but_not_post_reply_or_vote_and_is_told_the_end_date():
    category = CategoryFactory()
    thread = make_thread(category=category)
    reply = make_reply(thread)
    member = MemberFactory()
    member_suspend(actor=make_moderator(), member=member, reason="Cooling off", days=2)
    member = fresh(member)
    end = active_suspension(member).ends_at
    actions = [
        lambda: thread_create(author=member, category=category, title="Hello", body="Hi all"),
        lambda: post_reply(author=member, thread=thread, body="Me again"),
        lambda: post_vote(voter=member, post=reply),
    ]
    for action in actions:
        with pytest.raises(PermissionDenied) as error:
            action()
        assert str(end.year) in str(error.value)
        assert "Cooling off" in str(error.value)


def test_a_suspended_member_cannot_submit_to_the_knowledge_base():
    member = MemberFactory()
    member_suspend(actor=make_moderator(), member=member, reason="Spam")
    data = SubmissionInput(fields={"title": "A case"}, rows=[], uploads=[], remove_document_ids=[])
    with pytest.raises(PermissionDenied) as error:
        submission_create(
            author=fresh(member), kind=Submission.Kind.CASE_STUDY, data=data, submit=True
        )
    assert "suspended" in str(error.value)
