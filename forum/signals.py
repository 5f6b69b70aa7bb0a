"""Signals the forum sends after it changes state, for apps above it (search) to react to.

They are sent by ``forum.services`` INSIDE the service's transaction, so a receiver that
writes (for example a search outbox row) commits or rolls back together with the change.
Receivers must be quick and must not call back into the forum's services.

- ``thread_saved(sender=Thread, thread=..., created=bool)``: a thread was created, or its
  title, opening post, accepted answer, votes or replies changed.
- ``post_saved(sender=Post, post=..., created=bool)``: a post was created, edited or voted on.
"""

from django.dispatch import Signal

thread_saved = Signal()
post_saved = Signal()
