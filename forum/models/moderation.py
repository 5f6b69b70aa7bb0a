"""Moderation records: flags on posts, and redirects left by merged threads."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.posts import Post
from members.models.fields import outliving_user_field


class Flag(models.Model):
    """A member's flag on a post (a flag on a thread targets its opening post).

    Open while ``resolution`` is blank; a moderator resolves it by agreeing (the post was a
    problem), disagreeing (it was not) or deferring (no decision; the flag leaves the queue).
    A member has at most one open flag per post. The post's author is never told.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off-topic")
        ABUSIVE = "abusive", _("Abusive or disrespectful")
        PERSONAL_DATA = "personal_data", _("Shares personal data")
        OTHER = "other", _("Something else")

    class Resolution(models.TextChoices):
        AGREE = "agree", _("Agreed: the post was a problem")
        DISAGREE = "disagree", _("Disagreed: the post is fine")
        DEFER = "defer", _("Deferred: no decision")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="flags", verbose_name=_("post")
    )
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_flags",
        verbose_name=_("flagged by"),
    )
    reason = models.CharField(max_length=20, choices=Reason.choices, verbose_name=_("reason"))
    text = models.CharField(
        max_length=1000,
        blank=True,
        help_text=_("What is wrong, in the flagger's words (required for “Something else”)."),
        verbose_name=_("details"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )
    resolution = models.CharField(
        max_length=10, choices=Resolution.choices, blank=True, verbose_name=_("resolution")
    )
    resolved_by = outliving_user_field(verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "flagger"],
                condition=Q(resolution=""),
                name="flag_one_open_per_member",
            )
        ]
        indexes = [models.Index(fields=["resolution", "post"], name="flag_open_idx")]

    def __str__(self) -> str:
        return f"Flag {self.pk} on post {self.post_id}"

    @property
    def is_open(self) -> bool:
        return not self.resolution


class ThreadRedirect(models.Model):
    """Where a thread merged into another went: its old URLs redirect to ``thread``.

    Posts keep their primary keys when they move, so post permalinks (``/forum/p/<id>/``)
    keep working by themselves; this covers the thread URLs of the thread that is gone.
    """

    old_thread_id = models.PositiveBigIntegerField(unique=True, verbose_name=_("old thread id"))
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, related_name="+", verbose_name=_("thread")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("thread redirect")
        verbose_name_plural = _("thread redirects")

    def __str__(self) -> str:
        return f"Thread {self.old_thread_id} -> {self.thread_id}"
