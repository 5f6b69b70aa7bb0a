"""Reads of the search layer for pages and the API: one place that turns request parameters
into a backend query and the backend's answer into what a page shows.

- ``search_page_results(params=..., user=...)`` -> ``SearchPage``: the /search/ page and
  /api/search/ share it, so both accept exactly ``SEARCH_PARAMETERS`` and give the same
  results, notices and "Did you mean".
- ``browse_sections(user=...)``: the empty-query view (newest per type, popular overall).
- ``suggestions(prefix=..., user=...)``: autocomplete.
- ``related_documents(doc_id=..., user=...)``: "more like this".

Every read filters by ``requester_tokens(user)``. A backend that cannot answer
(``SearchUnavailable``) never becomes an error page: the page says search is unavailable and
the API answers 503. Facet labels come from the taxonomy (one query per facet shown, at most
five), so a renamed term shows its current name; type labels are translatable.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pagination import PageWindow, page_window
from search.backends import search_backend
from search.backends.base import SearchUnavailable
from search.documents import CASE_STUDY, DOCUMENT_TYPES, METHOD_GUIDE, THREAD
from search.parsing import clean_text, parse_query
from search.query import FACETS, SORT_NEWEST, SORT_RELEVANCE, SORTS, ParsedQuery
from search.results import Hit, SearchResults, Suggestion
from search.visibility import requester_tokens
from taxonomy.models import Audience, Channel, Country, Region, Topic

PER_PAGE = 20
MAX_PAGE = 500
"""Deeper pages are answered as out of range (Elasticsearch pages at most 10,000 hits)."""
MAX_SUGGEST_PREFIX = 100
MAX_FACET_VALUES = 20
"""Per facet, at most this many values are passed on (more are ignored with a notice)."""

SEARCH_PARAMETERS = ("q", *FACETS, "sort", "page")
"""Every query parameter /search/ and /api/search/ read; the OpenAPI schema lists exactly these."""

TYPE_LABELS = {
    CASE_STUDY: gettext_lazy("Case study"),
    METHOD_GUIDE: gettext_lazy("Method guide"),
    THREAD: gettext_lazy("Forum thread"),
}
TYPE_LABELS_PLURAL = {
    CASE_STUDY: gettext_lazy("Case studies"),
    METHOD_GUIDE: gettext_lazy("Method guides"),
    THREAD: gettext_lazy("Forum threads"),
}
FACET_LABELS = {
    "type": gettext_lazy("Type"),
    "topic": gettext_lazy("Topic"),
    "region": gettext_lazy("Region"),
    "country": gettext_lazy("Country"),
    "audience": gettext_lazy("Audience"),
    "channel": gettext_lazy("Channel"),
    "year": gettext_lazy("Year"),
}
SORT_LABELS = {SORT_RELEVANCE: gettext_lazy("Best match"), SORT_NEWEST: gettext_lazy("Newest")}
TAXONOMY_MODELS = {
    "topic": Topic,
    "region": Region,
    "audience": Audience,
    "channel": Channel,
}


class InvalidSearchParameter(ValueError):
    """A parameter the API refuses (the page falls back instead): ``str()`` says why."""


@dataclass(frozen=True)
class FacetOption:
    """One facet value with the URL that toggles it (adds it, or removes it when selected)."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    options: tuple[FacetOption, ...]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, with the URL of the same search without it."""

    facet: str
    facet_label: str
    value: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class Chip:
    value: str
    label: str
    url: str


@dataclass(frozen=True)
class ResultItem:
    """A hit as a page shows it: its type label and topic/region chips that filter the search."""

    hit: Hit
    type_label: str
    topics: tuple[Chip, ...]
    regions: tuple[Chip, ...]


