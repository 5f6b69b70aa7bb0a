"""HTML for posts on the thread page, built in Python for speed.

The thread page is the hottest page of the site (design.md section 7: p50 at most half the
fastest peer's with 100 posts per page). Rendering each post through Django template
includes cost about 0.7 ms per post, mostly in variable resolution and number localisation;
this module builds the same markup with ``format_html`` in a fraction of that. It is the only
place post markup is defined: the thread page and the JSON answer for inline replies both use
``post_html``.

Escaping happens by construction: every value reaches the markup through ``format_html`` (or
``conditional_escape``), and pieces are combined only as ``SafeString``s, which stay safe when
concatenated. The one piece of markup taken as it is, ``Post.body_html``, was sanitised when
the post was saved.

Speed comes from doing once what does not depend on the post. Per page
(``PostMarkupContext.for_thread``): URLs are reversed with ``reverse`` (``PostUrl``), and the
vote buttons and read-only vote counts are built. Per language: texts are translated and
escaped (``PostTexts``). Per post: its id is escaped once for all its URLs, and a fragment
that is absent costs nothing.
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from forum.selectors.threads import MAX_INDENT, PostRow
from members.models import FORMER_MEMBER_NAME

# Reversed in place of a post's id, then split on: no real id is this long.
_PK_PLACEHOLDER = 987654321987


@dataclass(frozen=True)
class PostUrl:
    """A URL taking a post's ``pk``, reversed once per page: ``url(pk_html)`` is one post's.

    ``pk_html`` is the post's id already escaped (``conditional_escape(post.pk)``), so that a
    post's several URLs share one escape.
    """

    before: SafeString
    after: SafeString

    @classmethod
    def reverse(cls, name: str) -> "PostUrl":
        url = reverse(name, kwargs={"pk": _PK_PLACEHOLDER})
        before, found, after = url.partition(str(_PK_PLACEHOLDER))
        if not found or str(_PK_PLACEHOLDER) in after:
            raise ImproperlyConfigured(f"{name} must take the post's pk exactly once")
        return cls(conditional_escape(before), conditional_escape(after))

    def __call__(self, pk_html: SafeString) -> SafeString:
        return self.before + pk_html + self.after


def _around(text: str, placeholder: str) -> tuple[str, str]:
    """A translation split around its one ``placeholder``, to put markup there."""
    before, _found, after = text.partition(placeholder)
    return before, after


@dataclass(frozen=True)
class PostTexts:
    """The words of the post markup in one language, escaped (or built into their fragment)."""

    former_member: SafeString
    in_reply_to: tuple[str, str]  # around the linked name
    link_to_post: SafeString
    edited_html: SafeString  # after the permalink, with its leading space (no time known)
    edited_at: tuple[str, str]  # "edited <time>", around the time
    accepted_html: SafeString  # after the permalink, with its leading space
    hidden_html: SafeString  # in place of the body
    hidden_for_moderators_html: SafeString  # before the body
    vote_up: SafeString
    vote_down: SafeString
    votes_hidden: SafeString
    reply: SafeString
    quote: SafeString
    edit: SafeString
    history: SafeString
    accept: SafeString
    unaccept: SafeString
    flag: SafeString
    moderate: SafeString
    hidden_for_author: tuple[str, str]  # around the reason
    months: tuple[str, ...]  # "Jan" to "Dec" as ``date:"M"`` spells them; escaped where used

    @classmethod
    def current(cls) -> "PostTexts":
        """The texts in the active language (built once per language, then reused)."""
        return _texts(get_language())

    @classmethod
    def build(cls) -> "PostTexts":
        def text(message: str) -> SafeString:
            return conditional_escape(message)

        return cls(
            former_member=text(FORMER_MEMBER_NAME),
            in_reply_to=_around(gettext("in reply to %(author)s"), "%(author)s"),
            link_to_post=text(gettext("Link to this post")),
            edited_html=format_html(
                ' <span class="post__edited muted">{}</span>', gettext("edited")
            ),
            edited_at=_around(gettext("edited %(time)s"), "%(time)s"),
            accepted_html=format_html(
                ' <span class="tag tag--solved">{}</span>', gettext("Accepted answer")
            ),
            hidden_html=format_html(
                '<p class="post__body post__body--hidden muted">{}</p>',
                gettext("This post was hidden by a moderator."),
            ),
            hidden_for_moderators_html=format_html(
                '<p class="muted">{}</p>', gettext("Hidden from members by a moderator.")
            ),
            vote_up=text(gettext("Vote up")),
            vote_down=text(gettext("Vote down")),
            votes_hidden=text(gettext(" votes")),
            reply=text(gettext("Reply")),
            quote=text(gettext("Quote")),
            edit=text(gettext("Edit")),
            history=text(gettext("History")),
            accept=text(gettext("Accept this answer")),
            unaccept=text(gettext("Unaccept")),
            flag=text(gettext("Flag")),
            moderate=text(gettext("Moderate")),
            hidden_for_author=_around(
                gettext("A moderator hid your post from other members. Reason: %(reason)s"),
                "%(reason)s",
            ),
            months=tuple(str(MONTHS_3[month]).title() for month in range(1, 13)),
        )


@functools.cache
def _texts(language: str | None) -> PostTexts:
    return PostTexts.build()


_VOTE_BUTTON = (
    '<button type="submit" name="value" value="{value}" '
    'class="vote__button vote__button--{direction}" aria-pressed="{pressed}">'
    '<span aria-hidden="true">{arrow}</span><span class="visually-hidden">{label}</span></button>'
)


def _vote_button(direction: str, pressed: bool, arrow: str, label: SafeString) -> SafeString:
    """The up or down button; pressed when it is the reader's vote, which it then clears."""
    return format_html(
        _VOTE_BUTTON,
        value="clear" if pressed else direction,
        direction=direction,
        pressed="true" if pressed else "false",
        arrow=arrow,
        label=label,
    )


