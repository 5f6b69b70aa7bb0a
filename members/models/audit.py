"""Audit records for changes that must be traceable: role changes, account deletions and
moderator actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models.fields import actor_field


class RoleChange(models.Model):
    """One role granted or revoked, by whom and when.

    Written by ``members.services.roles``; also written for group changes made elsewhere (e.g.
    Wagtail's user editor) by the receiver in ``members.receivers``, with ``via`` saying so.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_changes",
        verbose_name=_("user"),
    )
    role = models.CharField(max_length=20, verbose_name=_("role"))
    granted = models.BooleanField(
        help_text=_("True when the role was granted, False when revoked."),
        verbose_name=_("granted"),
    )
    actor = actor_field()
    via = models.CharField(max_length=40, default="role service", verbose_name=_("via"))
    note = models.CharField(max_length=255, blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        verb = "granted" if self.granted else "revoked"
        return f"{self.role} {verb} for user {self.user_id}"


class AccountDeletionLog(models.Model):
    """That an account was deleted, when and at whose request. Holds no personal data."""

    class InitiatedBy(models.TextChoices):
        MEMBER = "member", _("The member")
        ADMIN = "admin", _("An administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The former-member row that remains."),
        verbose_name=_("user"),
    )
    initiated_by = models.CharField(
        max_length=10, choices=InitiatedBy.choices, verbose_name=_("initiated by")
    )
    actor = actor_field()
    deleted_at = models.DateTimeField(default=timezone.now, verbose_name=_("deleted at"))

    class Meta:
        verbose_name = _("account deletion")
        verbose_name_plural = _("account deletions")
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"Account {self.user_id} deleted {self.deleted_at:%Y-%m-%d}"


class ModerationLog(models.Model):
    """One moderator action, for the audit log moderators and admins search.

    Every moderator action in every app writes one row through
    ``members.services.moderation_log.moderation_log_record``: the forum's (hiding a post,
    locking a thread, resolving a flag...) and the members' own (suspending an account).
    ``target_type`` names the kind of object ("forum.post", "forum.thread", "members.user"),
    ``target_id`` its primary key and ``target_label`` a short description kept even if the
    object goes. ``before`` and ``after`` hold the changed fields where that applies. A row
    with no ``actor`` was written by the system (auto-hide after flags).
    """

    actor = actor_field()
    action = models.CharField(max_length=40, db_index=True, verbose_name=_("action"))
    target_type = models.CharField(max_length=40, verbose_name=_("target type"))
    target_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("target id"))
    target_label = models.CharField(max_length=255, blank=True, verbose_name=_("target"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    before = models.JSONField(default=dict, blank=True, verbose_name=_("before"))
    after = models.JSONField(default=dict, blank=True, verbose_name=_("after"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="moderation_log_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_type}:{self.target_id}"
