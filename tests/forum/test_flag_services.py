"""Flags: members flag posts, moderators resolve them, trusted flags hide a post by
themselves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Flag, Post
from forum.services.flags import flag_create, flag_resolve
from members.models import ModerationLog, Notification, Profile, TrustLevel
from members.services.suspensions import member_suspend
from tests.factories.forum import MemberFactory, make_moderator, make_reply, make_thread

pytestmark = pytest.mark.django_db


def trusted_member(level=TrustLevel.MEMBER):
    member = MemberFactory()
    Profile.objects.filter(user=member).update(trust_level=level)
    return member


def test_a_member_flags_a_post_and_the_author_is_not_told():
    reply = make_reply(make_thread())
    flagger = MemberFactory()
    flag = flag_create(flagger=flagger, post=reply, reason=Flag.Reason.SPAM)
    assert flag.is_open
    assert flag.flagger == flagger
    assert not Notification.objects.filter(recipient=reply.author).exists()


def test_flagging_the_same_post_twice_keeps_one_flag_and_says_so():
    reply = make_reply(make_thread())
    flagger = MemberFactory()
    flag_create(flagger=flagger, post=reply, reason=Flag.Reason.SPAM)
    with pytest.raises(ValidationError) as error:
        flag_create(flagger=flagger, post=reply, reason=Flag.Reason.ABUSIVE)
    assert "already flagged" in error.value.messages[0]
    assert Flag.objects.filter(post=reply).count() == 1


def test_other_needs_a_text_and_an_unknown_reason_is_refused():
    reply = make_reply(make_thread())
    with pytest.raises(ValidationError) as error:
        flag_create(flagger=MemberFactory(), post=reply, reason=Flag.Reason.OTHER, text="  ")
    assert list(error.value.message_dict) == ["text"]
    with pytest.raises(ValidationError) as error:
        flag_create(flagger=MemberFactory(), post=reply, reason="boring")
    assert list(error.value.message_dict) == ["reason"]
    assert not Flag.objects.exists()


def test_flagging_ones_own_post_is_refused():
    reply = make_reply(make_thread())
    with pytest.raises(ValidationError):
        flag_create(flagger=reply.author, post=reply, reason=Flag.Reason.SPAM)


def test_a_suspended_member_cannot_flag_and_is_told_until_when():
    reply = make_reply(make_thread())
    flagger = MemberFactory()
    member_suspend(actor=make_moderator(), member=flagger, reason="Spamming flags", days=7)
    with pytest.raises(PermissionDenied) as error:
        flag_create(flagger=flagger, post=reply, reason=Flag.Reason.SPAM)
    assert "suspended until" in str(error.value)
    assert "Spamming flags" in str(error.value)
    assert not Flag.objects.exists()


def test_three_flags_from_trusted_members_hide_the_post_until_reviewed(settings):
    settings.FORUM_FLAG_AUTO_HIDE_THRESHOLD = 3
    reply = make_reply(make_thread())
    for _ in range(2):
        flag_create(flagger=trusted_member(), post=reply, reason=Flag.Reason.SPAM)
    reply.refresh_from_db()
    assert not reply.is_hidden
    flag_create(flagger=trusted_member(TrustLevel.REGULAR), post=reply, reason=Flag.Reason.SPAM)
    reply.refresh_from_db()
    assert reply.is_hidden
    assert reply.hidden_by is None
    entry = ModerationLog.objects.get(action="post_auto_hide")
    assert entry.actor is None
    assert entry.target_id == reply.pk


def test_flags_from_members_on_probation_do_not_count_towards_auto_hide(settings):
    settings.FORUM_FLAG_AUTO_HIDE_THRESHOLD = 2
    reply = make_reply(make_thread())
    for level in (TrustLevel.PROBATION, TrustLevel.BASIC, TrustLevel.PROBATION):
        flag_create(flagger=trusted_member(level), post=reply, reason=Flag.Reason.SPAM)
    reply.refresh_from_db()
    assert not reply.is_hidden
    flag_create(flagger=trusted_member(), post=reply, reason=Flag.Reason.SPAM)
    flag_create(flagger=trusted_member(), post=reply, reason=Flag.Reason.SPAM)
    reply.refresh_from_db()
    assert reply.is_hidden


def test_resolving_flags_notifies_every_flagger_and_is_logged():
    reply = make_reply(make_thread())
    flaggers = [MemberFactory(), MemberFactory()]
    for flagger in flaggers:
        flag_create(flagger=flagger, post=reply, reason=Flag.Reason.OFF_TOPIC)
    moderator = make_moderator()
    resolved = flag_resolve(moderator=moderator, post=reply, resolution=Flag.Resolution.DEFER)
    assert len(resolved) == 2
    assert not Flag.objects.filter(resolution="").exists()
    for flagger in flaggers:
        notice = Notification.objects.get(recipient=flagger, kind="forum.flag_resolved")
        assert "no decision" in notice.body
    assert ModerationLog.objects.filter(action="flags_defer", actor=moderator).exists()
    with pytest.raises(ValidationError):
        flag_resolve(moderator=moderator, post=reply, resolution=Flag.Resolution.AGREE)


def test_disagreeing_with_the_flags_of_an_auto_hidden_post_shows_it_again(settings):
    settings.FORUM_FLAG_AUTO_HIDE_THRESHOLD = 1
    reply = make_reply(make_thread())
    flag_create(flagger=trusted_member(), post=reply, reason=Flag.Reason.SPAM)
    assert Post.objects.get(pk=reply.pk).is_hidden
    flag_resolve(moderator=make_moderator(), post=reply, resolution=Flag.Resolution.DISAGREE)
    assert not Post.objects.get(pk=reply.pk).is_hidden


def test_a_member_can_flag_again_after_the_first_flag_was_resolved():
    reply = make_reply(make_thread())
    flagger = MemberFactory()
    flag_create(flagger=flagger, post=reply, reason=Flag.Reason.SPAM)
    flag_resolve(moderator=make_moderator(), post=reply, resolution=Flag.Resolution.DISAGREE)
    flag_create(flagger=flagger, post=reply, reason=Flag.Reason.ABUSIVE)
    assert Flag.objects.filter(post=reply).count() == 2


def test_resolving_flags_needs_a_moderator_with_two_factor_authentication():
    reply = make_reply(make_thread())
    flag_create(flagger=MemberFactory(), post=reply, reason=Flag.Reason.SPAM)
    with pytest.raises(PermissionDenied) as error:
        flag_resolve(moderator=MemberFactory(), post=reply, resolution="agree")
    assert "Only moderators" in str(error.value)
    with pytest.raises(PermissionDenied) as error:
        flag_resolve(moderator=make_moderator(mfa=False), post=reply, resolution="agree")
    assert "two-factor" in str(error.value)
    assert Flag.objects.filter(resolution="").count() == 1


def test_a_members_flags_are_in_their_data_export_and_go_with_their_account():
    from members.data_export import member_data_export
    from members.services.accounts import account_delete

    reply = make_reply(make_thread())
    flagger = MemberFactory()
    flag_create(flagger=flagger, post=reply, reason=Flag.Reason.OTHER, text="Looks like an ad")
    exported = member_data_export(flagger)["forum"]["flags"]
    assert exported[0]["text"] == "Looks like an ad"
    assert exported[0]["post_id"] == reply.pk
    account_delete(user=flagger)
    assert not Flag.objects.exists()
