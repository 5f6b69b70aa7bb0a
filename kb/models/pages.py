"""Wagtail page types. Pages stay declarative: fields, panels, page-type rules, get_context.

Tree: HomePage -> KnowledgeIndexPage -> CaseStudyPage / MethodGuidePage. The index page also
serves the topic and region landing pages as routes (/knowledge/topics/<slug>/ and
/knowledge/regions/<slug>/); their reads live in ``kb.selectors``.

CaseStudyPage and MethodGuidePage share one concrete parent, KnowledgePage, which holds the
taxonomy. Filters, facet counts and "related" lists therefore query one table and one set of
many-to-many tables, whatever the page type.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kb import access
from kb.blocks import (
    RICH_TEXT_FEATURES,
    ProseStreamBlock,
    ResourcesStreamBlock,
    ResultsStreamBlock,
    StepsStreamBlock,
)
from kb.landing_contributions import landing_sections
from kb.seo import article_structured_data
from members.related_content import related_items
from taxonomy.models import Audience, Channel, Country, Region, Topic

FIRST_YEAR = 1950


def current_year() -> int:
    return datetime.date.today().year


def taxonomy_errors(*, topics, regions) -> dict[str, str]:
    """The publishing rule shared by the model and the admin form: a KB page needs at least one
    topic and one region (Global counts) before it can go live."""
    errors = {}
    if not topics:
        errors["topics"] = _("Choose at least one topic before publishing.")
    if not regions:
        errors["regions"] = _(
            "Choose at least one region before publishing (use “Global / multi-region” when "
            "the page is not about one region)."
        )
    return errors


class HomePage(Page):
    """The site root: an introduction and entry points into the KB, forum and search."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("intro"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    template = "kb/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from kb import selectors

        context = super().get_context(request, *args, **kwargs)
        latest = selectors.latest_pages(limit=4)
        context["latest_pages"] = latest
        context["latest_members_only_ids"] = access.members_only_ids(latest)
        context["regions"] = selectors.taxonomy_with_counts(Region).order_by("sort_order", "name")
        return context


class KnowledgeIndexPage(RoutablePageMixin, Page):
    """The knowledge base: filterable list of case studies and method guides, plus the topic
    and region landing pages as routes.

    Routes are named, so links are built with ``reverse_subpage`` (``{% topic_url %}`` and
    friends in kb_tags, or Wagtail's ``{% routablepageurl %}``), and rendered with
    ``self.render()``: the context is Wagtail's own (``page``, ``self``, ``request``) plus the
    route's reads. ``kb.selectors`` imports these models, so the routes import it when they
    run.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("intro"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["kb.HomePage"]
    subpage_types = ["kb.CaseStudyPage", "kb.MethodGuidePage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge index page")
        verbose_name_plural = _("knowledge index pages")

    template = "kb/knowledge_index_page.html"

    @path("", name="index")
    def index_route(self, request):
        from kb import selectors

        listing = selectors.knowledge_listing(query=request.GET, index_page=self)
        return self.render(request, context_overrides={"listing": listing})

    @path("topics/", name="topic_list")
    def topic_list_route(self, request):
        from kb import selectors

        return self.render(
            request,
            template="kb/topic_list.html",
            context_overrides={"topics": selectors.topic_tree_with_counts(self)},
        )

    @path("topics/<slug:slug>/", name="topic")
    def topic_route(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        return self._landing(
            request,
            term_kind="topic",
            term=topic,
            parent_topic=topic.parent,
            sub_topics=list(topic.children.all()),
        )

    @path("regions/", name="region_list")
    def region_list_route(self, request):
        from kb import selectors

        regions = selectors.taxonomy_with_counts(Region, self).order_by("sort_order", "name")
        return self.render(
            request, template="kb/region_list.html", context_overrides={"regions": regions}
        )

    @path("regions/<slug:slug>/", name="region")
    def region_route(self, request, slug):
        from kb import selectors

        region = get_object_or_404(Region, slug=slug)
        countries = selectors.region_countries_with_counts(region, self)
        return self._landing(request, term_kind="region", term=region, countries=countries)

    def _landing(self, request, *, term_kind: str, term, **extra):
        """A topic or region landing page: the listing fixed to ``term``, plus what higher
        layers contribute (kb.landing_contributions)."""
        from kb import selectors

        listing = selectors.knowledge_listing(
            query=request.GET, index_page=self, base_filters={term_kind: term}
        )
        return self.render(
            request,
            template="kb/landing_page.html",
            context_overrides={
                "listing": listing,
                "term": term,
                "term_kind": term_kind,
                "sections": landing_sections(request, **{term_kind: term}),
                **extra,
            },
        )

    def get_sitemap_urls(self, request=None):
        """The index itself plus one landing page per topic and region."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if base:
            for route, model in (("topic", Topic), ("region", Region)):
                for slug in model.objects.values_list("slug", flat=True):
                    location = base + self.reverse_subpage(route, kwargs={"slug": slug})
                    urls.append({"location": location})
        return urls


