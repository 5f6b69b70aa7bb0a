"""Reads for promoting solved questions into method guides (``forum.services.promotion``)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from forum.models import Post, Thread
from kb.models import MethodGuidePage
from members.roles import AnyUser, is_editor, is_moderator


def can_promote_threads(user: AnyUser) -> bool:
    """Moderators and editors (and admins) may turn solved questions into guides."""
    return is_moderator(user) or is_editor(user)


def promotable_replies(thread: Thread) -> QuerySet[Post]:
    """The replies an actor may add to the guide: visible, in the order written, with their
    authors. The accepted answer is left out: it is always in the guide already."""
    return (
        Post.objects.filter(thread=thread, depth__gt=0, is_hidden=False)
        .exclude(pk=thread.accepted_answer_id)
        .select_related("author")
        .order_by("position")
    )


@dataclass(frozen=True)
class PromotionState:
    """What the thread page shows about promotion: the live guide (to everyone), or to
    moderators and editors the link to promote, or that the draft is in review."""

    guide_url: str = ""
    guide_title: str = ""
    can_promote: bool = False
    draft_in_review: bool = False


def promotion_state(request: HttpRequest, thread: Thread) -> PromotionState:
    """No query for a thread never promoted (the roles are cached for the request); one for a
    promoted thread, to see whether its guide is live and public."""
    staff = can_promote_threads(request.user)
    if thread.method_guide_id is None:
        return PromotionState(
            can_promote=staff
            and thread.is_question
            and thread.is_solved
            and thread.category.is_public
        )
    guide = MethodGuidePage.objects.live().public().filter(pk=thread.method_guide_id).first()
    if guide is None:
        return PromotionState(draft_in_review=staff)
    return PromotionState(guide_url=guide.get_url(request) or "", guide_title=guide.title)
