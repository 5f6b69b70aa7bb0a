"""Accepting an answer to a question (Stack Overflow's green tick, Discourse's "Solved")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum import signals
from forum.models import Post, Thread
from forum.permissions import can_accept_answer, can_read_category
from forum.services.activity import activity_answer_accepted
from members.models import User
from members.services.trust import trust_level_recompute_soon


def _check_can_accept(user: User, thread: Thread) -> None:
    if not can_read_category(user, thread.category):
        raise PermissionDenied(_("This thread does not exist or is not open to you."))
    if not thread.is_question:
        raise ValidationError(
            _("Only questions have accepted answers; this thread is a discussion.")
        )
    if not can_accept_answer(user, thread):
        if thread.is_locked:
            raise PermissionDenied(_("This thread is locked."))
        raise PermissionDenied(
            _("Only the person who asked, or a moderator, can accept an answer.")
        )


@transaction.atomic
def answer_accept(*, user: User, answer: Post) -> Thread:
    """Mark ``answer`` as the accepted answer of its question, replacing any earlier one.

    Only a direct answer to the question (a top-level reply) can be accepted, not a comment
    on an answer, and not the question itself.
    """
    answer = Post.objects.filter(pk=answer.pk).first()
    if answer is None:
        raise ValidationError(_("That answer no longer exists."))
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("category")
        .get(pk=answer.thread_id)
    )
    _check_can_accept(user, thread)
    if answer.depth != 1:
        raise ValidationError(
            _(
                "Only an answer to the question can be accepted, not the question itself "
                "or a comment on an answer."
            )
        )
    if answer.is_hidden:
        raise ValidationError(_("A hidden post cannot be the accepted answer."))
    if thread.accepted_answer_id != answer.pk:
        thread.accepted_answer = answer
        thread.save(update_fields=["accepted_answer"])
        activity_answer_accepted(answer=answer, by=user)
        signals.thread_saved.send(sender=Thread, thread=thread, created=False)
        if answer.author_id is not None:
            trust_level_recompute_soon(user_id=answer.author_id)
    return thread


@transaction.atomic
def answer_unaccept(*, user: User, thread: Thread) -> Thread:
    """Clear the question's accepted answer (doing nothing if there is none)."""
    thread = (
        Thread.objects.select_for_update(of=("self",)).select_related("category").get(pk=thread.pk)
    )
    _check_can_accept(user, thread)
    if thread.accepted_answer_id is not None:
        thread.accepted_answer = None
        thread.save(update_fields=["accepted_answer"])
        signals.thread_saved.send(sender=Thread, thread=thread, created=False)
    return thread
