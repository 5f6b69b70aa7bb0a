"""What the forum adds to lower layers through their registries and signals.

- A "Follow" button on the knowledge base's topic and region landing pages
  (``kb.landing_contributions``; kb never imports the forum).
- Wagtail's ``page_published``: a knowledge-base page published for the first time notifies
  the followers of its topics and regions (``forum.services.activity``).

``connect_forum_receivers()`` is called once from ``ForumConfig.ready()``.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published

from forum.selectors.follows import follow_button
from forum.services.activity import activity_kb_page_published
from kb.landing_contributions import LandingSection, register_landing_section
from kb.models import KnowledgePage


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


def connect_forum_receivers() -> None:
    register_landing_section(landing_follow_button)
    page_published.connect(knowledge_page_published, dispatch_uid="forum.kb_page_published")
