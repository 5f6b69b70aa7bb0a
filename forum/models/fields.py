"""Field definitions several forum models share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def last_post_field() -> models.ForeignKey:
    """The newest visible post, a denormalised pointer that ``forum.services`` keeps correct
    (never edited by hand); None when there is none or it is deleted."""
    return models.ForeignKey(
        "forum.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last post"),
    )
