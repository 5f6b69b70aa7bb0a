"""Field definitions several members models share."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def outliving_user_field(
    *, verbose_name, related_name: str = "+", help_text=""
) -> models.ForeignKey:
    """An optional user whose record outlives their account: content and audit rows stay when
    the account goes (``SET_NULL``), and read as "Former member" once it has gone."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
        verbose_name=verbose_name,
    )


def actor_field() -> models.ForeignKey:
    """The optional user who caused a record (None for the system); no reverse accessor."""
    return outliving_user_field(verbose_name=_("actor"))