class KnowledgePageForm(WagtailAdminPageForm):
    """Admin form: publishing or submitting for moderation needs a topic and a region, and the
    editor sees what is missing on those fields. Saving a draft does not: Wagtail marks that
    save as deferred validation (``is_deferred_validation``), as it does for required fields.

    The form judges what the editor chose (the page's many-to-many values are only copied to
    the instance on save) and judges it whether or not the page is live yet, so publishing a
    draft is refused here with field errors instead of failing in ``KnowledgePage.save``.
    """

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation:
            errors = taxonomy_errors(
                topics=cleaned_data.get("topics"), regions=cleaned_data.get("regions")
            )
            for name, message in errors.items():
                if name not in self.errors:  # an unknown choice already says what is wrong
                    self.add_error(name, message)
        return cleaned_data


class KnowledgePage(Page):
    """Shared fields of every KB article: summary, year and the taxonomy.

    Not creatable itself. ``save()`` refuses to let a page be live without a topic and a
    region: Wagtail validates a live page on every save, which is also how a revision gets
    published (in the admin, by a workflow, in ``kb.services``); drafts may lack them.
    ``KnowledgePageForm`` applies the same rule in the admin, with field errors.
    """

    summary = models.TextField(
        max_length=320,
        help_text=_(
            "One or two sentences: shown in lists, to visitors who cannot read a "
            "members-only page, and to search engines."
        ),
        verbose_name=_("summary"),
    )
    year = models.PositiveSmallIntegerField(
        default=current_year,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)],
        help_text=_(
            "Case studies: the year the work ended (or its latest results). "
            "Guides: the year written or last revised."
        ),
        verbose_name=_("year"),
    )
    topics = ParentalManyToManyField(
        Topic, related_name="knowledge_pages", blank=True, verbose_name=_("topics")
    )
    regions = ParentalManyToManyField(
        Region, related_name="knowledge_pages", blank=True, verbose_name=_("regions")
    )
    countries = ParentalManyToManyField(
        Country, related_name="knowledge_pages", blank=True, verbose_name=_("countries")
    )
    audiences = ParentalManyToManyField(
        Audience, related_name="knowledge_pages", blank=True, verbose_name=_("audiences")
    )
    channels = ParentalManyToManyField(
        Channel, related_name="knowledge_pages", blank=True, verbose_name=_("channels")
    )
    is_illustrative = models.BooleanField(
        default=False,
        help_text=_("Demo content: shows a notice that the organisation and figures are invented."),
        verbose_name=_("illustrative example"),
    )

    base_form_class = KnowledgePageForm
    is_creatable = False
    parent_page_types = ["kb.KnowledgeIndexPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("year"),
    ]

    taxonomy_panels = [
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("countries"),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("channels", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name_plural = _("knowledge pages")
        verbose_name = _("knowledge page")

    def save(self, *args, clean=True, **kwargs):
        """Validate as Wagtail does (``clean=True`` on a live page), plus the taxonomy rule."""
        if clean and self.live:
            errors = taxonomy_errors(
                topics=self._selected("topics"), regions=self._selected("regions")
            )
            if errors:
                raise ValidationError(errors)
        return super().save(*args, clean=clean, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from kb import selectors

        context = super().get_context(request, *args, **kwargs)
        prefetch_related_objects(
            [self],
            Prefetch("topics", queryset=selectors.topics_in_tree_order()),
            "regions",
            "countries",
            "audiences",
            "channels",
        )
        paths = access.restricted_paths()
        # "Related" across the KB and the forum from search (members.related_content); the
        # KB's own taxonomy-based list when search has nothing to say.
        context["related_items"] = related_items(request, kind="kb.page", pk=self.pk)
        related = [] if context["related_items"] else selectors.related_pages(self)
        context["members_only"] = bool(access.members_only_ids([self], paths))
        context["related_pages"] = related
        context["related_members_only_ids"] = access.members_only_ids(related, paths)
        context["structured_data"] = article_structured_data(
            self, request, members_only=context["members_only"]
        )
        return context

    def _selected(self, field_name: str) -> list:
        """Current values of a parental many-to-many field, saved or still in memory."""
        return list(getattr(self, field_name).all())

    @property
    def kind_label(self) -> str:
        return self._meta.verbose_name.capitalize()

    def get_meta_description(self) -> str:
        return self.search_description or self.summary


class CaseStudyPage(KnowledgePage):
    """What a utility or agency did, for whom, with which channels, and whether it worked."""

    ORGANISATION_TYPES = [
        ("utility", _("Water or sanitation utility")),
        ("government", _("Government or ministry")),
        ("regulator", _("Regulator")),
        ("regional", _("Regional or international organisation")),
        ("ngo", _("NGO or community organisation")),
        ("consultancy", _("Consultancy")),
        ("research", _("University or research institute")),
    ]
    BUDGET_BANDS = [
        ("lt-10k", _("Under US$10,000")),
        ("10k-50k", _("US$10,000–50,000")),
        ("50k-250k", _("US$50,000–250,000")),
        ("250k-1m", _("US$250,000–1 million")),
        ("gt-1m", _("Over US$1 million")),
    ]

    organisation = models.CharField(max_length=200, verbose_name=_("organisation"))
    organisation_type = models.CharField(
        max_length=20, choices=ORGANISATION_TYPES, verbose_name=_("organisation type")
    )
    population_served = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("People served by the organisation, if known."),
        verbose_name=_("population served"),
    )
    challenge = RichTextField(features=RICH_TEXT_FEATURES, verbose_name=_("challenge"))
    objectives = RichTextField(features=RICH_TEXT_FEATURES, verbose_name=_("objectives"))
    approach = StreamField(ProseStreamBlock(), blank=True, verbose_name=_("approach"))
    budget_band = models.CharField(
        max_length=20, choices=BUDGET_BANDS, blank=True, verbose_name=_("budget band")
    )
    timeline = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("e.g. March 2022 to June 2023"),
        verbose_name=_("timeline"),
    )
    results = StreamField(
        ResultsStreamBlock(),
        blank=True,
        help_text=_("Measurable indicators, before and after."),
        verbose_name=_("results"),
    )
    results_summary = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, verbose_name=_("results summary")
    )
    lessons = RichTextField(features=RICH_TEXT_FEATURES, verbose_name=_("lessons"))
    resources = StreamField(ResourcesStreamBlock(), blank=True, verbose_name=_("resources"))
    contact = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Who to ask: name and role, not an email address."),
        verbose_name=_("contact"),
    )

    parent_page_types = ["kb.KnowledgeIndexPage"]
    subpage_types: list[str] = []
    template = "kb/case_study_page.html"

    search_fields = [
        *KnowledgePage.search_fields,
        index.SearchField("organisation"),
        index.SearchField("challenge"),
        index.SearchField("objectives"),
        index.SearchField("approach"),
        index.SearchField("results_summary"),
        index.SearchField("lessons"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("organisation_type")]),
                FieldRowPanel([FieldPanel("population_served"), FieldPanel("year")]),
                FieldRowPanel([FieldPanel("budget_band"), FieldPanel("timeline")]),
                FieldPanel("contact"),
            ],
            heading=_("Who and when"),
        ),
        FieldPanel("challenge"),
        FieldPanel("objectives"),
        FieldPanel("approach"),
        FieldPanel("results"),
        FieldPanel("results_summary"),
        FieldPanel("lessons"),
        FieldPanel("resources"),
        MultiFieldPanel(KnowledgePage.taxonomy_panels, heading=_("Taxonomy")),
        FieldPanel("is_illustrative"),
    ]

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")


