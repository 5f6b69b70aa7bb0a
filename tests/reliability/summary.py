"""What the fault suites injected and lost, printed at the end of the run for the issue note."""

_faults: dict[str, int] = {}
_lost: dict[str, int] = {}


def record(kind: str, *, faults: int, lost: int) -> None:
    """``faults`` real faults of ``kind`` were injected; ``lost`` items went missing (or twice)."""
    _faults[kind] = _faults.get(kind, 0) + faults
    _lost[kind] = _lost.get(kind, 0) + lost


def lines() -> list[str]:
    if not _faults:
        return []
    rows = [
        f"{kind}: {count} fault(s) injected, {_lost[kind]} item(s) lost or duplicated"
        for kind, count in sorted(_faults.items())
    ]
    rows.append(
        f"total: {sum(_faults.values())} fault(s) injected, {sum(_lost.values())} item(s) lost"
    )
    return rows
