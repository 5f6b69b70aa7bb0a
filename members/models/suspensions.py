"""Suspensions: a member who may read but not post, vote, flag or submit, for a while."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models.fields import actor_field, outliving_user_field


class SuspensionQuerySet(models.QuerySet):
    def active(self, now=None) -> "SuspensionQuerySet":
        """Suspensions in force at ``now``: not lifted, and without an end or ending later."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Suspension(models.Model):
    """One suspension of one account, kept after it ends or is lifted (the history).

    ``ends_at`` null means "until lifted". Written only by ``members.services.suspensions``;
    other apps ask ``members.services.suspensions.suspension_refusal`` before letting a member
    act.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suspensions",
        verbose_name=_("member"),
    )
    reason = models.TextField(help_text=_("Shown to the member."), verbose_name=_("reason"))
    starts_at = models.DateTimeField(default=timezone.now, verbose_name=_("starts at"))
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: until lifted."), verbose_name=_("ends at")
    )
    created_by = actor_field()
    lifted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("lifted at"))
    lifted_by = outliving_user_field(verbose_name=_("lifted by"))

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["user", "lifted_at"], name="suspension_user_idx")]

    def __str__(self) -> str:
        return f"Suspension of user {self.user_id} from {self.starts_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return (
            self.lifted_at is None
            and self.starts_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )
