"""Promoting a solved question into a knowledge-base method guide.

A moderator or editor turns a public, solved question thread into a ``MethodGuidePage``
draft, through the KB's own submission path (``kb.services.submissions.submission_create``):
the draft is created under the KnowledgeIndexPage, owned by the actor, and submitted to the
"Editorial review" workflow, where an editor edits, approves and publishes it as any other
submission.

The draft is pre-filled from the thread: the title, a summary and the purpose from the
question, one step from the accepted answer and one from each reply the actor ticked, the
topics and regions (the thread's unless the actor chose others). Every contributor (the
asker, the accepted answer's author and the ticked replies' authors) is credited by display
name, never by email address. The guide stores the thread's URL and number (the KB never
refers to forum rows); the thread keeps a foreign key to the guide, and shows "This
discussion became a method guide" once it is live (``forum.selectors.promotion``).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from forum.models import Post, Thread
from forum.selectors.promotion import can_promote_threads, promotable_replies
from forum.tree import ROOT_PATH
from kb.models import MethodGuidePage, Submission
from kb.services.submissions import SubmissionInput, submission_create
from members.models import User
from members.roles import mfa_satisfied
from taxonomy.models import Region, Topic

SUMMARY_LENGTH = 300
STEP_TITLE_LENGTH = 160


def promotion_check(*, thread: Thread, actor: User) -> None:
    """Raise PermissionDenied or ValidationError, with the reason, if ``actor`` may not turn
    ``thread`` into a guide now; return quietly if they may. (The view asks before showing
    the form; ``thread_promote_to_guide`` asks again under a lock.)"""
    if not can_promote_threads(actor):
        raise PermissionDenied(
            _("Only moderators and editors can turn a thread into a method guide.")
        )
    if not mfa_satisfied(actor):
        raise PermissionDenied(
            _("Set up two-factor authentication before using moderator or editor powers.")
        )
    if not thread.is_question:
        raise ValidationError(
            _("Only a solved question can become a method guide; this thread is a discussion.")
        )
    if not thread.category.is_public:
        raise ValidationError(
            _(
                "Only questions in public categories can become method guides: members-only "
                "discussions stay private."
            )
        )
    if thread.method_guide_id is not None:
        raise ValidationError(_("This thread has already become a method guide."))
    if thread.accepted_answer_id is None:
        raise ValidationError(
            _(
                "This question has no accepted answer yet: a question becomes a method guide "
                "once it is solved."
            )
        )
    hidden_depths = set(
        Post.objects.filter(thread=thread, is_hidden=True)
        .filter(Q(depth=0) | Q(pk=thread.accepted_answer_id))
        .values_list("depth", flat=True)
    )
    if 0 in hidden_depths:
        raise ValidationError(
            _("This question has been hidden by a moderator, so it cannot become a guide.")
        )
    if hidden_depths:
        raise ValidationError(
            _(
                "The accepted answer has been hidden by a moderator, so this question cannot "
                "become a guide."
            )
        )


@transaction.atomic
def thread_promote_to_guide(
    *,
    thread: Thread,
    actor: User,
    extra_post_ids: Iterable[int] = (),
    topics: Iterable[Topic] | None = None,
    regions: Iterable[Region] | None = None,
) -> MethodGuidePage:
    """Create the method guide draft from ``thread`` and submit it to "Editorial review".

    ``extra_post_ids`` are replies of this thread (visible ones) to add as further steps, in
    the order they were written; anything else is refused with a message and nothing is
    created. ``topics`` and ``regions`` are the guide's (None: the thread's); a guide needs
    a topic to be published, and without a region it is Global. Returns the draft page.
    """
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("category", "author")
        .get(pk=thread.pk)
    )
    promotion_check(thread=thread, actor=actor)
    opening = Post.objects.select_related("author").get(thread=thread, path=ROOT_PATH)
    answer = Post.objects.select_related("author").get(pk=thread.accepted_answer_id)
    extras = _extra_replies(thread, extra_post_ids)

    topic_ids, region_ids = _guide_taxonomy(thread, topics, regions)
    contributors = _contributor_names([opening, answer, *extras])
    rows = [{"title": _("The accepted answer"), "details": answer.body}]
    for reply in extras:
        name = _name(reply.author)
        title = _("Further advice from %(name)s") % {"name": name} if name else _("Further advice")
        rows.append({"title": Truncator(title).chars(STEP_TITLE_LENGTH), "details": reply.body})
    summary = Truncator(" ".join(strip_tags(opening.body_html).split())).chars(SUMMARY_LENGTH)
    fields = {
        "title": thread.title,
        "summary": summary or thread.title,
        "purpose": opening.body,
        "when_to_use": _(
            "Drafted from the forum question “%(title)s”. Editors: say here when this "
            "method fits, and when it does not."
        )
        % {"title": thread.title},
        "when_not_to_use": "",
        "skills_needed": "",
        "effort": "",
        "cost_band": "",
        "topics": topic_ids,
        "regions": region_ids,
        "members_only": False,
        "source_url": thread.get_absolute_url(),
        "source_thread_id": thread.pk,
        "contributors": ", ".join(contributors),
    }
    submission = submission_create(
        author=actor,
        kind=Submission.Kind.METHOD_GUIDE,
        data=SubmissionInput(fields=fields, rows=rows, uploads=[], remove_document_ids=[]),
        submit=True,
    )
    guide = submission.page.specific
    thread.method_guide = guide
    thread.save(update_fields=["method_guide"])
    return guide


def _guide_taxonomy(
    thread: Thread, topics: Iterable[Topic] | None, regions: Iterable[Region] | None
) -> tuple[list[int], list[int]]:
    topic_ids = [topic.pk for topic in (thread.topics.all() if topics is None else topics)]
    if not topic_ids:
        raise ValidationError({"topics": _("Choose at least one topic for the guide.")})
    region_ids = [region.pk for region in (thread.regions.all() if regions is None else regions)]
    if not region_ids:
        region_ids = list(Region.objects.filter(is_global=True).values_list("pk", flat=True)[:1])
    return topic_ids, region_ids


def _extra_replies(thread: Thread, post_ids: Iterable[int]) -> list[Post]:
    try:
        wanted = {int(pk) for pk in post_ids}
    except (TypeError, ValueError):
        raise ValidationError({"replies": _("Choose replies from this thread.")}) from None
    wanted.discard(thread.accepted_answer_id)
    if not wanted:
        return []
    replies = list(promotable_replies(thread).filter(pk__in=wanted))
    if len(replies) != len(wanted):
        raise ValidationError(
            {
                "replies": _(
                    "Some of the chosen replies are not visible replies of this thread any "
                    "more; choose again."
                )
            }
        )
    return replies


def _name(user: User | None) -> str:
    """The display name to credit, or "" for a former member (nobody to credit by name)."""
    if user is None or user.is_former_member:
        return ""
    return user.public_name


def _contributor_names(posts: list[Post]) -> list[str]:
    names: dict[int, str] = {}
    for post in posts:
        name = _name(post.author)
        if name and post.author_id not in names:
            names[post.author_id] = name
    return list(names.values())
