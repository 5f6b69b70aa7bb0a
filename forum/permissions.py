"""Who may read and do what in the forum (design.md section 2).

Everything is decided from ``members.roles`` predicates, which cache the user's roles for the
request, so checking a permission costs at most one query per request (and none for visitors).

| who       | reads                               | posts and replies          | votes | accepts |
|-----------|-------------------------------------|----------------------------|-------|---------|
| visitor   | public categories                   | no                         | no    | no      |
| guest     | public and members-only categories  | only where guests_can_post | no    | own Qs  |
| member    | public and members-only categories  | wherever they can read     | yes   | own Qs  |
| moderator | all, including group-restricted     | everywhere, even closed    | yes   | any Q   |

Group-restricted categories are readable only by that group's users and by moderators.
Callers that cannot read something must answer 404, never 403, so nothing leaks.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from forum.models import Category, Post, Thread
from members.adapters import held_back_by_welcome_step
from members.roles import AnyUser, can_read_members_content, is_guest, is_member, is_moderator
from members.services.suspensions import suspension_refusal


def readable_categories(user: AnyUser) -> QuerySet[Category]:
    """The categories ``user`` may see, as a lazy queryset (the group check is a subquery)."""
    categories = Category.objects.all()
    if is_moderator(user):
        return categories
    if not can_read_members_content(user):
        return categories.filter(
            visibility=Category.Visibility.PUBLIC, restricted_to_group__isnull=True
        )
    return categories.filter(
        Q(restricted_to_group__isnull=True) | Q(restricted_to_group__in=user.groups.all())
    )


def can_read_category(user: AnyUser, category: Category) -> bool:
    if is_moderator(user):
        return True
    if category.visibility != Category.Visibility.PUBLIC and not can_read_members_content(user):
        return False
    if category.restricted_to_group_id is not None:
        if not user.is_authenticated:
            return False
        return user.groups.filter(pk=category.restricted_to_group_id).exists()
    return True


def can_post_in_category(user: AnyUser, category: Category) -> bool:
    """May start threads here (and, lock and close allowing, reply)."""
    if not user.is_authenticated or not can_read_category(user, category):
        return False
    return is_member(user) or (category.guests_can_post and can_read_members_content(user))


def thread_refusal(user: AnyUser, category: Category) -> str | None:
    """Why ``user`` may not start threads in ``category`` (a sentence for the page), or None if
    they may. A signed-in account that has not finished the welcome step is told so (pages add
    a link to it: ``{% welcome_step_link %}``).

    Assumes the caller already knows the user can read the category.
    """
    if not user.is_authenticated:
        return _("Sign in to start a thread.")
    suspended = suspension_refusal(user)
    if suspended:
        return suspended
    if can_post_in_category(user, category):
        return None
    if held_back_by_welcome_step(user):
        return _(
            "You cannot start threads yet: finish the welcome step first. Your specialist "
            "group, which you choose there, decides where you can post."
        )
    if is_guest(user):
        return _(
            "Your account cannot start threads in this category: guests start threads in "
            "the categories marked “Guests welcome to post”."
        )
    return _("Your account cannot start threads in this category.")


def reply_refusal(user: AnyUser, thread: Thread) -> str | None:
    """Why ``user`` may not reply in ``thread`` (a sentence for the page), or None if they may.

    Assumes the caller already knows the user can read the thread's category.
    """
    if not user.is_authenticated:
        return _("Sign in to reply.")
    suspended = suspension_refusal(user)
    if suspended:
        return suspended
    if thread.is_locked:
        return _("This thread is locked: it takes no new replies.")
    if not can_post_in_category(user, thread.category):
        if held_back_by_welcome_step(user):
            return _(
                "You cannot reply yet: finish the welcome step first. Your specialist group, "
                "which you choose there, decides where you can post."
            )
        return _("Your account cannot post in this category.")
    if thread.is_closed and not is_moderator(user):
        return _("This thread is closed to new replies.")
    return None


def can_vote(user: AnyUser) -> bool:
    """Members vote; guests and visitors do not. (One's own posts are refused separately.)"""
    return is_member(user)


def can_edit_post(user: AnyUser, post: Post) -> bool:
    """Authors edit their own posts unless the thread is locked; moderators always can."""
    if not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.pk and not post.thread.is_locked and not post.is_hidden


def can_accept_answer(user: AnyUser, thread: Thread) -> bool:
    """The asker or a moderator, in a question thread that is not locked."""
    if not user.is_authenticated or not thread.is_question:
        return False
    if is_moderator(user):
        return True
    return thread.author_id == user.pk and not thread.is_locked


def can_see_edit_history(user: AnyUser, post: Post) -> bool:
    """Moderators see every post's history; authors see their own, unless a moderator hid
    it. Everyone else sees only that a post was edited, and when."""
    if not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.pk and not post.is_hidden
