import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import roles
from members.models import Profile, User
from members.services.accounts import account_delete
from members.services.profiles import profile_update
from tests.factories.members import MemberFactory, UserFactory
from tests.factories.taxonomy import country, topic
from tests.members.test_profile_services import image_upload

pytestmark = pytest.mark.django_db

WELCOME = "/members/welcome/"
EDIT = "/members/profile/edit/"


def welcome_data(**overrides):
    data = {
        "display_name": "Nia",
        "specialist_group": "pcc",
        "notification_email": "immediate",
    }
    data.update(overrides)
    return data


def edit_data(**overrides):
    data = {"display_name": "Nia", "notification_email": "immediate"}
    data.update(overrides)
    return data


@pytest.fixture
def newcomer_client(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


def test_the_welcome_step_is_where_new_accounts_land(newcomer_client):
    response = newcomer_client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith(WELCOME)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "<script>"}, "country"),
        ({"specialist_group": ""}, "specialist_group"),
        ({"specialist_group": "martians"}, "specialist_group"),
        ({"specialist_group": "other", "other_specialist_group": " "}, "other_specialist_group"),
        ({"notification_email": "hourly"}, "notification_email"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "me@example.org"}, "display_name"),
        ({"expertise": ["no-such-topic"]}, "expertise"),
        ({"organisation_type": "cult"}, "organisation_type"),
    ],
)
def test_bad_welcome_input_is_reported_on_its_field(newcomer_client, overrides, field):
    response = newcomer_client.post(WELCOME, welcome_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Profile.objects.get(user=newcomer_client.user).is_onboarded
    assert roles.role_names(User.objects.get(pk=newcomer_client.user.pk)) == frozenset()


def test_an_unknown_country_has_a_clear_message(newcomer_client):
    country()  # at least one real country exists
    response = newcomer_client.post(WELCOME, welcome_data(country="ZZ"))
    assert response.context["form"].errors["country"] == [
        "We don't know that country. Choose one from the list."
    ]
    page = response.content.decode()
    assert 'id="id_country_error"' in page
    assert 'aria-describedby="id_country_helptext id_country_error"' in page


def test_choosing_another_specialist_group_makes_a_guest(newcomer_client):
    response = newcomer_client.post(
        WELCOME,
        welcome_data(specialist_group="other", other_specialist_group="Water Loss"),
    )
    assert response.status_code == 302
    assert roles.is_guest(User.objects.get(pk=newcomer_client.user.pk))


def test_the_welcome_step_returns_to_a_safe_next_url_only(newcomer_client):
    response = newcomer_client.post(
        f"{WELCOME}?next=https://evil.example/", welcome_data(next="https://evil.example/")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:profile", args=[newcomer_client.user.pk])


def test_profile_edit_saves_and_renders_markdown(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.post(
        EDIT,
        edit_data(
            display_name="Renamed",
            bio="**Bold** <script>alert(1)</script>",
            country=country().iso_alpha2,
            expertise=[topic("web-and-chatbots").slug],
            notification_email="none",
        ),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.user.display_name == "Renamed"
    assert "<strong>Bold</strong>" in profile.bio_html
    assert "<script" not in profile.bio_html
    assert profile.notification_email == "none"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("cv.pdf", b"%PDF-1.4 not an image", "application/pdf"),
            "not a picture",
        ),
        (SimpleUploadedFile("trick.png", b"GIF89a but truncated", "image/png"), "not a picture"),
        (None, "the limit is"),
    ],
)
def test_bad_avatar_uploads_are_field_errors(client, settings, upload, message):
    member = MemberFactory()
    client.force_login(member)
    if upload is None:  # an oversized, valid image
        settings.MEMBERS_AVATAR_MAX_BYTES = 2000
        upload = image_upload(size=(900, 900))
    response = client.post(EDIT, edit_data(avatar=upload))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["avatar"])
    assert message in errors
    assert not Profile.objects.get(user=member).avatar


def test_a_good_avatar_is_stored_resized(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.post(EDIT, edit_data(avatar=image_upload(size=(1200, 800))))
    assert response.status_code == 302
    assert Profile.objects.get(user=member).avatar.name.endswith(".webp")


def test_the_public_profile_shows_name_organisation_country_expertise_but_never_the_email(
    client,
):
    member = MemberFactory(email="private.person@example.org", display_name="Pat Public")
    profile_update(
        user=member,
        display_name="Pat Public",
        organisation="Harbour Water",
        country=country(),
        expertise=[topic("social-media")],
        bio="Hello",
    )
    response = client.get(f"/members/{member.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Pat Public", "Harbour Water", "Kenya", "Sub-Saharan Africa", "Social media"):
        assert text in page
    assert "private.person" not in page
    assert "@example.org" not in page


def test_deleted_and_unfinished_profiles_are_not_shown(client):
    member = MemberFactory()
    account_delete(user=member)
    assert client.get(f"/members/{member.pk}/").status_code == 404
    newcomer = UserFactory()
    assert client.get(f"/members/{newcomer.pk}/").status_code == 404
    assert client.get("/members/999999/").status_code == 404


def test_the_profile_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    member = MemberFactory()
    profile_update(
        user=member,
        display_name="Many Topics",
        expertise=[
            topic(slug) for slug in ("social-media", "web-and-chatbots", "tariffs-and-investment")
        ],
    )
    with django_assert_max_num_queries(4):
        assert client.get(f"/members/{member.pk}/").status_code == 200


def writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_reading_the_profile_and_privacy_pages_writes_nothing(client):
    """Every account has its profile from the start (members.receivers), so pages that show
    or export it only read: no get-or-create on the way."""
    member = MemberFactory()
    client.force_login(member)
    for url in (EDIT, "/members/privacy/", f"/members/{member.pk}/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert writes(queries) == [], url
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/members/privacy/export/").status_code == 200
    assert writes(queries) == []
