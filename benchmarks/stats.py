"""Percentiles and spread of timings (pure functions, unit-tested)."""

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with ``fraction`` of the values at or
    below it (``fraction`` in (0, 1]). Raises ValueError on no values."""
    if not values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("no values")
    return statistics.median(values)


def spread(values: Sequence[float]) -> float:
    """Half the range between the lowest and highest value (0 for one value): the ``±`` of a
    median over several runs."""
    if not values:
        raise ValueError("no values")
    return (max(values) - min(values)) / 2
