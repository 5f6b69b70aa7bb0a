"""Forms for profiles, the welcome step, the directory filters and account deletion.

Country, region and topic choices come from the shared ``taxonomy`` (the layer below members).
Every form reports problems on the field they concern.
"""

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from members.avatars import validate_avatar_upload
from members.models import NotificationEmail, OrganisationType, SpecialistGroup, User
from taxonomy.models import Country, Region, Topic


class CountryChoiceField(forms.ModelChoiceField):
    """Countries by ISO 3166-1 alpha-2 code, in any letter case."""

    default_error_messages = {
        "invalid_choice": _("We don't know that country. Choose one from the list."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class TopicMultipleChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not one of the hub's topics."),
        "invalid_pk_value": "“%(pk)s” is not one of the hub's topics.",
    }

    def label_from_instance(self, obj) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


def country_field(**kwargs) -> CountryChoiceField:
    return CountryChoiceField(
        queryset=Country.objects.select_related("region").order_by("name"),
        to_field_name="iso_alpha2",
        required=False,
        label=_("Country"),
        empty_label=_("— Choose your country —"),
        help_text=_("Your country gives your region."),
        **kwargs,
    )


def topics_in_tree_order():
    """Top-level topics in their order, each followed by its children."""
    return Topic.objects.select_related("parent").order_by(
        Coalesce("parent__sort_order", "sort_order"),
        Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True),
        "sort_order",
        "name",
    )


def expertise_field() -> TopicMultipleChoiceField:
    return TopicMultipleChoiceField(
        queryset=topics_in_tree_order(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Expertise"),
        help_text=_("Topics you can answer questions on."),
    )


class ProfileFieldsForm(forms.Form):
    """The profile fields shared by the welcome step and the profile editor."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown beside your posts. Your email address is never shown."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        choices=[("", _("— Choose a type —")), *OrganisationType.choices],
        required=False,
    )
    bio = forms.CharField(
        label=_("Bio"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists and links. HTML is shown as text."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = country_field()
        self.fields["expertise"] = expertise_field()
        self.order_fields(
            [
                "display_name",
                "job_title",
                "organisation",
                "organisation_type",
                "country",
                "expertise",
                "bio",
            ]
        )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name other members will see."))
        if "@" in name:
            raise forms.ValidationError(
                _("Please don't use an email address as your name: names are public.")
            )
        return name

    def profile_values(self) -> dict:
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "job_title": data.get("job_title", ""),
            "organisation": data.get("organisation", ""),
            "organisation_type": data.get("organisation_type", ""),
            "country": data.get("country"),
            "expertise": list(data.get("expertise") or []),
            "bio": data.get("bio", ""),
        }


class NotificationPreferenceField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            choices=NotificationEmail.choices,
            widget=forms.RadioSelect,
            label=_("Email me about notifications"),
            help_text=_(
                "Replies, mentions and review results always appear in your notifications "
                "list; this decides which of them also reach your inbox."
            ),
            **kwargs,
        )


class OnboardingForm(ProfileFieldsForm):
    specialist_group = forms.ChoiceField(
        choices=SpecialistGroup.choices,
        widget=forms.RadioSelect,
        label=_("Your specialist group"),
        help_text=_(
            "PCC members take part fully. Members of other specialist groups join as "
            "guests: they read everything and ask the PCC experts."
        ),
    )
    other_specialist_group = forms.CharField(
        max_length=120,
        required=False,
        label=_("Name of your specialist group"),
        help_text=_("Only if you chose another specialist group."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notification_email"] = NotificationPreferenceField(
            initial=NotificationEmail.IMMEDIATE
        )

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("specialist_group") == SpecialistGroup.OTHER
            and not (data.get("other_specialist_group") or "").strip()
        ):
            self.add_error(
                "other_specialist_group", _("Tell us which specialist group you belong to.")
            )
        return data


class ProfileForm(ProfileFieldsForm):
    avatar = forms.FileField(
        required=False,
        label=_("Profile picture"),
        help_text=_("JPEG, PNG, GIF or WebP, up to 2 MB. We crop it to a square."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(required=False, label=_("Remove my current picture"))

    def __init__(self, *args, has_avatar: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not has_avatar:
            del self.fields["remove_avatar"]
        self.fields["notification_email"] = NotificationPreferenceField()

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload:
            validate_avatar_upload(upload)
        return upload


class DirectoryFilterForm(forms.Form):
    """GET filters; invalid values are reported and ignored, never an error page."""

    hide_optional_marker = True

    q = forms.CharField(required=False, max_length=100, label=_("Name, organisation or job"))
    organisation_type = forms.ChoiceField(
        choices=[("", _("Any type")), *OrganisationType.choices],
        required=False,
        label=_("Organisation type"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = CountryChoiceField(
            queryset=Country.objects.order_by("name"),
            to_field_name="iso_alpha2",
            required=False,
            label=_("Country"),
            empty_label=_("Any country"),
        )
        self.fields["region"] = forms.ModelChoiceField(
            queryset=Region.objects.order_by("sort_order", "name"),
            to_field_name="slug",
            required=False,
            label=_("Region"),
            empty_label=_("Any region"),
            error_messages={"invalid_choice": _("We don't know that region.")},
        )
        self.fields["expertise"] = forms.ModelChoiceField(
            queryset=Topic.objects.select_related("parent").order_by(
                "parent__sort_order", "parent_id", "sort_order", "name"
            ),
            to_field_name="slug",
            required=False,
            label=_("Expertise"),
            empty_label=_("Any topic"),
            error_messages={"invalid_choice": _("We don't know that topic.")},
        )
        self.fields["expertise"].label_from_instance = lambda topic: (
            f"{topic.parent.name} › {topic.name}" if topic.parent_id else topic.name
        )
        self.order_fields(["q", "country", "region", "organisation_type", "expertise"])


class AccountDeleteForm(forms.Form):
    """Confirmation: the current password, or typing DELETE for accounts without one."""

    CONFIRMATION_WORD = "DELETE"

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                help_text=_("To make sure it is really you."),
            )
        else:
            self.fields["confirmation"] = forms.CharField(
                label=_("Type %(word)s to confirm") % {"word": self.CONFIRMATION_WORD},
                max_length=20,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."))
        return password

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"].strip()
        if value != self.CONFIRMATION_WORD:
            raise forms.ValidationError(
                _("Type %(word)s in capitals to confirm.") % {"word": self.CONFIRMATION_WORD}
            )
        return value


class VerificationResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
