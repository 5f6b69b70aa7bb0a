"""Counters the security suites fill while they run; printed at the end of the session."""

from tests.security import hostile

COUNTS: dict[str, int] = {}


def add(name: str, count: int) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + count


def lines() -> list[str]:
    out = []
    if hostile.SURFACES_TRIED:
        total = sum(hostile.SURFACES_TRIED.values())
        out.append(
            f"hostile inputs x surfaces tried: {total} "
            f"({len(hostile.CORPUS)} inputs, {len(hostile.SURFACES_TRIED)} surfaces)"
        )
        out += [f"  {name}: {n}" for name, n in sorted(hostile.SURFACES_TRIED.items())]
    out += [f"{name}: {n}" for name, n in sorted(COUNTS.items())]
    return out
