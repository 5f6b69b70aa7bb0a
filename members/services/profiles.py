"""Changing profiles: edits, the welcome (onboarding) step, avatars.

The bio's Markdown is rendered to sanitised HTML here, once, and stored in ``bio_html``.
"""

from collections.abc import Iterable
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from markup import BIO, multiline_text, render_markdown, single_line_text
from members import roles
from members.avatars import resized_avatar, validate_avatar_upload
from members.models import NotificationEmail, OrganisationType, Profile, SpecialistGroup, User
from members.services.roles import user_roles_set
from taxonomy.models import Country, Topic


class ProfileFields(TypedDict, total=False):
    """The profile fields a member edits, as ``profile_update`` takes them (all optional)."""

    organisation: str
    organisation_type: str
    country: Country | None
    job_title: str
    expertise: Iterable[Topic]
    bio: str


def _profile_for_update(user: User) -> Profile:
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    organisation: str = "",
    organisation_type: str = "",
    country=None,
    job_title: str = "",
    expertise: Iterable = (),
    bio: str = "",
    notification_email: str | None = None,
) -> Profile:
    """Save the member's own profile edits. The specialist group is not editable here: it
    decides the base role, so changing it goes through an admin (see ``profile_onboard``)."""
    if user.is_former_member:
        raise ValidationError(_("A deleted account has no profile to edit."))
    display_name = single_line_text(display_name)
    if not display_name:
        raise ValidationError({"display_name": _("Enter the name other members will see.")})
    if organisation_type and organisation_type not in OrganisationType.values:
        raise ValidationError(
            {"organisation_type": _("Choose one of the listed organisation types.")}
        )
    profile = _profile_for_update(user)
    profile.organisation = single_line_text(organisation)
    profile.organisation_type = organisation_type
    profile.country = country
    profile.job_title = single_line_text(job_title)
    profile.bio = multiline_text(bio)
    profile.bio_html = render_markdown(profile.bio, BIO).html
    if notification_email is not None:
        if notification_email not in NotificationEmail.values:
            raise ValidationError({"notification_email": _("Choose one of the email options.")})
        profile.notification_email = notification_email
    profile.save()
    profile.expertise.set(list(expertise))
    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return profile


@transaction.atomic
def profile_onboard(
    *,
    user: User,
    display_name: str,
    specialist_group: str,
    notification_email: str,
    other_specialist_group: str = "",
    **profile_fields: Unpack[ProfileFields],
) -> Profile:
    """Complete the welcome step after email verification.

    Sets the profile (``profile_fields`` as ``profile_update`` takes them), the email
    preference and the base role that follows from the specialist group: PCC means ``member``,
    another group means ``guest``. A base role an admin already set is kept. Completing it
    twice just updates the profile.
    """
    if specialist_group not in SpecialistGroup.values:
        raise ValidationError({"specialist_group": _("Choose your specialist group.")})
    other_specialist_group = single_line_text(other_specialist_group)
    if specialist_group == SpecialistGroup.OTHER and not other_specialist_group:
        raise ValidationError(
            {"other_specialist_group": _("Tell us which specialist group you belong to.")}
        )
    if specialist_group == SpecialistGroup.PCC:
        other_specialist_group = ""
    profile = profile_update(
        user=user,
        display_name=display_name,
        notification_email=notification_email,
        **profile_fields,
    )
    first_time = profile.onboarded_at is None
    profile.specialist_group = specialist_group
    profile.other_specialist_group = other_specialist_group
    if first_time:
        profile.onboarded_at = timezone.now()
    profile.save(update_fields=["specialist_group", "other_specialist_group", "onboarded_at"])

    current = set(user.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))
    if first_time and not current & set(roles.BASE_ROLES):
        base_role = roles.MEMBER if specialist_group == SpecialistGroup.PCC else roles.GUEST
        user_roles_set(
            user=user,
            roles_wanted=current | {base_role},
            actor=None,
            note=f"Onboarding: specialist group {specialist_group}",
        )
    return profile


@transaction.atomic
def profile_avatar_set(*, user: User, upload) -> Profile:
    """Validate ``upload`` by content, store a resized copy, and delete the previous file once
    the transaction commits (a rollback keeps the old avatar intact)."""
    validate_avatar_upload(upload)
    profile = _profile_for_update(user)
    old_name = profile.avatar.name if profile.avatar else ""
    profile.avatar.save("avatar.webp", resized_avatar(upload), save=False)
    profile.save(update_fields=["avatar", "updated_at"])
    if old_name:
        _delete_file_on_commit(profile, old_name)
    return profile


@transaction.atomic
def profile_avatar_remove(*, user: User) -> Profile:
    profile = _profile_for_update(user)
    if profile.avatar:
        old_name = profile.avatar.name
        profile.avatar = ""
        profile.save(update_fields=["avatar", "updated_at"])
        _delete_file_on_commit(profile, old_name)
    return profile


def _delete_file_on_commit(profile: Profile, name: str) -> None:
    storage = profile.avatar.storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def profile_auto_follow_set(*, user: User, enabled: bool) -> bool:
    """Turn automatic following of the threads ``user`` starts or replies to on or off."""
    Profile.objects.filter(user_id=user.pk).update(auto_follow_threads=enabled)
    return enabled
