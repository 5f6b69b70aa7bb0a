import pytest

from benchmarks.stats import median, percentile, spread


def test_the_95th_percentile_is_the_nearest_rank_value():
    values = list(range(1, 101))
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.5) == 50
    assert percentile([7.0], 0.95) == 7.0


def test_percentile_does_not_depend_on_the_order_of_the_values():
    assert percentile([5, 1, 4, 2, 3], 0.95) == 5


def test_spread_is_half_the_range_and_zero_for_one_value():
    assert spread([10.0, 14.0, 12.0]) == 2.0
    assert spread([3.0]) == 0.0
    assert median([1.0, 3.0, 2.0]) == 2.0


@pytest.mark.parametrize("function", [median, spread, lambda v: percentile(v, 0.5)])
def test_no_values_is_an_error_rather_than_a_figure(function):
    with pytest.raises(ValueError, match="no values"):
        function([])
