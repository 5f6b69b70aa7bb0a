"""The taxonomy's Wagtail snippet admin: one "Taxonomy" menu with a list per kind of term.

Editors manage these (design.md section 2); the ``editor`` role group's permissions come from
the members migrations and ``members.role_permissions``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from taxonomy.models import Audience, Channel, Country, GlossaryTerm, Region, Topic


def term_panels(*kind_fields: str) -> list[FieldPanel]:
    """The edit form of a ``TaxonomyTerm`` kind: its shared fields around ``kind_fields``."""
    return [
        FieldPanel("name"),
        FieldPanel(
            "slug",
            help_text=_("Stable identifier used in URLs and filters: do not change it."),
        ),
        *(FieldPanel(name) for name in kind_fields),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "parent", "slug", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    ordering = ["parent__sort_order", "sort_order", "name"]
    panels = term_panels("parent")


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "slug", "m49_code", "is_global"]
    search_fields = ["name", "slug"]
    panels = term_panels("m49_code", "is_global")


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    menu_label = _("Countries")
    list_display = ["name", "iso_alpha2", "m49_code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "iso_alpha2", "m49_code"]
    list_per_page = 50
    panels = [
        FieldPanel("name"),
        FieldPanel("iso_alpha2"),
        FieldPanel("m49_code"),
        FieldPanel("slug"),
        FieldPanel("region"),
    ]


class FlatTermViewSet(SnippetViewSet):
    """A flat list of named, slugged, ordered terms (audiences, channels)."""

    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class AudienceViewSet(FlatTermViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")


class ChannelViewSet(FlatTermViewSet):
    model = Channel
    icon = "mail"
    menu_label = _("Channels")


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Glossary")
    list_display = ["term", "acronyms", "synonyms"]
    search_fields = ["term", "acronyms", "synonyms", "definition"]
    panels = [
        FieldPanel("term"),
        FieldPanel("slug"),
        FieldPanel("acronyms"),
        FieldPanel("synonyms"),
        FieldPanel("definition"),
    ]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_order = 250
    items = (
        TopicViewSet,
        RegionViewSet,
        CountryViewSet,
        AudienceViewSet,
        ChannelViewSet,
        GlossaryTermViewSet,
    )


register_snippet(TaxonomyViewSetGroup)
