"""Wagtail admin registration (taxonomy snippets) and the members-only teaser."""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kb import access
from kb.models import Audience, Channel, Country, GlossaryTerm, KnowledgePage, Region, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "parent", "slug", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    ordering = ["parent__sort_order", "sort_order", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel(
            "slug", help_text="Stable identifier used in URLs and filters: do not change it."
        ),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = ["name", "slug", "m49_code", "is_global"]
    search_fields = ["name", "slug"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("m49_code"),
        FieldPanel("is_global"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    menu_label = "Countries"
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
    menu_label = "Audiences"


class ChannelViewSet(FlatTermViewSet):
    model = Channel
    icon = "mail"
    menu_label = "Channels"


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = "Glossary"
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
    menu_label = "Taxonomy"
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


@hooks.register("on_serve_page", order=-10)
def serve_members_only_teaser(callback):
    """Runs before Wagtail's own view-restriction check. For a KB page the request may not
    read, show a teaser (title, summary, taxonomy) with a sign-in link instead of Wagtail's
    bare login redirect. Other page types keep Wagtail's behaviour."""

    def inner(page, request, serve_args, serve_kwargs):
        if isinstance(page, KnowledgePage) and access.failed_restrictions(page, request):
            if request.method not in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            response = TemplateResponse(
                request,
                "kb/members_only_teaser.html",
                {
                    "page": page,
                    "self": page,
                    "login_url": f"{reverse('account_login')}?{urlencode({'next': page.url})}",
                    "signed_in": request.user.is_authenticated,
                },
                status=403 if request.user.is_authenticated else 200,
            )
            add_never_cache_headers(response)
            return response
        return callback(page, request, serve_args, serve_kwargs)

    return inner
