"""What the forum adds to lower layers through their registries and signals.

- A "Follow" button on the knowledge base's topic and region landing pages
  (``kb.landing_contributions``; kb never imports the forum).
- Wagtail's ``page_published``: a knowledge-base page published for the first time notifies
  the followers of its topics and regions (``forum.services.activity``).
- Thread revisions (``forum.services.counters.thread_revisions_bump``): the forum's own
  ``thread_saved``/``post_saved`` (every service that changes a thread or a post sends them),
  and the members' changes that show in posts (a name, an organisation, a deleted account:
  every thread with a post by that member).

``connect_forum_receivers()`` is called once from ``ForumConfig.ready()``.
"""

from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published

from forum import signals
from forum.models import Post
from forum.selectors.follows import follow_button
from forum.services.activity import activity_kb_page_published
from forum.services.counters import thread_revisions_bump
from kb.landing_contributions import LandingSection, register_landing_section
from kb.models import KnowledgePage
from members.models import Profile, User
from members.signals import account_deleting

# What a post shows of its author (``forum.selectors.threads.USER_FIELDS``) and their profile.
_AUTHOR_FIELDS = frozenset({"display_name", "first_name", "last_name", "deleted_at"})
_PROFILE_FIELDS = frozenset({"organisation"})


def landing_follow_button(
    request: HttpRequest, *, topic=None, region=None
) -> LandingSection | None:
    """The follow button of a topic or region landing page (at most one query)."""
    kind, term = ("topic", topic) if topic is not None else ("region", region)
    if term is None:
        return None
    return LandingSection(
        title=_("Follow this topic") if kind == "topic" else _("Follow this region"),
        template_name="forum/includes/landing_follow.html",
        context={"button": follow_button(request.user, kind=kind, target=term)},
    )


def knowledge_page_published(sender, instance, revision=None, **kwargs) -> None:
    page = instance.specific if hasattr(instance, "specific") else instance
    if not isinstance(page, KnowledgePage):
        return
    if page.first_published_at is None or page.first_published_at != page.last_published_at:
        return  # a re-publication of a page already announced
    actor_id = getattr(revision, "user_id", None) if revision is not None else None
    activity_kb_page_published(page_id=page.pk, actor_id=actor_id)


def thread_saved(sender, thread, **kwargs) -> None:
    thread_revisions_bump(thread_ids=[thread.pk])


def post_saved(sender, post, **kwargs) -> None:
    thread_revisions_bump(thread_ids=[post.thread_id])


def _author_changed(user_id: int) -> None:
    thread_revisions_bump(
        thread_ids=Post.objects.filter(author_id=user_id).values_list("thread_id", flat=True)
    )


def _touches(update_fields, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def user_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not (raw or created) and _touches(update_fields, _AUTHOR_FIELDS):
        _author_changed(instance.pk)


def profile_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not (raw or created) and _touches(update_fields, _PROFILE_FIELDS):
        _author_changed(instance.user_id)


def author_account_deleting(sender, user, **kwargs) -> None:
    _author_changed(user.pk)


def connect_forum_receivers() -> None:
    register_landing_section(landing_follow_button)
    page_published.connect(knowledge_page_published, dispatch_uid="forum.kb_page_published")
    signals.thread_saved.connect(thread_saved, dispatch_uid="forum.revision.thread_saved")
    signals.post_saved.connect(post_saved, dispatch_uid="forum.revision.post_saved")
    post_save.connect(user_saved, sender=User, dispatch_uid="forum.revision.user_saved")
    post_save.connect(profile_saved, sender=Profile, dispatch_uid="forum.revision.profile_saved")
    account_deleting.connect(author_account_deleting, dispatch_uid="forum.revision.deleting")
