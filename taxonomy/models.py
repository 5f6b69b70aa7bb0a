"""The shared taxonomy (design.md section 3).

Forum threads and search documents use these same rows. Slugs are stable identifiers: URLs,
filters and search facets refer to them, so editors may rename a term but not re-slug it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaxonomyTerm(models.Model):
    """Common shape of a named, slugged, ordered term."""

    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    sort_order = models.PositiveIntegerField(default=0, verbose_name=_("sort order"))

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(TaxonomyTerm):
    """A two-level topic: top-level topics may have children, children have none."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("parent"),
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("A topic cannot be its own parent.")})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Topics have two levels: choose a top-level parent.")}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("This topic has sub-topics, so it must stay at the top level.")}
            )

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Region(TaxonomyTerm):
    """One of the eight SDG regional groupings, or Global / multi-region."""

    m49_code = models.CharField(
        max_length=3,
        blank=True,
        help_text=_("UN M49 code of the grouping, where it has one."),
        verbose_name=_("UN M49 code"),
    )
    is_global = models.BooleanField(default=False, verbose_name=_("global"))

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Country(models.Model):
    """A country or area, keyed by ISO 3166-1 alpha-2, rolled up into one SDG region."""

    name = models.CharField(max_length=120, verbose_name=_("name"))
    iso_alpha2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)
    m49_code = models.CharField(_("UN M49 code"), max_length=3, unique=True)
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="countries", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("country")
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Audience(TaxonomyTerm):
    """Who a piece of communication addressed."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class Channel(TaxonomyTerm):
    """The medium a piece of communication used."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class GlossaryTerm(models.Model):
    """A water-sector term with its synonyms and acronyms; feeds search synonyms and tooltips."""

    term = models.CharField(max_length=120, unique=True, verbose_name=_("term"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    definition = models.TextField(verbose_name=_("definition"))
    acronyms = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Comma-separated, e.g. NRW."),
        verbose_name=_("acronyms"),
    )
    synonyms = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Comma-separated alternative terms."),
        verbose_name=_("synonyms"),
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