@dataclass(frozen=True)
class PostMarkupContext:
    """What every post on a page shares: URLs, texts, the CSRF token, the reader's role, and
    the fragments built once per page."""

    post_url: PostUrl
    vote_url: PostUrl
    quote_url: PostUrl
    edit_url: PostUrl
    history_url: PostUrl
    accept_url: PostUrl
    flag_url: PostUrl
    moderate_url: PostUrl
    reply_url: SafeString
    unaccept_url: SafeString
    texts: PostTexts
    csrf_token: SafeString
    is_moderator: bool
    can_accept: bool
    reader_id: int | None = None  # the signed-in reader (None for visitors)
    # Fragments that depend only on a post's score and the reader's vote, built when first
    # met on the page: the read-only "<n> votes" (by score), and the vote form's inside
    # (by reader's vote and score).
    readonly_votes: dict[int, SafeString] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    vote_forms: dict[tuple[int, int], SafeString] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # Authors' names and organisations, escaped, as met on the page so far (a page has few).
    authors: dict[tuple[str, str], tuple[SafeString, SafeString]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    time_zone: tzinfo = field(default_factory=timezone.get_current_timezone, compare=False)

    def author(self, name: str, organisation: str) -> tuple[SafeString, SafeString]:
        """The name, escaped, and the organisation's ``<span>`` (empty without one)."""
        key = (name, organisation)
        if key not in self.authors:
            self.authors[key] = (
                conditional_escape(name),
                format_html('<span class="author-organisation">{}</span>', organisation)
                if organisation
                else SafeString(),
            )
        return self.authors[key]

    @classmethod
    def for_thread(
        cls,
        thread_pk: int,
        *,
        csrf_token: str,
        is_moderator: bool,
        can_accept: bool = False,
        reader_id: int | None = None,
    ) -> "PostMarkupContext":
        return cls(
            post_url=PostUrl.reverse("forum:post"),
            vote_url=PostUrl.reverse("forum:vote"),
            quote_url=PostUrl.reverse("forum:post_quote"),
            edit_url=PostUrl.reverse("forum:post_edit"),
            history_url=PostUrl.reverse("forum:post_revisions"),
            accept_url=PostUrl.reverse("forum:accept"),
            flag_url=PostUrl.reverse("forum:post_flag"),
            moderate_url=PostUrl.reverse("forum:post_moderate"),
            reply_url=conditional_escape(reverse("forum:reply", kwargs={"pk": thread_pk})),
            unaccept_url=conditional_escape(reverse("forum:unaccept", kwargs={"pk": thread_pk})),
            texts=PostTexts.current(),
            csrf_token=conditional_escape(csrf_token),
            is_moderator=is_moderator,
            can_accept=can_accept,
            reader_id=reader_id,
        )

    def readonly_vote(self, score: int) -> SafeString:
        if score not in self.readonly_votes:
            text = ngettext("%(score)s vote", "%(score)s votes", abs(score))
            before, after = _around(text, "%(score)s")
            self.readonly_votes[score] = format_html(
                '<span class="vote vote--readonly">{}<span class="vote__score">{}</span>{}</span>',
                before,
                score,
                after,
            )
        return self.readonly_votes[score]

    def vote_form_inside(self, my_vote: int, score: int) -> SafeString:
        """Everything inside the vote ``<form>``: the CSRF token, buttons and score."""
        key = (my_vote, score)
        if key not in self.vote_forms:
            up = _vote_button("up", my_vote == 1, "▲", self.texts.vote_up)
            down = _vote_button("down", my_vote == -1, "▼", self.texts.vote_down)
            self.vote_forms[key] = format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}'
                '<span class="vote__score" data-score>{}</span>'
                '<span class="visually-hidden">{}</span>{}',
                self.csrf_token,
                up,
                score,
                self.texts.votes_hidden,
                down,
            )
        return self.vote_forms[key]


