from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members import roles
from members.models import Profile, RoleChange, User
from members.services.profiles import (
    profile_avatar_remove,
    profile_avatar_set,
    profile_onboard,
    profile_update,
)
from tests.factories.members import UserFactory
from tests.factories.taxonomy import country, topic

pytestmark = pytest.mark.django_db


def image_upload(name="me.png", image_format="PNG", size=(600, 400), mode="RGB"):
    buffer = BytesIO()
    Image.new(mode, size, color=(10, 90, 140) if mode == "RGB" else None).save(
        buffer, format=image_format
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def test_every_new_account_gets_a_profile():
    user = UserFactory()
    assert Profile.objects.filter(user=user).exists()


def test_accounts_made_by_createsuperuser_and_create_user_get_a_profile():
    from django.core.management import call_command

    call_command("createsuperuser", email="root@example.org", interactive=False, verbosity=0)
    plain = User.objects.create_user(email="plain@example.org", password="Long-Enough-Pass-42")
    root = User.objects.get(email="root@example.org")
    assert Profile.objects.filter(user__in=[root, plain]).count() == 2


def test_profile_update_stores_fields_and_renders_the_bio_once():
    user = UserFactory()
    kenya = country()
    profile = profile_update(
        user=user,
        display_name="  Wanjiru K.  ",
        organisation="Nairobi Water",
        organisation_type="utility",
        country=kenya,
        job_title="Head of customer care",
        expertise=[topic("social-media"), topic("tariffs-and-investment")],
        bio="I run **SMS** campaigns. <script>x</script>",
    )
    profile.refresh_from_db()
    user.refresh_from_db()
    assert user.display_name == "Wanjiru K."
    assert profile.region.slug == "sub-saharan-africa"
    assert set(profile.expertise.values_list("slug", flat=True)) == {
        "social-media",
        "tariffs-and-investment",
    }
    assert "<strong>SMS</strong>" in profile.bio_html
    assert "<script" not in profile.bio_html


def test_profile_update_requires_a_display_name():
    with pytest.raises(ValidationError) as error:
        profile_update(user=UserFactory(), display_name="   ")
    assert "display_name" in error.value.message_dict


def test_onboarding_a_pcc_member_grants_the_member_role_and_logs_it():
    user = UserFactory()
    profile_onboard(
        user=user,
        display_name="Ana",
        specialist_group="pcc",
        notification_email="weekly",
    )
    user = type(user).objects.get(pk=user.pk)
    assert roles.is_member(user)
    assert user.profile.is_onboarded
    assert user.profile.notification_email == "weekly"
    change = RoleChange.objects.get(user=user)
    assert change.role == roles.MEMBER
    assert change.granted
    assert change.actor is None


def test_onboarding_someone_from_another_specialist_group_makes_them_a_guest():
    user = UserFactory()
    profile_onboard(
        user=user,
        display_name="Gus",
        specialist_group="other",
        other_specialist_group="Water Loss",
        notification_email="none",
    )
    user = type(user).objects.get(pk=user.pk)
    assert roles.is_guest(user)
    assert not roles.is_member(user)
    assert user.profile.specialist_group_label == "Water Loss"


def test_onboarding_with_another_group_needs_its_name():
    with pytest.raises(ValidationError) as error:
        profile_onboard(
            user=UserFactory(),
            display_name="Gus",
            specialist_group="other",
            notification_email="none",
        )
    assert "other_specialist_group" in error.value.message_dict


def test_onboarding_keeps_a_base_role_an_admin_already_set():
    user = UserFactory(roles=["guest"])
    profile_onboard(user=user, display_name="G", specialist_group="pcc", notification_email="none")
    user = type(user).objects.get(pk=user.pk)
    assert roles.role_names(user) == {roles.GUEST}


def test_avatar_is_resized_to_a_square_webp_with_a_random_name(settings):
    user = UserFactory()
    profile = profile_avatar_set(user=user, upload=image_upload("Jane Doe passport.png"))
    assert profile.avatar.name.startswith("avatars/")
    assert profile.avatar.name.endswith(".webp")
    assert "Jane" not in profile.avatar.name
    with Image.open(profile.avatar.path) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (256, 256)


def test_replacing_an_avatar_deletes_the_old_file(django_capture_on_commit_callbacks):
    user = UserFactory()
    first = profile_avatar_set(user=user, upload=image_upload()).avatar
    first_path = first.path
    with django_capture_on_commit_callbacks(execute=True):
        profile_avatar_set(user=user, upload=image_upload(image_format="JPEG"))
    import os

    assert not os.path.exists(first_path)


def test_removing_the_avatar_clears_it(django_capture_on_commit_callbacks):
    user = UserFactory()
    path = profile_avatar_set(user=user, upload=image_upload()).avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        profile = profile_avatar_remove(user=user)
    import os

    assert not profile.avatar
    assert not os.path.exists(path)


def test_a_file_named_like_an_image_but_not_an_image_is_refused():
    fake = SimpleUploadedFile("cat.png", b"<?php system($_GET['c']); ?>", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        profile_avatar_set(user=UserFactory(), upload=fake)
    assert error.value.code == "avatar_not_image"


def test_an_oversized_avatar_is_refused_before_decoding(settings):
    settings.MEMBERS_AVATAR_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        profile_avatar_set(user=UserFactory(), upload=image_upload(size=(800, 800)))
    assert error.value.code == "avatar_too_large"


def test_an_image_type_we_do_not_accept_is_refused():
    with pytest.raises(ValidationError) as error:
        profile_avatar_set(user=UserFactory(), upload=image_upload("a.bmp", image_format="BMP"))
    assert error.value.code == "avatar_wrong_format"


def test_profile_update_stores_text_without_nul_or_control_characters():
    # PostgreSQL refuses NUL in text columns; the service must not depend on the form.
    user = UserFactory()
    profile = profile_update(
        user=user,
        display_name="Ana\x00 Silva",
        organisation="Water\x00 Board",
        job_title="Lead\x1b",
        bio="<scr\x00ipt>\n\nHello",
    )
    profile.refresh_from_db()
    assert (user.display_name, profile.organisation, profile.job_title) == (
        "Ana Silva",
        "Water Board",
        "Lead",
    )
    assert "\x00" not in profile.bio
    assert "\x00" not in profile.bio_html
