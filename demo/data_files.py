"""The demo data files (``demo/data/<app>/*.yaml``): loading, and checking them on load.

Each seeder declares the shape of its files with ``Record``, ``ListOf`` and ``Choice`` and
reads them with ``load_data``. A file that does not match (a missing or misspelt key, a value
of the wrong type, an unknown taxonomy slug, author or category) stops seeding with a
``DemoDataError`` naming the file, the entry and the key, instead of a ``KeyError`` deep in a
service or, worse, content that is silently dropped.
"""

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A demo data file is missing, is not valid YAML or does not match its declared shape."""


@dataclass(frozen=True)
class Choice:
    """A string from a known set: taxonomy slugs in the database, keys of another file."""

    values: Collection[str]
    what: str  # names the set in messages: "topic slug", "author"


@dataclass(frozen=True)
class ListOf:
    """A list whose items all have the shape ``item``; ``unique_by`` names a key no two share."""

    item: "Shape"
    unique_by: str = ""


@dataclass(frozen=True)
class Record:
    """A mapping with ``required`` and ``optional`` keys; any other key is a mistake.

    ``label`` names the key whose value identifies an entry in messages (a slug or title).
    ``optional`` may be filled in after construction, for a record that nests itself.
    """

    required: Mapping[str, "Shape"]
    optional: dict[str, "Shape"] = field(default_factory=dict)
    label: str = ""


# A Python type (str, int, bool) or a tuple of them, or one of the declarations above.
Shape = type | tuple[type, ...] | Choice | ListOf | Record


def load_data(relative_path: str, shape: Shape):
    """Read ``demo/data/<relative_path>`` and return its content once it matches ``shape``."""
    path = DATA_DIR / relative_path
    name = f"demo/data/{relative_path}"
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError:
        raise DemoDataError(f"{name}: the file is missing.") from None
    except yaml.YAMLError as error:
        raise DemoDataError(f"{name}: not valid YAML: {error}") from None
    return check_data(data, shape, name=name)


def check_data(data, shape: Shape, *, name: str):
    """Return ``data`` once it matches ``shape``; otherwise raise ``DemoDataError`` starting
    with ``name`` (a file name) and naming the entry and key (for data read from any file)."""
    problem = _check(data, shape, [])
    if problem is not None:
        where, message = problem
        raise DemoDataError(
            f"{name}: {_describe(where)}: {message}" if where else f"{name}: {message}"
        )
    return data


def _check(value, shape: Shape, where: list[str]) -> tuple[list[str], str] | None:
    """The first mismatch as (location, message), or None when ``value`` fits ``shape``."""
    if isinstance(shape, Record):
        return _check_record(value, shape, where)
    if isinstance(shape, ListOf):
        return _check_list(value, shape, where)
    if isinstance(shape, Choice):
        if not isinstance(value, str):
            return where, f"expected a {shape.what}, got {_kind(value)}"
        if value not in shape.values:
            return where, f"unknown {shape.what} {value!r}{_did_you_mean(value, shape.values)}"
        return None
    types = shape if isinstance(shape, tuple) else (shape,)
    # YAML booleans are Python ints too: an int field must not accept `yes`.
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        expected = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
        return where, f"expected {expected}, got {_kind(value)}"
    return None


def _check_record(value, shape: Record, where: list[str]):
    if not isinstance(value, dict):
        return where, f"expected a mapping of keys to values, got {_kind(value)}"
    allowed = {**shape.required, **shape.optional}
    for key in value:
        if key not in allowed:
            hint = _did_you_mean(str(key), allowed)
            return where, f"unknown key {key!r}{hint}; allowed keys: {', '.join(allowed)}"
    for key in shape.required:
        if key not in value:
            return where, f"missing key {key!r}"
    for key, item_shape in allowed.items():
        if key in value:
            problem = _check(value[key], item_shape, [*where, key])
            if problem is not None:
                return problem
    return None


def _check_list(value, shape: ListOf, where: list[str]):
    if not isinstance(value, list):
        return where, f"expected a list, got {_kind(value)}"
    seen = set()
    for index, item in enumerate(value):
        # A top-level list is numbered from 1 for people; a nested one is indexed like YAML paths.
        step = f"{where[-1]}[{index}]" if where else f"entry {index + 1}"
        label = getattr(shape.item, "label", "")
        if label and isinstance(item, dict) and isinstance(item.get(label), str | int):
            step += f" ({item[label]!r})"
        item_where = [*where[:-1], step]
        problem = _check(item, shape.item, item_where)
        if problem is not None:
            return problem
        if shape.unique_by:
            key = item[shape.unique_by]
            if key in seen:
                return item_where, f"{shape.unique_by} {key!r} appears twice"
            seen.add(key)
    return None


def _describe(where: list[str]) -> str:
    """``entry 3 'slug'`` then the keys inside it: ``entry 3 'x', key replies[0].author``."""
    if where[0].startswith("entry "):
        return where[0] + (f", key {'.'.join(where[1:])}" if len(where) > 1 else "")
    return f"key {'.'.join(where)}"


def _did_you_mean(value: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(value, [str(k) for k in known], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a number"}


def _kind(value) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true or false ({value})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{_TYPE_NAMES.get(type(value), type(value).__name__)} ({value!r})"
