"""Front-end submission forms for members (no Wagtail admin needed).

"Save draft" needs only a title; "Submit for review" needs every required section. Free text
is Markdown, rendered to sanitised HTML by the service when saved. ``source_data()`` returns
the JSON-serialisable input the Submission keeps so the member can edit it later.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kb.models import CaseStudyPage, MethodGuidePage
from kb.models.pages import FIRST_YEAR, current_year
from kb.uploads import ALLOWED_EXTENSIONS, max_upload_size, validate_resource_upload
from taxonomy.models import Audience, Channel, Country, Region, Topic

MAX_UPLOADS = 3
MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with - or 1., links as [text](https://…).")

TAXONOMY_FIELDS = ("topics", "regions", "countries", "audiences", "channels")


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"— {obj.name}" if obj.parent_id else obj.name


def _markdown_field(
    label: "str | Promise", *, help_text: "str | Promise" = "", rows: int = 8
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=format_lazy("{} {}", help_text, MARKDOWN_HELP) if help_text else MARKDOWN_HELP,
    )


def _optional_choice_field(label: "str | Promise", choices) -> forms.ChoiceField:
    """A choice that may be left unstated (the empty value, offered first)."""
    return forms.ChoiceField(label=label, choices=[("", _("Not stated")), *choices], required=False)


def clean_plain_text(value: str, *, multiline: bool = False) -> str:
    """Trim and drop control characters from a plain-text field (templates escape the rest)."""
    allowed = "\n\t" if multiline else ""
    value = "".join(ch for ch in value if ch.isprintable() or ch in allowed)
    return value.strip()


class SubmissionForm(forms.Form):
    """Fields shared by case studies and method guides."""

    # Labels say "(required)" (what "Submit for review" needs); drafts need only a title.
    hide_optional_marker = True
    page_model: type = CaseStudyPage
    # Fields that may stay empty even when submitting for review (never required).
    optional_fields: tuple[str, ...] = (
        "regions",
        "countries",
        "audiences",
        "channels",
        "members_only",
        "remove_documents",
    )

    title = forms.CharField(max_length=200, label=_("Title"))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=320,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences for lists and search results (at most 320 characters)."),
    )
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least one."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several. Their regions are added for you."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.order_by("sort_order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Needed only when no country applies, e.g. “Global / multi-region”."),
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Audiences"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=2100, initial=current_year
    )
    members_only = forms.BooleanField(
        required=False,
        label=_("Members only"),
        help_text=_("Only members and guests can read the full page; others see the summary."),
    )
    resource_1 = forms.FileField(required=False, label=_("Resource 1"))
    resource_2 = forms.FileField(required=False, label=_("Resource 2"))
    resource_3 = forms.FileField(required=False, label=_("Resource 3"))
    remove_documents = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Remove attached files")
    )

    markdown_fields: tuple[str, ...] = ()

    def __init__(self, *args, submitting: bool = False, existing_documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.existing_documents = list(existing_documents)
        self.fields["remove_documents"].choices = [
            (str(document.pk), document.title) for document in self.existing_documents
        ]
        if not self.existing_documents:
            del self.fields["remove_documents"]
        accepted = ", ".join(ext.upper() for ext in ALLOWED_EXTENSIONS)
        for name in ("resource_1", "resource_2", "resource_3"):
            self.fields[name].help_text = _("Optional. %(types)s; at most %(size)s MB.") % {
                "types": accepted,
                "size": max_upload_size() // (1024 * 1024),
            }
            self.fields[name].widget.attrs["accept"] = ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)
        for name, field in self.fields.items():
            if name in self.optional_fields:
                field.required = False
            elif field.required:
                field.label = _("%(label)s (required)") % {
                    "label": field.label or name.replace("_", " ").capitalize()
                }
        if not submitting:
            for name, field in self.fields.items():
                if name != "title":
                    field.required = False

    def clean_title(self):
        return clean_plain_text(self.cleaned_data["title"])

    def clean_summary(self):
        return clean_plain_text(self.cleaned_data.get("summary") or "", multiline=True)

    def _clean_upload(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            validate_resource_upload(upload)
        return upload

    def clean_resource_1(self):
        return self._clean_upload("resource_1")

    def clean_resource_2(self):
        return self._clean_upload("resource_2")

    def clean_resource_3(self):
        return self._clean_upload("resource_3")

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.submitting
            and not cleaned_data.get("countries")
            and not cleaned_data.get("regions")
        ):
            if "countries" not in self.errors and "regions" not in self.errors:
                self.add_error(
                    "countries",
                    "Choose at least one country, or a region such as “Global / multi-region”.",
                )
        return cleaned_data

    @property
    def uploads(self) -> list:
        return [
            self.cleaned_data[name]
            for name in ("resource_1", "resource_2", "resource_3")
            if self.cleaned_data.get(name)
        ]

    @property
    def documents_to_remove(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove_documents", [])]

    def source_data(self) -> dict:
        """What the member typed, as JSON (taxonomy as primary keys), for editing later."""
        data = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("resource_") or name == "remove_documents":
                continue
            if name in TAXONOMY_FIELDS:
                data[name] = [term.pk for term in value or []]
            else:
                data[name] = value if value is not None else ""
        return data

    @classmethod
    def initial_from_source(cls, source: dict) -> dict:
        return {key: value for key, value in source.items() if key not in ("indicators", "steps")}


class CaseStudySubmissionForm(SubmissionForm):
    page_model = CaseStudyPage
    optional_fields = (
        *SubmissionForm.optional_fields,
        "population_served",
        "budget_band",
        "timeline",
        "results_summary",
        "contact",
    )
    markdown_fields = ("challenge", "objectives", "approach", "results_summary", "lessons")

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The utility, agency or group that did the work."),
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        choices=[("", _("Choose…")), *CaseStudyPage.ORGANISATION_TYPES],
    )
    population_served = forms.IntegerField(
        label=_("Population served"), min_value=0, max_value=2_000_000_000, required=False
    )
    challenge = _markdown_field(
        _("The challenge"), help_text=_("What problem did you face, and for whom?")
    )
    objectives = _markdown_field(
        _("Objectives"), help_text=_("What did you set out to change? Targets help."), rows=5
    )
    approach = _markdown_field(
        _("Approach"), help_text=_("What you did: messages, channels, partners, timing."), rows=12
    )
    budget_band = _optional_choice_field(_("Budget"), CaseStudyPage.BUDGET_BANDS)
    timeline = forms.CharField(
        label=_("Timeline"),
        max_length=120,
        required=False,
        help_text=_("e.g. March 2022 to June 2023"),
    )
    results_summary = _markdown_field(
        _("Results"), help_text=_("What changed? Add measured indicators below."), rows=6
    )
    lessons = _markdown_field(
        _("Lessons learned"), help_text=_("What would you do again, or differently?"), rows=6
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=255,
        required=False,
        help_text=_("Who others can ask: name and role. No email addresses."),
    )

    field_order = [
        "title", "summary", "organisation", "organisation_type", "population_served", "countries",
        "regions", "year", "timeline", "budget_band", "challenge", "objectives", "approach",
        "results_summary", "lessons", "topics", "audiences", "channels", "contact",
        "members_only", "resource_1", "resource_2", "resource_3", "remove_documents",
    ]  # fmt: skip

    def clean_organisation(self):
        return clean_plain_text(self.cleaned_data.get("organisation") or "")

    def clean_contact(self):
        contact = clean_plain_text(self.cleaned_data.get("contact") or "")
        if "@" in contact:
            raise ValidationError(_("Please leave out email addresses: the hub never shows them."))
        return contact


class MethodGuideSubmissionForm(SubmissionForm):
    page_model = MethodGuidePage
    optional_fields = (
        *SubmissionForm.optional_fields,
        "when_not_to_use",
        "effort",
        "cost_band",
        "skills_needed",
    )
    markdown_fields = ("purpose", "when_to_use", "when_not_to_use", "skills_needed")

    purpose = _markdown_field(_("Purpose"), help_text=_("What the method achieves."), rows=5)
    when_to_use = _markdown_field(_("When to use it"), rows=5)
    when_not_to_use = _markdown_field(_("When not to use it"), rows=4)
    effort = _optional_choice_field(_("Effort"), MethodGuidePage.EFFORT_LEVELS)
    cost_band = _optional_choice_field(_("Cost"), MethodGuidePage.COST_BANDS)
    skills_needed = _markdown_field(_("Skills needed"), rows=4)

    field_order = [
        "title", "summary", "purpose", "when_to_use", "when_not_to_use", "effort", "cost_band",
        "skills_needed", "year", "topics", "countries", "regions", "audiences", "channels",
        "members_only", "resource_1", "resource_2", "resource_3", "remove_documents",
    ]  # fmt: skip


class IndicatorForm(forms.Form):
    hide_optional_marker = True  # the whole row is optional; the fieldset says so
    indicator = forms.CharField(max_length=160, required=False, label=_("Indicator"))
    before = forms.CharField(max_length=60, required=False, label=_("Before"))
    after = forms.CharField(max_length=60, required=False, label=_("After"))
    unit = forms.CharField(max_length=40, required=False, label=_("Unit"))

    def clean(self):
        cleaned_data = super().clean()
        for key in ("indicator", "before", "after", "unit"):
            cleaned_data[key] = clean_plain_text(cleaned_data.get(key) or "")
        if any(cleaned_data.values()):
            if not cleaned_data["indicator"]:
                self.add_error("indicator", _("Name the indicator."))
            if not cleaned_data["after"]:
                self.add_error("after", _("Give the value after the work."))
        return cleaned_data


class StepForm(forms.Form):
    hide_optional_marker = True  # rows left empty are ignored; the fieldset says so
    title = forms.CharField(max_length=160, required=False, label=_("Step title"))
    details = forms.CharField(
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What to do"),
        help_text=MARKDOWN_HELP,
    )

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["title"] = clean_plain_text(cleaned_data.get("title") or "")
        if (cleaned_data.get("details") or "").strip() and not cleaned_data["title"]:
            self.add_error("title", _("Give this step a title."))
        return cleaned_data


class BaseRowFormSet(forms.BaseFormSet):
    """Rows that are left empty are ignored. ``min_filled`` rows are required on submit."""

    min_filled = 0
    missing_message = ""

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def filled_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if hasattr(form, "cleaned_data") and any(form.cleaned_data.values())
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.submitting and len(self.filled_rows()) < self.min_filled:
            raise ValidationError(self.missing_message)


class IndicatorFormSetBase(BaseRowFormSet):
    min_filled = 0


class StepFormSetBase(BaseRowFormSet):
    min_filled = 1
    missing_message = _("Describe at least one step.")


ROW_FORMS = {
    "indicators": (IndicatorForm, IndicatorFormSetBase, 4, 10),
    "steps": (StepForm, StepFormSetBase, 6, 12),
}
FORMS_BY_KIND = {
    "case-study": (CaseStudySubmissionForm, "indicators"),
    "method-guide": (MethodGuideSubmissionForm, "steps"),
}


def row_formset(rows: str, *, data=None, initial=None, submitting: bool = False):
    """The indicators or steps formset, with enough blank rows to add more without
    JavaScript (rows left blank are ignored)."""
    form_class, base, shown, maximum = ROW_FORMS[rows]
    initial = list(initial or [])
    formset_class = forms.formset_factory(
        form_class,
        formset=base,
        extra=max(1, shown - len(initial)),
        max_num=maximum,
        absolute_max=maximum,
    )
    return formset_class(data=data, initial=initial, prefix=rows, submitting=submitting)
