"""Typed readers for environment variables.

Settings modules call these instead of ``os.environ`` so that a missing or malformed
value fails at start-up with a message naming the variable, never later in a request.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable's value, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_required(name: str, *, hint: str = "") -> str:
    """Return the variable's value; raise ImproperlyConfigured naming it when unset or blank."""
    value = os.environ.get(name, "").strip()
    if not value:
        message = f"The environment variable {name} is required in this environment but is not set."
        if hint:
            message = f"{message} {hint}"
        raise ImproperlyConfigured(message)
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """Parse 1/0, true/false, yes/no, on/off (any case); anything else is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Split a comma-separated variable into a list, dropping blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]
