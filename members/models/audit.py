"""Audit records for changes that must be traceable: role changes and account deletions."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RoleChange(models.Model):
    """One role granted or revoked, by whom and when.

    Written by ``members.services.roles``; also written for group changes made elsewhere (e.g.
    Wagtail's user editor) by the receiver in ``members.receivers``, with ``via`` saying so.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes"
    )
    role = models.CharField(max_length=20)
    granted = models.BooleanField(help_text="True when the role was granted, False when revoked.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    via = models.CharField(max_length=40, default="role service")
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        verb = "granted" if self.granted else "revoked"
        return f"{self.role} {verb} for user {self.user_id}"


class AccountDeletionLog(models.Model):
    """That an account was deleted, when and at whose request. Holds no personal data."""

    class InitiatedBy(models.TextChoices):
        MEMBER = "member", "The member"
        ADMIN = "admin", "An administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The former-member row that remains.",
    )
    initiated_by = models.CharField(max_length=10, choices=InitiatedBy.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"Account {self.user_id} deleted {self.deleted_at:%Y-%m-%d}"
