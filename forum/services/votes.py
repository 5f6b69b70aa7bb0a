"""Voting on posts: one vote per member per post, up or down; scores rank answers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from forum import signals
from forum.models import Post, Thread, Vote
from forum.permissions import can_read_category, can_vote
from forum.services.locks import post_thread_lock
from members.models import User
from members.services.suspensions import suspension_check
from members.services.trust import trust_level_recompute_soon


def _lock_post(post_id: int) -> Post:
    post_thread_lock(post_id)  # a vote updates the thread too (its revision, its score)
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__category")
        .get(pk=post_id)
    )


def _check_can_vote(voter: User, post: Post) -> None:
    if not can_read_category(voter, post.thread.category):
        raise PermissionDenied(_("This post does not exist or is not open to you."))
    if not voter.is_authenticated:
        raise PermissionDenied(_("Sign in to vote."))
    if not can_vote(voter):
        raise PermissionDenied(_("Only PCC members can vote; guests can ask and reply."))
    suspension_check(voter)
    if post.thread.is_locked:
        raise PermissionDenied(_("This thread is locked: votes are closed."))
    if post.author_id == voter.pk:
        raise ValidationError(_("You cannot vote on your own post."))
    if post.is_hidden:
        raise ValidationError(_("This post has been hidden by a moderator."))


def _apply_score_change(post: Post, delta: int) -> None:
    if delta == 0:
        return
    Post.objects.filter(pk=post.pk).update(vote_score=F("vote_score") + delta)
    post.vote_score += delta
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(vote_score=post.vote_score)
        post.thread.vote_score = post.vote_score
    signals.post_saved.send(sender=Post, post=post, created=False)
    signals.thread_saved.send(sender=Thread, thread=post.thread, created=False)
    if delta > 0 and post.author_id is not None:
        trust_level_recompute_soon(user_id=post.author_id)


@transaction.atomic
def post_vote(*, voter: User, post: Post, value: int = Vote.Value.UP) -> Post:
    """Vote ``value`` (+1 or -1) on ``post``; voting again changes or keeps the vote.

    Returns the post with its updated ``vote_score``.
    """
    if value not in (Vote.Value.UP, Vote.Value.DOWN):
        raise ValidationError(_("A vote is either up (+1) or down (-1)."))
    post = _lock_post(post.pk)
    _check_can_vote(voter, post)
    existing = Vote.objects.filter(voter=voter, post=post).first()
    if existing is not None and existing.value == value:
        return post
    if existing is None:
        Vote.objects.create(voter=voter, post=post, value=value)
        delta = value
    else:
        delta = value - existing.value
        existing.value = value
        existing.save(update_fields=["value"])
    _apply_score_change(post, delta)
    return post


@transaction.atomic
def post_unvote(*, voter: User, post: Post) -> Post:
    """Withdraw ``voter``'s vote on ``post`` (doing nothing if there is none)."""
    post = _lock_post(post.pk)
    _check_can_vote(voter, post)
    existing = Vote.objects.filter(voter=voter, post=post).first()
    if existing is None:
        return post
    existing.delete()
    _apply_score_change(post, -existing.value)
    return post
