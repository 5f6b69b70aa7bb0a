"""Domain errors raised by forum services. Views translate them; they never reach users raw."""


class ForumError(Exception):
    """Base class. ``message`` is a complete sentence fit to show the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(ForumError):
    """The user may not do this (a view answers 403, or 404 where the thing must stay hidden)."""


class ValidationError(ForumError):
    """The input is unacceptable; ``field`` names the form field to attach the message to."""