_INDENT_CLASSES = tuple(format_html("post post--indent-{}", n) for n in range(MAX_INDENT + 1))
_OPENING_CLASS = conditional_escape(" post--opening")
_ACCEPTED_CLASS = conditional_escape(" post--accepted")
_HIDDEN_CLASS = conditional_escape(" post--hidden")
_AUTHOR_CLASS = conditional_escape("author-name")
_GONE_AUTHOR_CLASS = conditional_escape("author-name author-name--gone")
_SMALL_NUMBERS = tuple(conditional_escape(n) for n in range(-100, 101))


def _number_html(number: int) -> SafeString:
    """``conditional_escape(number)``, from a table for the small numbers every post has
    (depth, score)."""
    if -100 <= number <= 100:
        return _SMALL_NUMBERS[number + 100]
    return conditional_escape(number)


_ARTICLE = (
    '<article class="{classes}" id="post-{pk}" data-post-id="{pk}" data-depth="{depth}">'
    '<header class="post__meta">'
    '<span class="{author_class}">{author}</span>{organisation}{reply_context} '
    '<a class="post__permalink" href="{url}" title="{link_title}">'
    '<time datetime="{iso_time}">{time}</time></a>{after_time}</header>'
    '{body}<footer class="post__actions">{actions}</footer>'
    "</article>"
)


_REPLY = (
    '<a class="post__action js-reply" href="{reply_url}?to={pk}" data-post-id="{pk}">{reply}</a>'
)
_REPLY_AND_QUOTE = (
    _REPLY + '<a class="post__action js-quote" href="{reply_url}?quote={pk}" '
    'data-quote-url="{quote_url}" data-post-id="{pk}">{quote}</a>'
)


def _reply_context(row: PostRow, ctx: PostMarkupContext) -> SafeString:
    """The "in reply to <name>" after the author, for the rows that show it."""
    context = row.reply_context
    if context is None:
        return SafeString()
    before, after = ctx.texts.in_reply_to
    return format_html(
        ' <span class="post__context">{}<a href="{}">{}</a>{}</span>',
        before,
        ctx.post_url(conditional_escape(context.post_id)),
        context.author_name or ctx.texts.former_member,
        after,
    )


def _actions(row: PostRow, ctx: PostMarkupContext, pk: SafeString) -> SafeString:
    """The post's footer: its votes, then what this reader may do to it."""
    post = row.post
    texts = ctx.texts
    if row.can_vote:
        html = format_html(
            '<form class="vote js-vote" method="post" action="{}">{}</form>',
            ctx.vote_url(pk),
            ctx.vote_form_inside(row.my_vote, post.vote_score),
        )
    else:
        html = ctx.readonly_vote(post.vote_score)
    if row.can_reply:
        html += format_html(
            _REPLY_AND_QUOTE if not post.is_hidden else _REPLY,
            reply_url=ctx.reply_url,
            pk=pk,
            reply=texts.reply,
            quote_url=ctx.quote_url(pk),
            quote=texts.quote,
        )
    if row.can_edit:
        html += format_html(
            '<a class="post__action" href="{}">{}</a>', ctx.edit_url(pk), texts.edit
        )
    if row.can_see_history:
        html += format_html(
            '<a class="post__action" href="{}">{}</a>', ctx.history_url(pk), texts.history
        )
    if row.can_accept and not row.is_accepted:
        html += format_html(
            '<form class="post__action-form" method="post" action="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="button button--secondary button--small">'
            "{}</button></form>",
            ctx.accept_url(pk),
            ctx.csrf_token,
            texts.accept,
        )
    elif row.is_accepted and ctx.can_accept:
        html += format_html(
            '<form class="post__action-form" method="post" action="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="button button--ghost button--small">{}</button>'
            "</form>",
            ctx.unaccept_url,
            ctx.csrf_token,
            texts.unaccept,
        )
    if ctx.reader_id is not None and post.author_id != ctx.reader_id and not post.is_hidden:
        html += format_html(
            '<a class="post__action" href="{}">{}</a>', ctx.flag_url(pk), texts.flag
        )
    if ctx.is_moderator:
        html += format_html(
            '<a class="post__action" href="{}">{}</a>', ctx.moderate_url(pk), texts.moderate
        )
    return html


