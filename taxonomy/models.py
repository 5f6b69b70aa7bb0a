"""The shared taxonomy (design.md section 3).

Forum threads and search documents use these same rows. Slugs are stable identifiers: URLs,
filters and search facets refer to them, so editors may rename a term but not re-slug it.
"""

from django.core.exceptions import ValidationError
from django.db import models


class TaxonomyTerm(models.Model):
    """Common shape of a named, slugged, ordered term."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveIntegerField(default=0)

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
    )

    class Meta(TaxonomyTerm.Meta):
        pass

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": "Topics have two levels: choose a top-level parent."})
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This topic has sub-topics, so it must stay at the top level."}
            )

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Region(TaxonomyTerm):
    """One of the eight SDG regional groupings, or Global / multi-region."""

    m49_code = models.CharField(
        max_length=3, blank=True, help_text="UN M49 code of the grouping, where it has one."
    )
    is_global = models.BooleanField(default=False)

    class Meta(TaxonomyTerm.Meta):
        pass


class Country(models.Model):
    """A country or area, keyed by ISO 3166-1 alpha-2, rolled up into one SDG region."""

    name = models.CharField(max_length=120)
    iso_alpha2 = models.CharField("ISO 3166-1 alpha-2", max_length=2, unique=True)
    m49_code = models.CharField("UN M49 code", max_length=3, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Audience(TaxonomyTerm):
    """Who a piece of communication addressed."""

    class Meta(TaxonomyTerm.Meta):
        pass


class Channel(TaxonomyTerm):
    """The medium a piece of communication used."""

    class Meta(TaxonomyTerm.Meta):
        pass


class GlossaryTerm(models.Model):
    """A water-sector term with its synonyms and acronyms; feeds search synonyms and tooltips."""

    term = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    definition = models.TextField()
    acronyms = models.CharField(max_length=255, blank=True, help_text="Comma-separated, e.g. NRW.")
    synonyms = models.CharField(
        max_length=500, blank=True, help_text="Comma-separated alternative terms."
    )

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