@dataclass(frozen=True)
class SearchPage:
    """Everything /search/ and /api/search/ show for one request.

    ``text`` is the query as used (cut to the parser's limit); ``query`` is None when search
    is unavailable. ``out_of_range`` means the page number is past the last page:
    ``back_url`` then leads to the last page that has results (or the first).
    """

    text: str
    query: ParsedQuery | None
    results: SearchResults | None
    items: tuple[ResultItem, ...] = ()
    facets: tuple[FacetGroup, ...] = ()
    active_filters: tuple[ActiveFilter, ...] = ()
    notices: tuple[str, ...] = ()
    window: PageWindow | None = None
    page_query: str = ""
    """The URL-encoded parameters without ``page``, for ``includes/pagination.html``."""
    sort: str = SORT_RELEVANCE
    sort_options: tuple[tuple[str, str, bool, str], ...] = ()
    """(value, label, selected, url) per sort order."""
    unavailable: bool = False
    out_of_range: bool = False
    back_url: str = ""
    suggestion_url: str = ""
    clear_url: str = ""
    params: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.results.total if self.results else 0

    @property
    def is_browse(self) -> bool:
        """No words and no filters: the page shows the browse view instead of a list."""
        return not self.text.strip() and not self.active_filters and not self.unavailable


def read_parameters(params: Mapping) -> dict[str, tuple[str, ...]]:
    """The search parameters of a QueryDict (or a plain mapping), cleaned, in a fixed shape:
    ``q``, ``sort`` and ``page`` one value each; each facet its distinct non-empty values."""
    read: dict[str, tuple[str, ...]] = {}

    def values(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            raw = params.getlist(name)
        else:
            raw = params.get(name, [])
            raw = [raw] if isinstance(raw, str) else list(raw)
        return [clean_text(str(v)).strip() for v in raw]

    for name in SEARCH_PARAMETERS:
        found = [v for v in values(name) if v or name == "q"]
        if name in FACETS:
            unique = tuple(dict.fromkeys(v for v in found if v))
            if unique:
                read[name] = unique
        elif found:
            read[name] = (found[-1] if name == "q" else found[0],)
    return read


def search_url(params: Mapping[str, Iterable[str]], *, base: str = "/search/") -> str:
    """A shareable URL for ``params``: parameters in SEARCH_PARAMETERS order, empty ones left
    out, the default sort and page 1 left out."""
    return base + query_string(params, with_page=True)


def query_string(params: Mapping[str, Iterable[str]], *, with_page: bool) -> str:
    pairs = []
    for name in SEARCH_PARAMETERS:
        if name == "page" and not with_page:
            continue
        for value in params.get(name, ()):
            if not value or (name == "sort" and value == SORT_RELEVANCE):
                continue
            if name == "page" and value == "1":
                continue
            pairs.append((name, value))
    encoded = urlencode(pairs)
    return f"?{encoded}" if encoded else ""


def _with(params, name: str, values: Iterable[str]) -> dict[str, tuple[str, ...]]:
    changed = {k: v for k, v in params.items() if k != "page"}
    values = tuple(values)
    if values:
        changed[name] = values
    else:
        changed.pop(name, None)
    return changed


def parse_page_number(raw: str | None, *, strict: bool) -> tuple[int, str]:
    """(page, notice). Missing means 1. Not a positive whole number: ``strict`` raises
    InvalidSearchParameter, otherwise page 1 with a notice."""
    if raw in (None, ""):
        return 1, ""
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        if strict:
            raise InvalidSearchParameter(_("page must be a whole number from 1."))
        return 1, _("The page number “%(page)s” was not understood: showing the first page.") % {
            "page": raw[:20]
        }
    return number, ""


def parse_sort(raw: str | None, *, strict: bool) -> tuple[str, str]:
    if raw in (None, "") or raw in SORTS:
        return raw or SORT_RELEVANCE, ""
    if strict:
        raise InvalidSearchParameter(
            _("sort must be one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)}
        )
    return SORT_RELEVANCE, _("The sort order “%(sort)s” is unknown: sorting by best match.") % {
        "sort": raw[:40]
    }


def type_label(value: str) -> str:
    return str(TYPE_LABELS.get(value, value))


def facet_labels(values: Mapping[str, Iterable[str]]) -> dict[str, dict[str, str]]:
    """Current names of the taxonomy values in ``values`` ({facet: {slug: name}}), one query per
    taxonomy facet that has values (never more than five); types get translated labels."""
    labels: dict[str, dict[str, str]] = {}
    for facet, wanted in values.items():
        wanted = set(wanted)
        if not wanted:
            continue
        if facet == "type":
            labels[facet] = {v: type_label(v) for v in wanted}
        elif facet in TAXONOMY_MODELS:
            rows = (
                TAXONOMY_MODELS[facet].objects.filter(slug__in=wanted).values_list("slug", "name")
            )
            labels[facet] = dict(rows)
        elif facet == "country":
            rows = Country.objects.filter(
                Q(slug__in=wanted) | Q(iso_alpha2__in={v.upper() for v in wanted if len(v) == 2})
            ).values_list("slug", "iso_alpha2", "name")
            found = {}
            for slug, iso, name in rows:
                found[slug] = name
                found[iso.lower()] = name
                found[iso] = name
            labels[facet] = {v: found[v] for v in wanted if v in found}
    return labels


def _facet_groups(results: SearchResults, params, labels, base: str) -> tuple[FacetGroup, ...]:
    groups = []
    for name in FACETS:
        values = results.facets.get(name, ())
        selected = set(params.get(name, ()))
        options = []
        for facet_value in values:
            if facet_value.count == 0 and facet_value.value not in selected:
                continue
            is_selected = facet_value.selected or facet_value.value in selected
            others = [v for v in params.get(name, ()) if v != facet_value.value]
            toggled = others if is_selected else [*params.get(name, ()), facet_value.value]
            options.append(
                FacetOption(
                    value=facet_value.value,
                    label=labels.get(name, {}).get(facet_value.value) or facet_value.label,
                    count=facet_value.count,
                    selected=is_selected,
                    toggle_url=search_url(_with(params, name, toggled), base=base),
                )
            )
        if name == "year":
            options.sort(key=lambda o: o.value, reverse=True)
        if options:
            groups.append(
                FacetGroup(name=name, label=str(FACET_LABELS[name]), options=tuple(options))
            )
    return tuple(groups)


def _active_filters(query: ParsedQuery, params, labels, results, base) -> tuple[ActiveFilter, ...]:
    backend_labels = (
        {(name, fv.value): fv.label for name, values in results.facets.items() for fv in values}
        if results
        else {}
    )
    active = []
    for name in FACETS:
        for value in query.filters.get(name, ()):
            remaining = [v for v in params.get(name, ()) if v != value]
            label = labels.get(name, {}).get(value) or backend_labels.get((name, value)) or value
            active.append(
                ActiveFilter(
                    facet=name,
                    facet_label=str(FACET_LABELS[name]),
                    value=value,
                    label=label,
                    remove_url=search_url(_with(params, name, remaining), base=base),
                )
            )
    return tuple(active)


def _chips(terms, facet: str, params, base: str) -> tuple[Chip, ...]:
    chips = []
    for term in terms:
        current = params.get(facet, ())
        values = current if term.slug in current else (*current, term.slug)
        chips.append(
            Chip(
                value=term.slug,
                label=term.label,
                url=search_url(_with(params, facet, values), base=base),
            )
        )
    return tuple(chips)


def result_items(
    hits: Iterable[Hit], params=None, base: str = "/search/"
) -> tuple[ResultItem, ...]:
    params = params or {}
    return tuple(
        ResultItem(
            hit=hit,
            type_label=type_label(hit.type),
            topics=_chips(hit.topics, "topic", params, base),
            regions=_chips(hit.regions, "region", params, base),
        )
        for hit in hits
    )


def parsed_query(
    params: Mapping[str, tuple[str, ...]], *, strict: bool = False, per_page: int = PER_PAGE
) -> tuple[ParsedQuery, tuple[str, ...]]:
    """The ParsedQuery for cleaned ``params`` (see ``read_parameters``), and notices of our own
    (page or sort not understood). ``strict``: raise InvalidSearchParameter on those instead."""
    page, page_notice = parse_page_number(params.get("page", ("",))[0], strict=strict)
    sort, sort_notice = parse_sort(params.get("sort", ("",))[0], strict=strict)
    notices = tuple(n for n in (page_notice, sort_notice) if n)
    filters = {}
    for name in FACETS:
        values = params.get(name, ())
        if len(values) > MAX_FACET_VALUES:
            notices += (
                _("Only the first %(count)d values of %(facet)s were used.")
                % {"count": MAX_FACET_VALUES, "facet": FACET_LABELS[name]},
            )
            values = values[:MAX_FACET_VALUES]
        if values:
            filters[name] = values
    query = parse_query(
        params.get("q", ("",))[0], filters=filters, sort=sort, page=page, per_page=per_page
    )
    return query, notices


def relaxed_notice() -> str:
    return _("No result contains all your words; these contain some of them.")


def search_page_results(
    *, params: Mapping, user, base: str = "/search/", strict: bool = False
) -> SearchPage:
    """One page of results for the request parameters ``params`` (a QueryDict or a mapping of
    names to a value or a list of values), as ``user`` may see them.

    Unknown facet values, a query cut to length, a page or sort not understood: each is
    ignored with a notice (``strict``, for the API, raises InvalidSearchParameter for a bad
    page or sort instead). Pages past the end are empty with ``out_of_range`` and a link back.

    When a query of two or more clauses matches nothing, it is asked again with relaxed
    matching (``match_any``: documents with some of the words, those with more first); if that
    finds something, those results are shown with ``relaxed_notice()`` (and the strict
    query's "Did you mean", if any). At most two backend searches per call.
    """
    cleaned = read_parameters(params)
    query, notices = parsed_query(cleaned, strict=strict)
    # Only the filters the parser kept stay in the page's links.
    kept = {name: values for name, values in query.filters.items() if values}
    link_params = {
        **({"q": (query.text,)} if query.text else {}),
        **{name: tuple(kept.get(name, ())) for name in FACETS if kept.get(name)},
        **({"sort": (query.sort,)} if query.sort != SORT_RELEVANCE else {}),
    }
    clear_url = search_url({"q": link_params["q"]} if "q" in link_params else {}, base=base)
    tokens = requester_tokens(user)
    asked = query
    if query.page > MAX_PAGE:
        asked = replace(query, page=1)
    try:
        results = search_backend().search(asked, visibility=tokens)
        if results.total == 0 and len(asked.clauses) >= 2:
            relaxed = search_backend().search(replace(asked, match_any=True), visibility=tokens)
            if relaxed.total:
                results = replace(
                    relaxed,
                    suggestion=results.suggestion,
                    notices=(*relaxed.notices, relaxed_notice()),
                )
    except SearchUnavailable:
        return SearchPage(
            text=query.text,
            query=None,
            results=None,
            notices=(*notices, *query.notices),
            unavailable=True,
            sort=query.sort,
            clear_url=clear_url,
            params=link_params,
        )
    hits = results.hits if asked is query else ()
    all_notices = tuple(dict.fromkeys((*notices, *query.notices, *results.notices)))
    shown_values = {name: [fv.value for fv in values] for name, values in results.facets.items()}
    for name, values in kept.items():
        shown_values.setdefault(name, [])
        shown_values[name] = [*shown_values[name], *values]
    labels = facet_labels({k: v for k, v in shown_values.items() if k != "year"})
    window = page_window(min(query.page, MAX_PAGE), results.total, query.per_page)
    out_of_range = (
        query.page > 1 and not hits and (query.page > window.num_pages or asked is not query)
    )
    back_url = ""
    if out_of_range:
        back_page = {"page": (str(window.num_pages),)} if window.num_pages > 1 else {}
        back_url = search_url({**link_params, **back_page}, base=base)
    suggestion_url = ""
    if results.suggestion:
        suggestion_url = search_url({**link_params, "q": (results.suggestion,)}, base=base)
    sort_options = tuple(
        (
            value,
            str(SORT_LABELS[value]),
            value == query.sort,
            search_url(_with(link_params, "sort", (value,)), base=base),
        )
        for value in SORTS
    )
    return SearchPage(
        text=query.text,
        query=query,
        results=replace(results, hits=hits) if hits is not results.hits else results,
        items=result_items(hits, link_params, base),
        facets=_facet_groups(results, link_params, labels, base),
        active_filters=_active_filters(query, link_params, labels, results, base),
        notices=all_notices,
        window=window,
        page_query=query_string(link_params, with_page=False).lstrip("?"),
        sort=query.sort,
        sort_options=sort_options,
        out_of_range=out_of_range,
        back_url=back_url,
        suggestion_url=suggestion_url,
        clear_url=clear_url,
        params=link_params,
    )


@dataclass(frozen=True)
class BrowseSection:
    """One list of the browse view: a heading, items, and a link to see them all."""

    key: str
    title: str
    items: tuple[ResultItem, ...]
    total: int
    more_url: str


def browse_sections(
    *, user, per_section: int = 4, base: str = "/search/"
) -> tuple[BrowseSection, ...]:
    """The empty-query view: the most popular items across the hub (the backend's ranking of an
    empty query: accepted answers, votes, replies, recency), then the newest of each type.
    Four backend calls whatever the data size; () when search is unavailable."""
    tokens = requester_tokens(user)
    backend = search_backend()
    sections = []
    try:
        popular = backend.search(
            parse_query("", filters={}, sort=SORT_RELEVANCE, page=1, per_page=per_section),
            visibility=tokens,
        )
        if popular.hits:
            sections.append(
                BrowseSection(
                    key="popular",
                    title=_("Popular across the hub"),
                    items=result_items(popular.hits, base=base),
                    total=popular.total,
                    more_url="",
                )
            )
        for doc_type in DOCUMENT_TYPES:
            newest = backend.search(
                parse_query(
                    "", filters={"type": [doc_type]}, sort=SORT_NEWEST, page=1, per_page=per_section
                ),
                visibility=tokens,
            )
            if newest.hits:
                sections.append(
                    BrowseSection(
                        key=doc_type,
                        title=_("Newest %(type)s")
                        % {"type": str(TYPE_LABELS_PLURAL[doc_type]).lower()},
                        items=result_items(newest.hits, base=base),
                        total=newest.total,
                        more_url=search_url(
                            {"type": (doc_type,), "sort": (SORT_NEWEST,)}, base=base
                        ),
                    )
                )
    except SearchUnavailable:
        return ()
    return tuple(sections)


def suggestions(*, prefix: str, user, limit: int = 8) -> list[Suggestion]:
    """Autocomplete entries for ``prefix`` (cleaned, cut to MAX_SUGGEST_PREFIX characters),
    visible to ``user``; [] for an empty prefix or when search is unavailable."""
    prefix = clean_text(prefix).strip()[:MAX_SUGGEST_PREFIX]
    if not prefix:
        return []
    try:
        return list(
            search_backend().suggest(prefix, visibility=requester_tokens(user), limit=limit)
        )
    except SearchUnavailable:
        return []


def related_documents(*, doc_id: str, user, limit: int = 5) -> list[Hit]:
    """Visible documents most like ``doc_id`` (never itself); [] when it is unknown or search
    is unavailable."""
    try:
        return list(
            search_backend().more_like_this(doc_id, visibility=requester_tokens(user), limit=limit)
        )
    except SearchUnavailable:
        return []
