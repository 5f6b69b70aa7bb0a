"""Posts, their edit history and the members they mention."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.threads import Thread
from members.models.fields import outliving_user_field

BODY_MAX_LENGTH = 50_000


class Post(models.Model):
    """One post: the opening post of a thread (``depth`` 0) or a reply.

    - ``parent`` is the post this one replies to (the opening post for a direct reply).
    - ``path``/``depth`` place the post in the thread's tree (see ``forum.tree``); ordering by
      ``path`` gives the nested view.
    - ``branch`` is the top-level reply (depth 1) this post sits under, or null for the opening
      post and for top-level replies themselves; in questions a top-level reply is an answer,
      and the answer ranking orders whole branches by their answer's score in one query.
    - ``position`` numbers posts 1, 2, 3... in the order written (the chronological view).
    - ``body`` is the author's Markdown; ``body_html`` is its sanitised rendering, produced
      once by ``markup`` (profile ``FORUM_POST``) when the post is saved. Pages print
      ``body_html`` and never render Markdown.
    - ``reply_count`` counts direct children in the tree (hidden ones too); it is also the
      next child's path segment, so it only ever grows.
    """

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = outliving_user_field(related_name="forum_posts", verbose_name=_("author"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("parent"),
    )
    branch = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
    )
    path = models.CharField(max_length=255, verbose_name=_("path"))
    depth = models.PositiveSmallIntegerField(default=0, verbose_name=_("depth"))
    position = models.PositiveIntegerField(verbose_name=_("position"))
    body = models.TextField(verbose_name=_("body"))
    body_html = models.TextField(verbose_name=_("body HTML"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    edited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("edited at"))
    edit_count = models.PositiveIntegerField(default=0, verbose_name=_("edit count"))
    is_hidden = models.BooleanField(
        default=False,
        help_text=_("Hidden by a moderator: shown to others as a placeholder."),
        verbose_name=_("hidden"),
    )
    hidden_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Why a moderator hid the post; shown to its author."),
        verbose_name=_("reason for hiding"),
    )
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hidden at"))
    hidden_by = outliving_user_field(
        help_text=_("Empty for a post hidden automatically after flags."),
        verbose_name=_("hidden by"),
    )
    vote_score = models.IntegerField(default=0, verbose_name=_("vote score"))
    reply_count = models.PositiveIntegerField(default=0, verbose_name=_("reply count"))

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["thread", "path"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "path"], name="post_unique_path"),
            models.UniqueConstraint(fields=["thread", "position"], name="post_unique_position"),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_idx")]

    def __str__(self) -> str:
        return f"Post {self.pk} in thread {self.thread_id}"

    def get_absolute_url(self) -> str:
        """The permalink: redirects to the page of the thread that shows this post."""
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def is_opening(self) -> bool:
        return self.depth == 0

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"


class PostRevision(models.Model):
    """The text of a post before one of its edits (edit history).

    ``number`` counts from 1 for the original text. ``title`` holds the thread title the
    revision had when the post is an opening post, blank otherwise. Version 1 was written by
    the post's author; version n by the ``replaced_by`` of version n - 1.
    """

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    title = models.CharField(max_length=200, blank=True, verbose_name=_("title"))
    body = models.TextField(verbose_name=_("body"))
    body_html = models.TextField(verbose_name=_("body HTML"))
    written_at = models.DateTimeField(
        help_text=_("When this version was saved."), verbose_name=_("written at")
    )
    replaced_at = models.DateTimeField(default=timezone.now, verbose_name=_("replaced at"))
    replaced_by = outliving_user_field(
        help_text=_("Who edited this version away."), verbose_name=_("replaced by")
    )

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="post_revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of post {self.post_id}"


class PostMention(models.Model):
    """A member ``@mentioned`` in a post, recorded for notifications.

    Written by ``forum.services`` when a post is created or edited; ``notified_at`` is for the
    notifications issue to fill in once the member has been told.
    """

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("post")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_mentions",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    notified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("notified at"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_mention_unique")]

    def __str__(self) -> str:
        return f"Mention of user {self.user_id} in post {self.post_id}"
