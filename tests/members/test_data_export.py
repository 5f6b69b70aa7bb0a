import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from members.data_export import member_data_export, register_exporter, unregister_exporter
from members.services.notifications import notification_create
from members.services.profiles import profile_onboard
from tests.factories.members import UserFactory
from tests.factories.taxonomy import country, topic

pytestmark = pytest.mark.django_db


def test_the_export_holds_account_profile_roles_and_notifications():
    user = UserFactory(email="me@example.org")
    profile_onboard(
        user=user,
        display_name="Me",
        specialist_group="pcc",
        notification_email="daily",
        organisation="Utility",
        country=country(),
        expertise=[topic("social-media")],
        bio="Hello **there**",
    )
    notification_create(recipient=user, kind="forum.reply", title="A reply")
    data = member_data_export(type(user).objects.get(pk=user.pk))
    json.dumps(data, cls=DjangoJSONEncoder)  # serialisable as a whole
    assert data["account"]["email"] == "me@example.org"
    assert data["account"]["email_addresses"] == [
        {"email": "me@example.org", "verified": True, "primary": True}
    ]
    assert data["profile"]["country"] == {"name": "Kenya", "iso_alpha2": "KE"}
    assert data["profile"]["region"] == "Sub-Saharan Africa"
    assert data["profile"]["expertise"] == ["Social media"]
    assert data["profile"]["bio_markdown"] == "Hello **there**"
    assert data["profile"]["notification_email"] == "daily"
    assert data["roles"]["current"] == ["member"]
    assert [n["title"] for n in data["notifications"]] == ["A reply"]


def test_higher_apps_add_their_sections_through_the_registry():
    def posts(user):
        return [{"title": f"Post by {user.pk}"}]

    register_exporter("forum_posts", posts)
    try:
        user = UserFactory()
        assert member_data_export(user)["forum_posts"] == [{"title": f"Post by {user.pk}"}]
        with pytest.raises(ValueError, match="already registered"):
            register_exporter("forum_posts", lambda user: [])
        with pytest.raises(ValueError, match="members itself"):
            register_exporter("profile", lambda user: [])
    finally:
        unregister_exporter("forum_posts")
