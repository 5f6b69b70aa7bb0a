"""The suite's own isolation rule (tests/conftest.py): every transactional test restores the
data migrations' rows by serialized rollback, however its ``django_db`` marker is written.

Without it, the test's closing flush re-runs post_migrate, which recreates the role groups
under new ids, and the next serialized restore fails on ``UNIQUE auth_group.name``.
"""

import pytest
from django.contrib.auth.models import Group


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_marked_on_the_function_gets_a_serialized_rollback(request):
    marker = request.node.get_closest_marker("django_db")
    assert marker.kwargs == {"transaction": True, "serialized_rollback": True}
    assert Group.objects.exists()  # the role groups the migrations made are there


def test_every_collected_transactional_test_gets_a_serialized_rollback(request):
    transactional = [
        item
        for item in request.session.items
        if (marker := item.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ]
    assert transactional, "this file holds one transactional test itself"
    plain = [
        item.nodeid
        for item in transactional
        if "serialized_rollback" not in item.get_closest_marker("django_db").kwargs
    ]
    assert plain == []
