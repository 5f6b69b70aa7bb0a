"""Member profiles: who someone is professionally, what they know, and how to reach them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    UTILITY = "utility", _("Utility")
    GOVERNMENT = "government", _("Government")
    REGIONAL = "regional", _("Regional organisation")
    CONSULTANCY = "consultancy", _("Consultancy")
    ACADEMIA = "academia", _("Academia")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class SpecialistGroup(models.TextChoices):
    """The specialist group a member belongs to; it decides their base role at onboarding.

    PCC members become ``member``; members of another specialist group become ``guest``.
    """

    PCC = "pcc", _("Public and Customer Communications (PCC)")
    OTHER = "other", _("Another specialist group")


class NotificationEmail(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one email per notification")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    NONE = "none", _("No email (in-app only)")


class TrustLevel(models.IntegerChoices):
    """How far the community trusts a member; rises with participation (``members.services.trust``).

    Level 0 is probation for new accounts: tighter rate limits, no links or images in the first
    posts, and their flags do not count towards auto-hiding a post.
    """

    PROBATION = 0, _("new member (probation)")
    BASIC = 1, _("basic")
    MEMBER = 2, _("member")
    REGULAR = 3, _("regular")
    LEADER = 4, _("leader")


def avatar_upload_path(instance: "Profile", filename: str) -> str:
    """A random name: the original file name can hold personal data and is never kept."""
    return f"avatars/{uuid.uuid4().hex}.webp"


class Profile(models.Model):
    """One per account (created with the account). The email address is never part of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
        verbose_name=_("user"),
    )
    organisation = models.CharField(max_length=200, blank=True, verbose_name=_("organisation"))
    organisation_type = models.CharField(
        max_length=20,
        choices=OrganisationType.choices,
        blank=True,
        verbose_name=_("organisation type"),
    )
    country = models.ForeignKey(
        "taxonomy.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_profiles",
        help_text=_("Your country gives your region."),
        verbose_name=_("country"),
    )
    job_title = models.CharField(max_length=120, blank=True, verbose_name=_("job title"))
    expertise = models.ManyToManyField(
        "taxonomy.Topic",
        blank=True,
        related_name="expert_profiles",
        help_text=_("Topics you can answer questions on."),
        verbose_name=_("expertise"),
    )
    bio = models.TextField(
        blank=True,
        max_length=5000,
        help_text=_("Markdown: **bold**, *italic*, lists, links. No HTML."),
        verbose_name=_("bio"),
    )
    bio_html = models.TextField(
        blank=True,
        editable=False,
        help_text=_("``bio`` rendered and sanitised once, at save time."),
        verbose_name=_("bio HTML"),
    )
    avatar = models.ImageField(upload_to=avatar_upload_path, blank=True, verbose_name=_("avatar"))
    specialist_group = models.CharField(
        max_length=10,
        choices=SpecialistGroup.choices,
        blank=True,
        verbose_name=_("specialist group"),
    )
    other_specialist_group = models.CharField(
        _("name of your specialist group"), max_length=120, blank=True
    )
    notification_email = models.CharField(
        _("email me about notifications"),
        max_length=10,
        choices=NotificationEmail.choices,
        default=NotificationEmail.IMMEDIATE,
    )
    auto_follow_threads = models.BooleanField(
        _("follow threads I start or reply to"),
        default=True,
        help_text=_("Get notified of new replies in threads you took part in."),
    )
    trust_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices,
        default=TrustLevel.PROBATION,
        help_text=_("Rises automatically with participation; moderators can set it by hand."),
        verbose_name=_("trust level"),
    )
    trust_level_locked = models.BooleanField(
        default=False,
        help_text=_("Set by a moderator: participation no longer changes it automatically."),
        verbose_name=_("trust level set by hand"),
    )
    onboarded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the member completed the welcome steps."),
        verbose_name=_("onboarded at"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        permissions = [
            ("suspend_member", "Can suspend and reinstate member accounts"),
            ("change_member_roles", "Can promote and demote members between roles"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user.public_name}"

    @property
    def is_onboarded(self) -> bool:
        return self.onboarded_at is not None

    @property
    def region(self):
        """The SDG region, through the country (``select_related("country__region")``)."""
        return self.country.region if self.country_id else None

    @property
    def specialist_group_label(self) -> str:
        if self.specialist_group == SpecialistGroup.OTHER and self.other_specialist_group:
            return self.other_specialist_group
        return self.get_specialist_group_display()
