"""The site's one pagination module: clamping, the links it offers, and its query cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import User
from pagination import page_window, paginate
from tests.factories.members import UserFactory


@pytest.mark.parametrize(
    ("asked", "shown"),
    [(None, 1), ("", 1), ("abc", 1), ("2", 2), (3, 3), ("0", 1), ("-4", 1), ("99", 3)],
)
def test_a_missing_malformed_or_out_of_range_page_number_shows_the_nearest_page(asked, shown):
    window = page_window(asked, total=25, per_page=10)
    assert window.number == shown
    assert window.num_pages == 3


def test_an_empty_list_has_one_page_and_no_navigation():
    window = page_window("5", total=0, per_page=10)
    assert (window.number, window.num_pages, window.is_paginated) == (1, 1, False)
    assert (window.start_index, window.end_index) == (0, 0)


def test_the_window_knows_its_slice_neighbours_and_item_positions():
    window = page_window(2, total=25, per_page=10)
    assert window.slice == slice(10, 20)
    assert (window.has_previous, window.previous_number) == (True, 1)
    assert (window.has_next, window.next_number) == (True, 3)
    assert (window.start_index, window.end_index) == (11, 20)
    last = page_window(3, total=25, per_page=10)
    assert not last.has_next
    assert (last.start_index, last.end_index) == (21, 25)


def test_links_show_the_ends_and_the_neighbours_with_gaps_between():
    assert page_window(10, total=200, per_page=10).links() == [
        1, None, 8, 9, 10, 11, 12, None, 20
    ]  # fmt: skip
    assert page_window(1, total=30, per_page=10).links() == [1, 2, 3]


@pytest.mark.django_db
def test_paginate_counts_once_fetches_one_page_and_clamps_past_the_end():
    UserFactory.create_batch(5)
    users = User.objects.order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        page = paginate(users, "99", 2)
    assert len(queries) == 2
    assert page.window.number == 3
    assert list(page.items) == list(users)[4:]