def _time_text(local: datetime, ctx: PostMarkupContext) -> str:
    """``j M Y, H:i`` of a time already in the reader's time zone."""
    return f"{local.day} {ctx.texts.months[local.month - 1]} {local:%Y, %H:%M}"


def _edited(edited_at: datetime | None, ctx: PostMarkupContext) -> SafeString:
    """The "edited <time>" after the post's time: everyone sees that a post was edited and
    when (only its author and moderators see the history)."""
    if edited_at is None:
        return ctx.texts.edited_html
    before, after = ctx.texts.edited_at
    local = edited_at.astimezone(ctx.time_zone)
    return format_html(
        ' <span class="post__edited muted">{}<time datetime="{}">{}</time>{}</span>',
        before,
        local.isoformat(),
        _time_text(local, ctx),
        after,
    )


def _article_values(row: PostRow, ctx: PostMarkupContext) -> dict[str, object]:
    """The values for ``_ARTICLE``."""
    post = row.post
    texts = ctx.texts
    pk = conditional_escape(post.pk)
    classes = _INDENT_CLASSES[row.indent]
    if post.depth == 0:
        classes += _OPENING_CLASS
    if row.is_accepted:
        classes += _ACCEPTED_CLASS
    if post.is_hidden:
        classes += _HIDDEN_CLASS
    after_time = SafeString()
    if post.edit_count:
        after_time += _edited(post.edited_at, ctx)
    if row.is_accepted:
        after_time += texts.accepted_html
    if post.is_hidden and not ctx.is_moderator:
        if ctx.reader_id is not None and post.author_id == ctx.reader_id:
            before, after = texts.hidden_for_author
            body = format_html(
                '<p class="post__body post__body--hidden muted">{}{}{}</p>',
                before,
                post.hidden_reason,
                after,
            )
        else:
            body = texts.hidden_html
    else:
        # The one markup taken as it is: sanitised by the Markdown pipeline when saved.
        stored = mark_safe(post.body_html)  # noqa: S308
        body = format_html('<div class="post__body prose">{}</div>', stored)
        if post.is_hidden:
            body = texts.hidden_for_moderators_html + body
    if row.author_name is None:
        author_class, author, organisation = _GONE_AUTHOR_CLASS, texts.former_member, SafeString()
    else:
        author_class = _AUTHOR_CLASS
        author, organisation = ctx.author(row.author_name, row.author_organisation)
    created = post.created_at.astimezone(ctx.time_zone)
    return {
        "classes": classes,
        "pk": pk,
        "depth": _number_html(post.depth),
        "author_class": author_class,
        "author": author,
        "organisation": organisation,
        "reply_context": _reply_context(row, ctx),
        "url": ctx.post_url(pk),
        "link_title": texts.link_to_post,
        "iso_time": created.isoformat(),
        "time": _time_text(created, ctx),
        "after_time": after_time,
        "body": body,
        "actions": _actions(row, ctx, pk),
    }


def post_html(row: PostRow, ctx: PostMarkupContext) -> SafeString:
    """One post as an ``<article id="post-<id>">``."""
    return format_html(_ARTICLE, **_article_values(row, ctx))


def posts_html(rows: list[PostRow], ctx: PostMarkupContext) -> SafeString:
    return format_html_join("\n", _ARTICLE, (_article_values(row, ctx) for row in rows))
