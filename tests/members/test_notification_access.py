"""members.notification_access: the registry the apps above members answer through."""

import pytest
from django.contrib.auth.models import Group

from members import notification_access
from members.models import Notification
from members.services.notifications import notification_create
from tests.factories.forum import CategoryFactory, make_thread
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    """A provider that claims every key it is given and one it was not asked about."""
    calls = []

    def claim_all(user, keys):
        calls.append(set(keys))
        return set(keys) | {"never.asked:1"}

    notification_access.register_unreadable_keys_provider(claim_all)
    yield calls
    notification_access._providers.unregister(claim_all)


def test_only_keys_that_were_asked_about_can_be_reported_unreadable(provider):
    member = MemberFactory()
    assert notification_access.unreadable_group_keys(member, {"a:1", ""}) == {"a:1"}
    assert provider == [{"a:1"}]


def test_no_provider_is_asked_when_there_is_no_key(provider):
    assert notification_access.unreadable_group_keys(MemberFactory(), {""}) == set()
    assert provider == []


def test_the_forum_reports_threads_whose_category_the_member_can_no_longer_read():
    group = Group.objects.create(name="Board")
    member = MemberFactory()
    member.groups.add(group)
    closed = make_thread(category=CategoryFactory(restricted_to_group=group), author=member)
    open_ = make_thread(category=CategoryFactory())
    keys = {f"forum.thread:{closed.pk}", f"forum.thread:{open_.pk}", "forum.thread:0", "kb.pages"}
    assert notification_access.unreadable_group_keys(member, keys) == set()
    member.groups.remove(group)
    member = type(member).objects.get(pk=member.pk)
    assert notification_access.unreadable_group_keys(member, keys) == {f"forum.thread:{closed.pk}"}


def test_still_readable_keeps_the_order_and_drops_only_the_unreadable(provider):
    member = MemberFactory()
    kept = notification_create(recipient=member, kind="x", title="Kept", url="/")
    notification_create(recipient=member, kind="x", title="Dropped", url="/", group_key="b:2")
    later = notification_create(recipient=member, kind="x", title="Later", url="/")
    items = list(Notification.objects.filter(recipient=member).order_by("pk"))
    assert notification_access.still_readable(member, items) == [kept, later]
