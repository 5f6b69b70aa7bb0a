"""The history of members' trust levels: every change, automatic or by a moderator."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models.fields import actor_field
from members.models.profiles import TrustLevel


class TrustLevelChange(models.Model):
    """One change of a member's ``Profile.trust_level``, written by ``members.services.trust``.

    ``actor`` is the moderator who set it by hand, or None when participation raised it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trust_level_changes",
        verbose_name=_("user"),
    )
    from_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, verbose_name=_("from level")
    )
    to_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, verbose_name=_("to level")
    )
    actor = actor_field()
    locked = models.BooleanField(
        default=False,
        help_text=_("Set by hand and kept: automatic changes leave it alone."),
        verbose_name=_("locked"),
    )
    reason = models.CharField(max_length=255, blank=True, verbose_name=_("reason"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("trust level change")
        verbose_name_plural = _("trust level changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Trust level of user {self.user_id}: {self.from_level} to {self.to_level}"
