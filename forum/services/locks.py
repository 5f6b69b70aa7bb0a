"""The order in which forum writes lock rows: thread first, then post.

A reply locks its thread, then updates the post it answers; every other change to a post
(vote, edit, flag, moderation) also updates its thread (at least its ``revision``, see
``forum.services.counters.thread_revisions_bump``). Taking the two locks in the same order
everywhere is what keeps two writers from waiting on each other in a circle (PostgreSQL
"deadlock detected"; tests/reliability/test_lock_order.py).
"""

from forum.models import Post, Thread


def post_thread_lock(post_id: int) -> None:
    """Lock the thread of post ``post_id``; call it before locking the post to change it."""
    thread_id = Post.objects.filter(pk=post_id).values_list("thread_id", flat=True).first()
    if thread_id is not None:
        Thread.objects.select_for_update(of=("self",)).filter(pk=thread_id).first()
