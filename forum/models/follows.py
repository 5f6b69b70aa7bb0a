"""Follows: a member's standing interest in a thread, a category, a topic or a region."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.categories import Category
from forum.models.threads import Thread

FOLLOW_TARGETS = ("thread", "category", "topic", "region")


def _only(name: str) -> Q:
    """``name`` is set and every other target is null."""
    condition = Q(**{f"{name}__isnull": False})
    for other in FOLLOW_TARGETS:
        if other != name:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


class Follow(models.Model):
    """``member`` follows exactly one of ``thread``, ``category``, ``topic`` or ``region``.

    - Following a thread notifies the member of its new replies; ``is_muted`` (threads only)
      turns that thread silent instead, including replies and mentions in it.
    - Following a category, topic or region notifies them of new threads there (and, for a
      topic or region, of newly published knowledge-base pages tagged with it).

    A member follows a target at most once (one partial unique constraint per target).
    Written only by ``forum.services.follows``.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_follows",
        verbose_name=_("member"),
    )
    thread = models.ForeignKey(
        Thread,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("thread"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("category"),
    )
    topic = models.ForeignKey(
        "taxonomy.Topic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_follows",
        verbose_name=_("topic"),
    )
    region = models.ForeignKey(
        "taxonomy.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_follows",
        verbose_name=_("region"),
    )
    is_muted = models.BooleanField(
        default=False,
        help_text=_("Threads only: no notifications at all from this thread."),
        verbose_name=_("muted"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_only("thread") | _only("category") | _only("topic") | _only("region"),
                name="follow_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(is_muted=False) | Q(thread__isnull=False),
                name="follow_only_threads_are_muted",
            ),
            *[
                models.UniqueConstraint(
                    fields=["member", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"follow_unique_{name}",
                )
                for name in FOLLOW_TARGETS
            ],
        ]
        indexes = [
            models.Index(fields=["thread", "member"], name="follow_thread_idx"),
            models.Index(fields=["category", "member"], name="follow_category_idx"),
            models.Index(fields=["topic", "member"], name="follow_topic_idx"),
            models.Index(fields=["region", "member"], name="follow_region_idx"),
        ]

    def __str__(self) -> str:
        return f"Follow of {self.target_kind} by user {self.member_id}"

    @property
    def target_kind(self) -> str:
        for name in FOLLOW_TARGETS:
            if getattr(self, f"{name}_id") is not None:
                return name
        return ""

    @property
    def target(self):
        kind = self.target_kind
        return getattr(self, kind) if kind else None
