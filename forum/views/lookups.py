"""The thread or post a forum view acts on: the selectors' readable objects, or a 404.

A thread or post the requester may not read is answered exactly like a missing one, so its
existence never leaks.
"""

from django.http import Http404, HttpRequest

from forum.models import Post, Thread
from forum.selectors.threads import readable_post, readable_thread


def thread_or_404(request: HttpRequest, pk: int) -> Thread:
    """The thread ``pk`` with its category, if the requester may read it; else ``Http404``."""
    thread = readable_thread(request.user, pk)
    if thread is None:
        raise Http404("No such thread.")
    return thread


def post_or_404(request: HttpRequest, pk: int) -> Post:
    """The post ``pk`` with its thread and category, if readable; else ``Http404``."""
    post = readable_post(request.user, pk)
    if post is None:
        raise Http404("No such post.")
    return post