class MethodGuidePage(KnowledgePage):
    """How to run a communication technique: when to use it, the steps, effort and templates."""

    EFFORT_LEVELS = [
        ("hours", _("Hours")),
        ("days", _("Days")),
        ("weeks", _("Weeks")),
        ("months", _("Months")),
    ]
    COST_BANDS = [
        ("none", _("No direct cost")),
        ("low", _("Low (under US$5,000)")),
        ("medium", _("Medium (US$5,000–50,000)")),
        ("high", _("High (over US$50,000)")),
    ]

    purpose = RichTextField(features=RICH_TEXT_FEATURES, verbose_name=_("purpose"))
    when_to_use = RichTextField(features=RICH_TEXT_FEATURES, verbose_name=_("when to use"))
    when_not_to_use = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, verbose_name=_("when not to use")
    )
    steps = StreamField(StepsStreamBlock(), verbose_name=_("steps"))
    effort = models.CharField(
        max_length=20, choices=EFFORT_LEVELS, blank=True, verbose_name=_("effort")
    )
    cost_band = models.CharField(
        max_length=20, choices=COST_BANDS, blank=True, verbose_name=_("cost band")
    )
    skills_needed = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, verbose_name=_("skills needed")
    )
    templates = StreamField(
        ResourcesStreamBlock(),
        blank=True,
        help_text=_("Templates and checklists to download."),
        verbose_name=_("templates"),
    )
    # Filled in when a moderator or editor turns a solved forum question into this guide
    # (the forum's promotion service); the KB keeps a link and names, never forum rows.
    source_url = models.CharField(
        max_length=500,
        blank=True,
        validators=[
            RegexValidator(
                r"^(/(?![/\\])|https?://)",
                _("Give a page of this site (starting with /) or an http(s) address."),
            )
        ],
        help_text=_("The forum discussion this guide grew out of."),
        verbose_name=_("source discussion"),
    )
    source_thread_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The forum thread's number, when the guide came from one."),
        verbose_name=_("source thread number"),
    )
    contributors = models.CharField(
        max_length=1000,
        blank=True,
        help_text=_("Credited by display name: the people whose posts the guide draws on."),
        verbose_name=_("contributors"),
    )

    parent_page_types = ["kb.KnowledgeIndexPage"]
    subpage_types: list[str] = []
    template = "kb/method_guide_page.html"

    search_fields = [
        *KnowledgePage.search_fields,
        index.SearchField("purpose"),
        index.SearchField("when_to_use"),
        index.SearchField("steps"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("purpose"),
        FieldPanel("when_to_use"),
        FieldPanel("when_not_to_use"),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("effort"), FieldPanel("cost_band"), FieldPanel("year")]),
                FieldPanel("skills_needed"),
            ],
            heading=_("Effort, cost and skills"),
        ),
        FieldPanel("templates"),
        InlinePanel(
            "related_case_study_links", heading=_("Related case studies"), label=_("Case study")
        ),
        MultiFieldPanel(KnowledgePage.taxonomy_panels, heading=_("Taxonomy")),
        MultiFieldPanel(
            [FieldPanel("source_url"), FieldPanel("contributors")],
            heading=_("From the forum"),
        ),
        FieldPanel("is_illustrative"),
    ]

    class Meta:
        verbose_name_plural = _("method guides")
        verbose_name = _("method guide")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guide_case_studies"] = [
            link.case_study
            for link in self.related_case_study_links.select_related("case_study")
            if link.case_study.live
        ]
        return context


class MethodGuideCaseStudy(Orderable):
    """A case study that shows a method guide in practice, chosen by editors."""

    guide = ParentalKey(
        MethodGuidePage,
        on_delete=models.CASCADE,
        related_name="related_case_study_links",
        verbose_name=_("guide"),
    )
    case_study = models.ForeignKey(
        CaseStudyPage,
        on_delete=models.CASCADE,
        related_name="guide_links",
        verbose_name=_("case study"),
    )

    panels = [FieldPanel("case_study")]

    class Meta(Orderable.Meta):
        verbose_name_plural = _("related case studies")
        verbose_name = _("related case study")
