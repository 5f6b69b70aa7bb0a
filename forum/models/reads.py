"""Read tracking: how far each member has read each thread, and "mark all read" per category.

A thread's posts are numbered 1..``Thread.post_count`` by ``Post.position`` in the order
written, so "read up to position n" says exactly which posts are new: those numbered above n.
Only ``forum.services.reads`` writes these rows.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.categories import Category
from forum.models.threads import Thread


class ThreadRead(models.Model):
    """``member`` has read ``thread`` up to the post numbered ``last_read_position``.

    The position only ever grows (re-reading an earlier page does not make later posts
    unread). ``read_at`` is when it last grew.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="reads", verbose_name=_("thread")
    )
    last_read_position = models.PositiveIntegerField(
        help_text=_("The position of the newest post the member has seen."),
        verbose_name=_("last read position"),
    )
    read_at = models.DateTimeField(default=timezone.now, verbose_name=_("read at"))

    class Meta:
        verbose_name = _("thread read")
        verbose_name_plural = _("thread reads")
        constraints = [
            # (member, thread): also serves "this member's reads of these threads".
            models.UniqueConstraint(fields=["member", "thread"], name="thread_read_unique")
        ]

    def __str__(self) -> str:
        return f"User {self.member_id} read thread {self.thread_id} to {self.last_read_position}"


class CategoryRead(models.Model):
    """``member`` marked every thread of ``category`` read at ``marked_at``.

    A thread with no activity since ``marked_at`` counts as read; one with later posts has
    only those posts as new.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    marked_at = models.DateTimeField(default=timezone.now, verbose_name=_("marked at"))

    class Meta:
        verbose_name = _("category read marker")
        verbose_name_plural = _("category read markers")
        constraints = [
            models.UniqueConstraint(fields=["member", "category"], name="category_read_unique")
        ]

    def __str__(self) -> str:
        return f"User {self.member_id} marked category {self.category_id} read"
