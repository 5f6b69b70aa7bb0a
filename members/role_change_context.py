"""Marks role changes made by ``members.services.roles``, so the audit receiver skips them.

Group changes made anywhere else (Wagtail's user editor, the shell) are still recorded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_active: ContextVar[bool] = ContextVar("members_role_service_active", default=False)


@contextmanager
def role_service_active() -> Iterator[None]:
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def is_role_service_active() -> bool:
    return _active.get()
