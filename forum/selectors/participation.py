"""The forum's part of a member's participation, for their trust level
(``members.services.trust``, registered in ``forum.apps``).

Three queries for any number of members: posts written and not hidden, up-votes received on
those posts, and answers accepted. Read tracking will add ``posts_read``.
"""

from collections.abc import Sequence

from django.db.models import Count

from forum.models import Post, Thread, Vote
from members.services.trust import Participation


def forum_participation(user_ids: Sequence[int]) -> dict[int, Participation]:
    if not user_ids:
        return {}
    written = dict(
        Post.objects.filter(author_id__in=user_ids, is_hidden=False)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    upvotes = dict(
        Vote.objects.filter(
            post__author_id__in=user_ids, post__is_hidden=False, value=Vote.Value.UP
        )
        .values("post__author_id")
        .annotate(n=Count("id"))
        .values_list("post__author_id", "n")
    )
    accepted = dict(
        Thread.objects.filter(
            accepted_answer__author_id__in=user_ids, accepted_answer__is_hidden=False
        )
        .values("accepted_answer__author_id")
        .annotate(n=Count("id"))
        .values_list("accepted_answer__author_id", "n")
    )
    return {
        pk: Participation(
            posts_written=written.get(pk, 0),
            upvotes_received=upvotes.get(pk, 0),
            accepted_answers=accepted.get(pk, 0),
        )
        for pk in user_ids
    }
