import pytest
from django.test import Client

from members.models import Profile
from members.services.profiles import profile_update
from tests.factories.members import MemberFactory, UserFactory
from tests.factories.taxonomy import country, topic

pytestmark = pytest.mark.django_db


def member_in(iso, name, m49, region, organisation_type="utility", topics=(), **kwargs):
    user = MemberFactory(**kwargs)
    profile_update(
        user=user,
        display_name=user.display_name,
        organisation_type=organisation_type,
        country=country(iso, name, m49, region),
        expertise=[topic(slug) for slug in topics],
    )
    return user


@pytest.fixture
def people():
    return {
        "kenyan": member_in("KE", "Kenya", "404", "sub-saharan-africa", topics=["social-media"],
                            display_name="Kamau Kenya"),
        "brazilian": member_in("BR", "Brazil", "076", "latin-america-and-the-caribbean",
                               organisation_type="government", topics=["tariffs-and-investment"],
                               display_name="Bia Brazil"),
        "ghanaian": member_in("GH", "Ghana", "288", "sub-saharan-africa",
                              organisation_type="academia", display_name="Gifty Ghana"),
    }  # fmt: skip


@pytest.fixture
def viewer(client):
    user = MemberFactory(display_name="Viewer")
    client.force_login(user)
    return user


def names(response):
    return sorted(profile.user.display_name for profile in response.context["profiles"])


def test_visitors_are_asked_to_sign_in():
    response = Client().get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_account_without_a_role_is_refused(client):
    user = UserFactory()
    Profile.objects.filter(user=user).update(onboarded_at="2026-01-01T00:00:00Z")
    client.force_login(user)
    assert client.get("/members/").status_code == 403


def test_guests_may_use_the_directory(client, people):
    client.force_login(MemberFactory(roles=["guest"]))
    assert client.get("/members/").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KE", ["Kamau Kenya"]),
        ("country=ke", ["Kamau Kenya"]),
        ("region=sub-saharan-africa", ["Gifty Ghana", "Kamau Kenya"]),
        ("organisation_type=government", ["Bia Brazil"]),
        ("expertise=social-media", ["Kamau Kenya"]),
        ("expertise=digital-channels", ["Kamau Kenya"]),  # a parent topic includes its children
        ("region=sub-saharan-africa&organisation_type=academia", ["Gifty Ghana"]),
        ("q=bia", ["Bia Brazil"]),
    ],
)
def test_filters(client, people, viewer, query, expected):
    response = client.get(f"/members/?{query}")
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX", "country"),
        ("region=atlantis", "region"),
        ("organisation_type=cult", "organisation_type"),
        ("expertise=astrology", "expertise"),
    ],
)
def test_unknown_filter_values_are_reported_and_ignored(client, people, viewer, query, field):
    response = client.get(f"/members/?{query}")
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert len(names(response)) == 4  # the three people and the viewer


def test_the_directory_never_shows_email_addresses(client, people, viewer):
    page = client.get("/members/").content.decode()
    assert "@example.org" not in page


def test_a_page_number_out_of_range_shows_the_last_page(client, people, viewer):
    assert client.get("/members/?page=999").status_code == 200
    assert client.get("/members/?page=abc").status_code == 200


@pytest.mark.parametrize("extra_members", [0, 20])
def test_the_directory_query_count_does_not_grow_with_the_list(
    client, viewer, extra_members, django_assert_num_queries
):
    for index in range(extra_members):
        member_in(
            "KE", "Kenya", "404", "sub-saharan-africa", topics=["social-media", "web-and-chatbots"]
        )
    # session, user, roles, countries, regions, topics (filter choices), count, page, expertise
    # prefetch, unread badge
    with django_assert_num_queries(10):
        response = client.get("/members/")
    assert len(response.context["profiles"]) == extra_members + 1
