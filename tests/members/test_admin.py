import pytest
from allauth.mfa.totp.internal.auth import TOTP

from members import roles
from members.models import RoleChange, User
from members.services.roles import user_roles_set
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = MemberFactory()
    user_roles_set(user=admin, roles_wanted={roles.MEMBER, roles.ADMIN}, actor=None)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(admin)
    client.admin = admin
    return client


def test_an_admin_promotes_a_member_in_the_django_admin_and_it_is_logged(admin_client):
    member = MemberFactory(display_name="Promoted")
    page = admin_client.get(f"/django-admin/members/user/{member.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        "email": member.email,
        "display_name": member.display_name,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "roles": ["member", "moderator"],
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-user": str(member.pk),
        "profile-0-notification_email": "immediate",
    }
    assert "roles" in form.fields
    response = admin_client.post(f"/django-admin/members/user/{member.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert roles.role_names(User.objects.get(pk=member.pk)) == {roles.MEMBER, roles.MODERATOR}
    change = RoleChange.objects.get(user=member, role=roles.MODERATOR)
    assert change.actor == admin_client.admin
    assert change.via == "role service"


def test_the_user_list_shows_roles_without_a_query_per_row(
    admin_client, django_assert_max_num_queries
):
    for _ in range(10):
        MemberFactory()
    with django_assert_max_num_queries(12):
        assert admin_client.get("/django-admin/members/user/").status_code == 200


def test_an_admin_adds_an_account_by_email(admin_client):
    response = admin_client.post(
        "/django-admin/members/user/add/",
        {
            "email": "added@example.org",
            "usable_password": "true",
            "password1": "Tidal-Reservoir-Outreach-93",
            "password2": "Tidal-Reservoir-Outreach-93",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(email="added@example.org").profile is not None
