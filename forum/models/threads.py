"""Threads: a title, an opening post and its replies."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.categories import Category
from forum.models.fields import last_post_field
from members.models.fields import outliving_user_field

TITLE_MAX_LENGTH = 200


class Thread(models.Model):
    """A discussion or a question.

    The body lives in the opening post (``Post`` with ``depth`` 0), as in Discourse, so every
    post, the first included, is edited, voted on and revised the same way.

    Counters are denormalised and kept correct by ``forum.services``:
    - ``post_count``: every post including the opening one and hidden ones; posts are numbered
      1..post_count by ``Post.position``, so pagination never needs COUNT(*).
    - ``reply_count``: visible replies (what readers are told).
    - ``vote_score``: the opening post's score (Stack Overflow's question score).
    - ``last_activity_at`` / ``last_post``: the newest visible post.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        DISCUSSION = "discussion", _("Discussion")

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="threads", verbose_name=_("category")
    )
    author = outliving_user_field(related_name="forum_threads", verbose_name=_("author"))
    title = models.CharField(max_length=TITLE_MAX_LENGTH, verbose_name=_("title"))
    slug = models.SlugField(max_length=80, allow_unicode=False, verbose_name=_("slug"))
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.DISCUSSION, verbose_name=_("kind")
    )
    topics = models.ManyToManyField(
        "taxonomy.Topic", blank=True, related_name="forum_threads", verbose_name=_("topics")
    )
    regions = models.ManyToManyField(
        "taxonomy.Region", blank=True, related_name="forum_threads", verbose_name=_("regions")
    )
    kb_pages = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="forum_threads",
        help_text=_("Knowledge-base pages this thread discusses or builds on."),
        verbose_name=_("knowledge-base pages"),
    )
    is_pinned = models.BooleanField(
        default=False, help_text=_("Shown first in its category."), verbose_name=_("pinned")
    )
    is_locked = models.BooleanField(
        default=False,
        help_text=_("Frozen by a moderator: no replies, edits or votes."),
        verbose_name=_("locked"),
    )
    is_closed = models.BooleanField(
        default=False,
        help_text=_("Closed to new replies, except from moderators."),
        verbose_name=_("closed"),
    )
    accepted_answer = models.ForeignKey(
        "forum.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted answer"),
    )

    method_guide = models.ForeignKey(
        "kb.MethodGuidePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The method guide this solved question became (forum.services.promotion)."),
        verbose_name=_("method guide"),
    )

    post_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("post count")
    )
    reply_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("reply count")
    )
    vote_score = models.IntegerField(default=0, editable=False, verbose_name=_("vote score"))
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created at")
    )
    last_activity_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("last activity at")
    )
    last_post = last_post_field()
    revision = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Moves on with every change to what the thread's pages show; keys the cached "
            "visitor pages (forum.thread_page_cache)."
        ),
        verbose_name=_("revision"),
    )

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(
                fields=["category", "-is_pinned", "-last_activity_at"], name="thread_cat_active_idx"
            ),
            models.Index(
                fields=["category", "-is_pinned", "-created_at"], name="thread_cat_newest_idx"
            ),
            models.Index(
                fields=["category", "-is_pinned", "-vote_score"], name="thread_cat_top_idx"
            ),
            models.Index(fields=["category", "reply_count"], name="thread_cat_replies_idx"),
            models.Index(fields=["-last_activity_at"], name="thread_active_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """A full save of an existing thread leaves ``revision`` alone: only
        ``thread_revisions_bump`` moves it, in the database, so a stale instance can never
        write an older revision back (which would revive an outdated cached page)."""
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname != "revision"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk, "slug": self.slug or "thread"})

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None
