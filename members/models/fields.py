"""Field definitions several members models share."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def actor_field() -> models.ForeignKey:
    """The optional user who caused a record (None for the system); no reverse accessor, and
    the record outlives that user (``SET_NULL``)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
