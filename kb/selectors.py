"""Reads for the knowledge base: the filtered index, facet counts, landing pages, related pages.

Query counts do not depend on how many pages exist or how many are shown: each facet is one
GROUP BY query, the visible page of results is one query plus one prefetch per taxonomy, and
members-only status comes from one query over the (small) view-restriction table.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kb import access
from kb.models import CaseStudyPage, KnowledgeIndexPage, KnowledgePage, MethodGuidePage
from kb.models.pages import FIRST_YEAR
from pagination import PagedList, paginate
from taxonomy.models import Audience, Channel, Country, Region, Topic

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

PAGE_TYPES = {
    "case-study": CaseStudyPage,
    "method-guide": MethodGuidePage,
}
SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "year": ("-year", "-first_published_at", "-pk"),
    "title": ("title", "pk"),
}
DEFAULT_SORT = "newest"

# Filter keys in display order, with the notice for an unknown value and the taxonomy model
# each one reads.
TAXONOMY_FILTERS: dict[str, tuple[Promise, type]] = {
    "topic": (_("Unknown topic “%(value)s” was ignored."), Topic),
    "region": (_("Unknown region “%(value)s” was ignored."), Region),
    "country": (_("Unknown country “%(value)s” was ignored."), Country),
    "audience": (_("Unknown audience “%(value)s” was ignored."), Audience),
    "channel": (_("Unknown channel “%(value)s” was ignored."), Channel),
}
FILTER_KEYS = (*TAXONOMY_FILTERS, "type", "year")
FILTER_LABELS = {
    "topic": _("Topic"),
    "region": _("Region"),
    "country": _("Country"),
    "audience": _("Audience"),
    "channel": _("Channel"),
    "type": _("Type"),
    "year": _("Year"),
}
THROUGH_COLUMNS = {
    "topic": ("topics", "topic_id"),
    "region": ("regions", "region_id"),
    "country": ("countries", "country_id"),
    "audience": ("audiences", "audience_id"),
    "channel": ("channels", "channel_id"),
}


@dataclass
class ActiveFilters:
    """Validated filter values. Taxonomy values are model instances; unknown values are
    dropped and described in ``notices``."""

    terms: dict[str, list] = field(default_factory=dict)
    page_types: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (any(self.terms.values()) or self.page_types or self.years)

    def selected_values(self, key: str) -> set[str]:
        if key == "type":
            return set(self.page_types)
        if key == "year":
            return {str(year) for year in self.years}
        return {term.slug for term in self.terms.get(key, [])}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    depth: int = 0


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]


@dataclass
class KnowledgeListing:
    results: PagedList[KnowledgePage]
    facets: list[Facet]
    filters: ActiveFilters
    sort: str
    members_only_ids: set[int]
    clear_url: str
    querystring: str
    is_canonical: bool
    """The first page, unfiltered (bar a landing page's own term), in the default order: the
    one version of the list that search engines should index."""


def parse_filters(query: QueryDict) -> ActiveFilters:
    """Read filter values from the query string, ignoring (with a notice) unknown ones."""
    filters = ActiveFilters()
    for key, (unknown_notice, model) in TAXONOMY_FILTERS.items():
        slugs = _clean_values(query.getlist(key))
        if not slugs:
            continue
        found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
        filters.terms[key] = [found[slug] for slug in slugs if slug in found]
        for slug in slugs:
            if slug not in found:
                filters.notices.append(unknown_notice % {"value": slug})
    for value in _clean_values(query.getlist("type")):
        if value in PAGE_TYPES:
            filters.page_types.append(value)
        else:
            filters.notices.append(_("Unknown type “%(value)s” was ignored.") % {"value": value})
    for value in _clean_values(query.getlist("year")):
        if value.isdigit() and FIRST_YEAR <= int(value) <= 2100:
            filters.years.append(int(value))
        else:
            filters.notices.append(
                _("Year “%(value)s” is not a valid year and was ignored.") % {"value": value}
            )
    return filters


def _clean_values(values: Iterable[str]) -> list[str]:
    """Strip, drop blanks, de-duplicate (keeping order) and cap length and number."""
    cleaned: list[str] = []
    for value in values:
        value = value.strip()[:120]
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned[:20]


def knowledge_pages(index_page: KnowledgeIndexPage | None = None) -> QuerySet[KnowledgePage]:
    """Live KB pages, under ``index_page`` when given."""
    queryset = KnowledgePage.objects.live()
    if index_page is not None:
        queryset = queryset.descendant_of(index_page)
    return queryset


def apply_filters(queryset: QuerySet[KnowledgePage], filters: ActiveFilters) -> QuerySet:
    """AND-combine every filter. A top-level topic also matches its sub-topics."""
    for key, terms in filters.terms.items():
        relation, column = THROUGH_COLUMNS[key]
        through = KnowledgePage._meta.get_field(relation).remote_field.through
        for term in terms:
            ids = [term.pk]
            if key == "topic" and term.parent_id is None:
                ids += list(term.children.values_list("pk", flat=True))
            queryset = queryset.filter(
                pk__in=through.objects.filter(**{f"{column}__in": ids}).values("knowledgepage_id")
            )
    if filters.page_types:
        content_types = ContentType.objects.get_for_models(
            *(PAGE_TYPES[value] for value in filters.page_types)
        )
        queryset = queryset.filter(content_type__in=list(content_types.values()))
    if filters.years:
        queryset = queryset.filter(year__in=filters.years)
    return queryset


def knowledge_listing(
    *,
    query: QueryDict,
    index_page: KnowledgeIndexPage | None = None,
    base_filters: dict[str, object] | None = None,
    page_size: int = PAGE_SIZE,
) -> KnowledgeListing:
    """The filtered, faceted and paginated list behind the index and landing pages.

    ``base_filters`` fixes a taxonomy term for a landing page, e.g. ``{"topic": topic}``:
    it applies on top of the query string and its facet is left out.
    """
    filters = parse_filters(query)
    narrowed_by_query = not filters.is_empty()
    base_filters = base_filters or {}
    for key, term in base_filters.items():
        filters.terms[key] = [term]
    sort = query.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        if sort:
            filters.notices.append(
                _("Unknown sort order “%(value)s” was ignored.") % {"value": sort[:40]}
            )
        sort = DEFAULT_SORT

    matching = apply_filters(knowledge_pages(index_page), filters)
    results = paginate(
        matching.order_by(*SORTS[sort]).prefetch_related(*_card_prefetches()),
        query.get("page"),
        min(page_size, MAX_PAGE_SIZE),
    )

    clean_query = _query_without(query, ("page",), keep=(*FILTER_KEYS, "sort"))
    return KnowledgeListing(
        results=results,
        facets=_facets(matching, filters, clean_query, skip=set(base_filters)),
        filters=filters,
        sort=sort,
        members_only_ids=access.members_only_ids(results.items),
        clear_url="?" if sort == DEFAULT_SORT else f"?sort={sort}",
        querystring=clean_query.urlencode(),
        is_canonical=not narrowed_by_query and sort == DEFAULT_SORT and results.window.number == 1,
    )


def _card_prefetches() -> list[Prefetch]:
    return [
        Prefetch("topics", queryset=topics_in_tree_order().only("pk", "name", "slug", "parent_id")),
        Prefetch("regions", queryset=Region.objects.only("pk", "name", "slug")),
        Prefetch("countries", queryset=Country.objects.only("pk", "name", "slug")),
    ]


def topics_in_tree_order() -> QuerySet[Topic]:
    """Topics ordered as in the tree: each top-level topic, then its sub-topics."""
    return Topic.objects.annotate(
        root_order=Coalesce("parent__sort_order", "sort_order"),
        root_name=Coalesce("parent__name", "name"),
    ).order_by("root_order", "root_name", F("parent_id").asc(nulls_first=True), "sort_order")


def _query_without(query: QueryDict, drop: Iterable[str], keep: Iterable[str] | None = None):
    result = QueryDict(mutable=True)
    allowed = set(keep) if keep is not None else None
    for key in query:
        if key in drop or (allowed is not None and key not in allowed):
            continue
        result.setlist(key, _clean_values(query.getlist(key)))
    return result


def _toggle_url(query: QueryDict, key: str, value: str) -> str:
    toggled = query.copy()
    values = toggled.getlist(key)
    toggled.setlist(key, [v for v in values if v != value] if value in values else [*values, value])
    encoded = toggled.urlencode()
    return f"?{encoded}" if encoded else "?"


def _facets(matching: QuerySet, filters: ActiveFilters, query: QueryDict, skip: set[str]):
    """One facet per filter key: values present in the current results, with counts.

    Every filter narrows the results (AND), so a value's count is the number of current
    results carrying it, i.e. how many results remain if it is added.
    """
    ids = matching.values("pk")
    facets = []
    for key in FILTER_KEYS:
        if key in skip:
            continue
        if key == "topic":
            rows = _topic_counts(ids)
        elif key in TAXONOMY_FILTERS:
            rows = _term_counts(key, ids)
        elif key == "type":
            rows = _type_counts(matching)
        else:
            rows = _year_counts(matching)
        selected = filters.selected_values(key)
        values = [
            FacetValue(
                value=value,
                label=label,
                count=count,
                selected=value in selected,
                url=_toggle_url(query, key, value),
                depth=depth,
            )
            for value, label, count, depth in rows
            if count or value in selected
        ]
        shown = {value.value for value in values}
        for term in filters.terms.get(key, []):
            if term.slug not in shown:
                values.append(
                    FacetValue(
                        value=term.slug,
                        label=term.name,
                        count=0,
                        selected=True,
                        url=_toggle_url(query, key, term.slug),
                    )
                )
        for value in filters.page_types if key == "type" else []:
            if value not in shown:
                label = capfirst(PAGE_TYPES[value]._meta.verbose_name_plural)
                values.append(FacetValue(value, label, 0, True, _toggle_url(query, key, value)))
        for year in filters.years if key == "year" else []:
            if str(year) not in shown:
                url = _toggle_url(query, key, str(year))
                values.append(FacetValue(str(year), str(year), 0, True, url))
        facets.append(Facet(key=key, label=FILTER_LABELS[key], values=values))
    return facets


def _term_counts(key: str, ids) -> list[tuple[str, str, int, int]]:
    model = TAXONOMY_FILTERS[key][1]
    terms = (
        model.objects.filter(knowledge_pages__in=ids)
        .annotate(hits=Count("knowledge_pages", distinct=True))
        .order_by(*model._meta.ordering)
        .values_list("slug", "name", "hits")
    )
    return [(slug, name, hits, 0) for slug, name, hits in terms]


def _topic_counts(ids) -> list[tuple[str, str, int, int]]:
    """Top-level topics count their sub-topics' pages too (each page once)."""
    through = KnowledgePage.topics.through
    rolled_up = dict(
        through.objects.filter(knowledgepage_id__in=ids)
        .annotate(root=Coalesce("topic__parent_id", "topic_id"))
        .values("root")
        .annotate(hits=Count("knowledgepage_id", distinct=True))
        .values_list("root", "hits")
    )
    direct = dict(
        through.objects.filter(knowledgepage_id__in=ids, topic__parent__isnull=False)
        .values("topic_id")
        .annotate(hits=Count("knowledgepage_id", distinct=True))
        .values_list("topic_id", "hits")
    )
    rows = []
    topics = list(Topic.objects.only("pk", "slug", "name", "parent_id", "sort_order"))
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    for topic in topics:
        if topic.parent_id is None:
            rows.append((topic.slug, topic.name, rolled_up.get(topic.pk, 0), 0))
            for child in children.get(topic.pk, []):
                rows.append((child.slug, child.name, direct.get(child.pk, 0), 1))
    return rows


def _type_counts(matching: QuerySet) -> list[tuple[str, str, int, int]]:
    by_content_type = dict(
        matching.order_by()
        .values("content_type")
        .annotate(hits=Count("pk"))
        .values_list("content_type", "hits")
    )
    content_types = ContentType.objects.get_for_models(*PAGE_TYPES.values())
    return [
        (
            value,
            capfirst(model._meta.verbose_name_plural),
            by_content_type.get(content_types[model].pk, 0),
            0,
        )
        for value, model in PAGE_TYPES.items()
    ]


def _year_counts(matching: QuerySet) -> list[tuple[str, str, int, int]]:
    rows = matching.order_by().values("year").annotate(hits=Count("pk")).order_by("-year")
    return [(str(row["year"]), str(row["year"]), row["hits"], 0) for row in rows]


def related_pages(page: KnowledgePage, *, limit: int = 4) -> list[KnowledgePage]:
    """Live pages that share topics and the region with ``page``, best matches first.

    Score: shared topics count double, a shared region once; ties go to the newest.
    """
    topic_ids = [topic.pk for topic in page.topics.all()]
    region_ids = [region.pk for region in page.regions.all()]
    if not topic_ids and not region_ids:
        return []
    candidates = (
        KnowledgePage.objects.live()
        .exclude(pk=page.pk)
        .annotate(
            shared_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True),
            shared_regions=Count("regions", filter=Q(regions__in=region_ids), distinct=True),
        )
        .filter(Q(shared_topics__gt=0) | Q(shared_regions__gt=0))
        .order_by("-shared_topics", "-shared_regions", "-first_published_at")
        .prefetch_related(*_card_prefetches())
    )
    ranked = sorted(
        candidates[: limit * 5],
        key=lambda p: (
            -(2 * p.shared_topics + p.shared_regions),
            -(p.first_published_at.timestamp() if p.first_published_at else 0),
        ),
    )
    return ranked[:limit]


