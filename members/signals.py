"""Signals members sends for higher layers (connect to them in ``AppConfig.ready()``)."""

from django.dispatch import Signal

account_deleting = Signal()
"""Sent inside the deletion transaction, before personal data is erased, with ``user``.

Receivers erase or anonymise their own personal data for that user (subscriptions, drafts,
votes...). Content others rely on, such as forum posts, stays: the user row remains and reads
"Former member" everywhere.
"""
