"""Member submissions: the front-end record of a case study or guide a member proposed.

The page itself is a normal Wagtail draft (owned by the member) that goes through the
"Editorial review" workflow. The Submission keeps what the member typed (Markdown source,
so they can edit it again), the review status as the member should see it, and the last
reviewer comment. ``kb.services.submissions`` is the only writer.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Kind(models.TextChoices):
        CASE_STUDY = "case-study", _("Case study")
        METHOD_GUIDE = "method-guide", _("Method guide")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not submitted)")
        IN_REVIEW = "in-review", _("In editorial review")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        PUBLISHED = "published", _("Approved and published")
        WITHDRAWN = "withdrawn", _("Review cancelled")

    EDITABLE_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.WITHDRAWN)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kb_submissions",
        verbose_name=_("author"),
    )
    page = models.OneToOneField(
        "kb.KnowledgePage",
        on_delete=models.CASCADE,
        related_name="submission",
        verbose_name=_("page"),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    source = models.JSONField(
        default=dict,
        help_text=_("The member's own input (Markdown), kept for editing."),
        verbose_name=_("source"),
    )
    review_comment = models.TextField(blank=True, verbose_name=_("review comment"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["author", "-updated_at"], name="kb_submission_author_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.page.draft_title}"

    @property
    def is_editable(self) -> bool:
        """Members may edit until the page is approved."""
        return self.status in self.EDITABLE_STATUSES
