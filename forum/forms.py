"""Forms for starting threads, replying and editing.

Fields here only parse input and give the browser hints (required, maxlength); the rules and
their messages live in the services, and views attach a service's ValidationError to the
field it names. That keeps one source of truth for what is acceptable.
"""

import uuid

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from taxonomy.models import Region, Topic

BODY_HELP = _(
    "Markdown: **bold**, *italic*, [links](https://example.org), lists, > quotes, "
    "tables and `code`. Mention members with @Their-Name."
)


def _body_field(label: "str | Promise") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=BODY_HELP,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "required": True,
                "maxlength": BODY_MAX_LENGTH,
                "class": "js-markdown",
            }
        ),
    )


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class ThreadForm(forms.Form):
    # Fields are optional here only because the services judge them (see the module docstring).
    hide_optional_marker = True

    title = forms.CharField(
        label=_("Title"),
        required=False,
        widget=forms.TextInput(attrs={"required": True, "maxlength": TITLE_MAX_LENGTH}),
        help_text=format_lazy(
            _("A specific question or subject, up to {limit} characters."), limit=TITLE_MAX_LENGTH
        ),
    )
    body = _body_field(_("Details"))
    topics = TopicChoiceField(
        # Each top-level topic followed by its children.
        queryset=Topic.objects.select_related("parent").order_by(
            Coalesce("parent__sort_order", "sort_order"),
            Coalesce("parent_id", "id"),
            F("parent_id").asc(nulls_first=True),
            "sort_order",
            "name",
        ),
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to five."),
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(),
        label=_("Regions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Where this applies, if anywhere in particular."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class ReplyForm(forms.Form):
    hide_optional_marker = True

    body = _body_field(_("Your reply"))
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, body_label: str | None = None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        if body_label:
            self.fields["body"].label = body_label


class PostEditForm(forms.Form):
    hide_optional_marker = True

    title = forms.CharField(
        label=_("Title"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH}),
    )
    body = _body_field(_("Text"))
    edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, with_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
        else:
            self.fields["title"].widget.attrs["required"] = True