def latest_pages(*, limit: int = 4) -> list[KnowledgePage]:
    """The most recently published KB pages, with their taxonomy for cards."""
    return list(
        knowledge_pages()
        .order_by("-first_published_at", "-pk")
        .prefetch_related(*_card_prefetches())[:limit]
    )


def taxonomy_with_counts(model: type, index_page: KnowledgeIndexPage | None = None):
    """Every term of ``model`` (Topic or Region) with the number of live pages tagged."""
    ids = knowledge_pages(index_page).values("pk")
    return model.objects.annotate(
        hits=Count("knowledge_pages", filter=Q(knowledge_pages__in=ids), distinct=True)
    )


def topic_tree_with_counts(index_page: KnowledgeIndexPage | None = None) -> list[dict]:
    """Top-level topics (counting sub-topic pages too), each with its sub-topics."""
    rows = _topic_counts(knowledge_pages(index_page).values("pk"))
    tree: list[dict] = []
    for slug, name, count, depth in rows:
        if depth == 0:
            tree.append({"slug": slug, "name": name, "count": count, "children": []})
        else:
            tree[-1]["children"].append({"slug": slug, "name": name, "count": count})
    return tree


def region_countries_with_counts(region: Region, index_page=None) -> QuerySet[Country]:
    """Countries of ``region`` that have live pages, with their page counts."""
    ids = knowledge_pages(index_page).values("pk")
    return (
        Country.objects.filter(region=region, knowledge_pages__in=ids)
        .annotate(hits=Count("knowledge_pages", distinct=True))
        .order_by("name")
    )


def knowledge_index_page() -> KnowledgeIndexPage | None:
    """The (single) KB index page, or None before it is created."""
    return KnowledgeIndexPage.objects.live().first()
