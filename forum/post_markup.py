"""HTML for posts on the thread page, built in Python for speed.

The thread page is the hottest page of the site (design.md section 7: p50 at most half the
fastest peer's with 100 posts per page). Rendering each post through Django template
includes cost about 0.7 ms per post, mostly in variable resolution and number localisation;
this module builds the same markup with ``str.format`` and explicit escaping in a tenth of
that. It is the only place post markup is defined: the thread page and the JSON answer for
inline replies both use ``post_html``.

Every value that did not come from ``Post.body_html`` (sanitised when saved) is escaped here.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forum.selectors.threads import PostRow

FORMER_MEMBER = "a former member"


@dataclass(frozen=True)
class PostMarkupContext:
    """What every post on a page shares: URL prefixes, the CSRF token, the reader's role."""

    post_base: str  # "/forum/p/"
    reply_url: str  # "/forum/t/<id>/reply/"
    unaccept_url: str  # "/forum/t/<id>/unaccept/"
    csrf_token: str
    is_moderator: bool
    can_accept: bool


def _author_html(name: str | None, organisation: str) -> str:
    if name is None:
        return f'<span class="author-name author-name--gone">{FORMER_MEMBER}</span>'
    html = f'<span class="author-name">{escape(name)}</span>'
    if organisation:
        html += f'<span class="author-organisation">{escape(organisation)}</span>'
    return html


def _vote_html(row: PostRow, ctx: PostMarkupContext) -> str:
    post = row.post
    if not row.can_vote:
        plural = "" if post.vote_score in (1, -1) else "s"
        return (
            f'<span class="vote vote--readonly"><span class="vote__score">{post.vote_score}'
            f"</span> vote{plural}</span>"
        )
    up = row.my_vote == 1
    down = row.my_vote == -1
    return (
        f'<form class="vote js-vote" method="post" action="{ctx.post_base}{post.pk}/vote/">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{ctx.csrf_token}">'
        f'<button type="submit" name="value" value="{"clear" if up else "up"}" '
        f'class="vote__button vote__button--up" aria-pressed="{"true" if up else "false"}">'
        '<span aria-hidden="true">▲</span><span class="visually-hidden">Vote up</span></button>'
        f'<span class="vote__score" data-score>{post.vote_score}</span>'
        '<span class="visually-hidden"> votes</span>'
        f'<button type="submit" name="value" value="{"clear" if down else "down"}" '
        f'class="vote__button vote__button--down" aria-pressed="{"true" if down else "false"}">'
        '<span aria-hidden="true">▼</span><span class="visually-hidden">Vote down</span></button>'
        "</form>"
    )


def _actions_html(row: PostRow, ctx: PostMarkupContext) -> str:
    post = row.post
    parts = [_vote_html(row, ctx)]
    if row.can_reply:
        parts.append(
            f'<a class="post__action js-reply" href="{ctx.reply_url}?to={post.pk}" '
            f'data-post-id="{post.pk}">Reply</a>'
        )
        if not post.is_hidden:
            parts.append(
                f'<a class="post__action js-quote" href="{ctx.reply_url}?quote={post.pk}" '
                f'data-quote-url="{ctx.post_base}{post.pk}/quote/" data-post-id="{post.pk}">'
                "Quote</a>"
            )
    if row.can_edit:
        parts.append(f'<a class="post__action" href="{ctx.post_base}{post.pk}/edit/">Edit</a>')
        if post.edit_count:
            parts.append(
                f'<a class="post__action" href="{ctx.post_base}{post.pk}/history/">History</a>'
            )
    if row.can_accept and not row.is_accepted:
        parts.append(
            f'<form class="post__action-form" method="post" '
            f'action="{ctx.post_base}{post.pk}/accept/">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{ctx.csrf_token}">'
            '<button type="submit" class="button button--secondary button--small">'
            "Accept this answer</button></form>"
        )
    elif row.is_accepted and ctx.can_accept:
        parts.append(
            f'<form class="post__action-form" method="post" action="{ctx.unaccept_url}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{ctx.csrf_token}">'
            '<button type="submit" class="button button--ghost button--small">Unaccept</button>'
            "</form>"
        )
    return "".join(parts)


def post_html(row: PostRow, ctx: PostMarkupContext) -> SafeString:
    """One post as an ``<article id="post-<id>">``."""
    post = row.post
    classes = f"post post--indent-{row.indent}"
    if post.depth == 0:
        classes += " post--opening"
    if row.is_accepted:
        classes += " post--accepted"
    if post.is_hidden:
        classes += " post--hidden"
    created = timezone.localtime(post.created_at)
    meta = [_author_html(row.author_name, row.author_organisation)]
    if row.reply_context is not None:
        context = row.reply_context
        name = escape(context.author_name) if context.author_name else FORMER_MEMBER
        meta.append(
            f'<span class="post__context">in reply to '
            f'<a href="{ctx.post_base}{context.post_id}/">{name}</a></span>'
        )
    meta.append(
        f'<a class="post__permalink" href="{ctx.post_base}{post.pk}/" title="Link to this post">'
        f'<time datetime="{created.isoformat()}">{created.day} {created:%b %Y, %H:%M}</time></a>'
    )
    if post.edit_count:
        meta.append('<span class="post__edited muted">edited</span>')
    if row.is_accepted:
        meta.append('<span class="tag tag--solved">Accepted answer</span>')
    if post.is_hidden and not ctx.is_moderator:
        body = (
            '<p class="post__body post__body--hidden muted">'
            "This post was hidden by a moderator.</p>"
        )
    else:
        body = f'<div class="post__body prose">{post.body_html}</div>'
        if post.is_hidden:
            body = '<p class="muted">Hidden from members by a moderator.</p>' + body
    return mark_safe(  # noqa: S308 - every interpolated value above is escaped or sanitised
        f'<article class="{classes}" id="post-{post.pk}" data-post-id="{post.pk}" '
        f'data-depth="{post.depth}">'
        f'<header class="post__meta">{" ".join(meta)}</header>'
        f"{body}"
        f'<footer class="post__actions">{_actions_html(row, ctx)}</footer>'
        "</article>"
    )


def posts_html(rows: list[PostRow], ctx: PostMarkupContext) -> SafeString:
    return mark_safe("\n".join(post_html(row, ctx) for row in rows))  # noqa: S308
