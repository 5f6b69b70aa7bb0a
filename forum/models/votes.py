"""Votes on posts: one per member per post, up (+1) or down (-1)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.posts import Post


class Vote(models.Model):
    """A member's vote on a post. ``Post.vote_score`` is the sum of its votes' values."""

    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="votes", verbose_name=_("post")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_votes",
        verbose_name=_("voter"),
    )
    value = models.SmallIntegerField(choices=Value.choices, verbose_name=_("value"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            # (voter, post): also serves "this member's votes on these posts".
            models.UniqueConstraint(fields=["voter", "post"], name="vote_one_per_member"),
            models.CheckConstraint(condition=models.Q(value__in=[1, -1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on post {self.post_id}"
