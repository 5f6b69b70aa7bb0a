"""Forum categories: where threads live, who may read them and who may post in them."""

from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.models.fields import last_post_field


class Category(models.Model):
    """A forum category.

    Reading (design.md section 2 and 5):
    - ``visibility`` PUBLIC: everyone, signed in or not.
    - ``visibility`` MEMBERS: members and guests (guests read members-only content).
    - ``restricted_to_group`` (optional): additionally only that group's users, plus moderators.
    Anyone who may not read a category gets 404 for it and everything in it, never 403.

    Posting: members post wherever they can read. Guests post only where ``guests_can_post``
    is set (the "guests-too" categories, such as "Ask the PCC experts"); they never vote.

    ``mode`` decides the kind of the threads started here: questions (Q&A, with an accepted
    answer and answers ranked by votes) or discussions.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: everyone can read")
        MEMBERS = "members", _("Members and guests only")

    class Mode(models.TextChoices):
        DISCUSSION = "discussion", _("Discussions")
        QUESTIONS = "questions", _("Questions and answers")

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    description = models.TextField(
        blank=True, help_text=_("One or two sentences; plain text."), verbose_name=_("description")
    )
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        verbose_name=_("visibility"),
    )
    guests_can_post = models.BooleanField(
        default=False,
        help_text=_(
            "Guests (members of other specialist groups) may start threads and reply here."
        ),
        verbose_name=_("guests can post"),
    )
    restricted_to_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("If set, only this group's users (and moderators) can see the category."),
        verbose_name=_("restricted to group"),
    )
    mode = models.CharField(
        max_length=12, choices=Mode.choices, default=Mode.DISCUSSION, verbose_name=_("mode")
    )

    # Denormalised, maintained by forum.services.
    thread_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("thread count")
    )
    post_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("post count")
    )
    last_activity_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last activity at")
    )
    last_post = last_post_field()

    class Meta:
        verbose_name = _("category")
        ordering = ["sort_order", "name"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", kwargs={"slug": self.slug})

    @property
    def is_questions(self) -> bool:
        return self.mode == self.Mode.QUESTIONS

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC and self.restricted_to_group_id is None
