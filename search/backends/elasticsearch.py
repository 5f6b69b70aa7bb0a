"""The Elasticsearch backend (issue 11): the same contract as the embedded one, on a cluster.

Layout on the cluster, for ``prefix`` = ``settings.ELASTICSEARCH_INDEX_PREFIX``:

- ``<prefix>-docs-<timestamp>``: versioned indices, created from the composable index template
  ``<prefix>-docs`` (analysis, mapping, settings; ``IndexedDocument`` below).
- ``<prefix>-docs`` (read alias) and ``<prefix>-docs-write`` (write alias): both on the live
  index. ``rebuild`` builds a new index aside, tagged with the ``<prefix>-docs-building``
  alias, with ``streaming_bulk``; ``index``/``delete`` meanwhile write to the live index *and*
  to the one being built, so no change made during a rebuild is lost. After a count check one
  ``update_aliases`` call moves both aliases at once, then the old index is deleted. A failed
  or killed rebuild never touched the aliases, so the old, complete index keeps answering; the
  next rebuild deletes the leftover.

Glossary synonyms: the parser (``search.parsing``) already expands each clause with its glossary
alternatives, for every backend, so an editor's new entry works at the next query without any
Elasticsearch call. The search-time ``synonym_graph`` filter (``pcc_glossary``) is filled from
the glossary (``search.glossary.current_glossary``) whenever an index is created (every
rebuild) and can be refreshed in place with ``refresh_synonyms()`` (close, update the analysis
settings, open: 0.3 to 1.3 s on the local node for a 50,000-document index, during which
searches fall back).

Failures: a connection error, a timeout, a 429 or a 5xx raises ``SearchUnavailable``; a
document the cluster rejects with a 4xx (mapping or analyzer problem) is logged with its id
and raises ``DocumentsRejected``, so the outbox row that asked for it stays pending.

User text never reaches Elasticsearch as query-string syntax: queries are built from the
parsed clauses with ``match``-family queries only.
"""

import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice

from django.conf import settings
from django.utils.html import escape
from elasticsearch import (
    ApiError,
    ConnectionError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
    TransportError,
    helpers,
)
from elasticsearch.dsl import (
    A,
    Boolean,
    ComposableIndexTemplate,
    Date,
    Document,
    Float,
    Index,
    Integer,
    Keyword,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl.query import Query
from elasticsearch.dsl.response import Response

from search.backends.base import DocumentsRejected, SearchBackend, SearchUnavailable
from search.documents import DOCUMENT_TYPES, SearchDocument, Term
from search.query import FACETS, SORT_NEWEST, Clause, ParsedQuery
from search.results import (
    BackendStatus,
    FacetValue,
    Hit,
    SearchResults,
    Suggestion,
    facet_values,
)

logger = logging.getLogger(__name__)

SEARCH_TIMEOUT_S = 2.0
"""Client-side timeout of a search, suggest or related request (the page then says so)."""
SEARCH_SERVER_TIMEOUT = "1500ms"
"""Server-side ``timeout`` of a search: shards answer with what they have by then."""
WRITE_TIMEOUT_S = 30.0
"""Client-side timeout of bulk writes and index administration."""
BULK_CHUNK = 1000
REBUILD_THREADS = 2
"""Concurrent bulk requests while rebuilding; the live path sends one."""
MAX_WINDOW = 10_000
"""``index.max_result_window``: pages beyond it are answered empty (never an error)."""
FACET_SIZE = 200
SNIPPET_CHARS = 240
PHRASE_SLOP = 1
FUZZY_MIN_LENGTH = 5
"""Words of at least this many characters also match with typos (fuzziness AUTO:5,8)."""
FUZZY_MAX_LENGTH = 40
"""Longer "words" (pasted junk) are matched exactly: a fuzzy automaton for them is costly."""

TEXT_FIELDS = ("title^10", "summary^4", "body^2", "replies^1")
"""Field boosts: title > summary > body > replies (the embedded backend's bm25 weights)."""
FUZZY_FIELDS = ("title.plain^2", "all_plain")
PREFIX_EXPANSIONS = 12
"""A prefix over all the text matches at most this many words (as the embedded backend)."""
SNIPPET_FIELDS = ("summary", "body", "replies")
TAXONOMY_FACETS = {
    "topic": "topics",
    "region": "regions",
    "country": "countries",
    "audience": "audiences",
    "channel": "channels",
}
"""Facet name -> the SearchDocument field of Terms it filters and counts."""

# -- Analysis: only what the stock analysis-common module (and the local pcc-analysis plugin)
# provides; see tools/elasticsearch/README.md.
_possessive = token_filter("pcc_possessive", "stemmer", language="possessive_english")
_folding = token_filter("pcc_folding", "asciifolding", preserve_original=False)
_stop = token_filter("pcc_stop", "stop", stopwords="_english_")
_stemmer = token_filter("pcc_stemmer", "stemmer", language="english")
_edge = token_filter("pcc_edge", "edge_ngram", min_gram=2, max_gram=20)

TEXT = analyzer(
    "pcc_text",
    tokenizer="standard",
    filter=[_possessive, "lowercase", _folding, _stop, _stemmer],
)
PLAIN = analyzer("pcc_plain", tokenizer="standard", filter=["lowercase", _folding])
PREFIX = analyzer("pcc_prefix", tokenizer="standard", filter=["lowercase", _folding, _edge])


def text_search_analyzer(rules: list[str]):
    """The search-time analyzer: TEXT with the glossary's ``synonym_graph`` before the stop
    words and the stemmer (rules are analysed by the chain before the filter)."""
    glossary = token_filter("pcc_glossary", "synonym_graph", synonyms=rules, lenient=True)
    return analyzer(
        "pcc_text_search",
        tokenizer="standard",
        filter=[_possessive, "lowercase", _folding, glossary, _stop, _stemmer],
    )


def _text(**kwargs) -> Text:
    """A snippet field: offsets in the postings, so the highlighter never re-analyses it."""
    return Text(
        analyzer=TEXT,
        search_analyzer="pcc_text_search",
        copy_to=["all_plain"],
        index_options="offsets",
        **kwargs,
    )


def _terms_object() -> Object:
    """Terms as the document carries them (slug and label), kept in _source only."""
    return Object(enabled=False)


class IndexedDocument(Document):
    """A SearchDocument as stored: its fields, plus keyword fields for filters and facets.

    ``<facet>`` (e.g. ``topic``) holds the slugs a filter matches; ``facets`` holds every
    facet value with its label, for the counts.
    """

    type = Keyword(eager_global_ordinals=True)
    title = Text(
        analyzer=TEXT,
        search_analyzer="pcc_text_search",
        copy_to=["all_plain"],
        fields={
            "plain": Text(analyzer=PLAIN),
            "prefix": Text(analyzer=PREFIX, search_analyzer=PLAIN),
        },
    )
    summary = _text()
    body = _text()
    replies = _text()
    all_plain = Text(analyzer=PLAIN)
    """Every text field unstemmed: typo (fuzzy) and prefix matching."""
    url = Keyword(index=False)
    topics = _terms_object()
    regions = _terms_object()
    countries = _terms_object()
    audiences = _terms_object()
    channels = _terms_object()
    topic = Keyword()
    region = Keyword()
    country = Keyword()
    audience = Keyword()
    channel = Keyword()
    facets = Keyword(eager_global_ordinals=True)
    """Every facet value of the document as ``facet\x1fvalue\x1flabel``: one terms
    aggregation counts every facet whose own filter is not set."""
    author = Keyword()
    organisation = Keyword()
    published = Date()
    updated = Date()
    year = Integer()
    visibility = Keyword()
    kind = Keyword()
    answered = Boolean()
    votes = Integer()
    reply_count = Integer()
    boost = Float()
    """The query-independent multiplier (``document_boost``): answered, votes, replies."""
    static_rank = Float()
    """boost x recency when indexed: the order of the browse view (as the embedded one)."""


def synonym_rules(glossary) -> list[str]:
    """Solr-format equivalence rules (``term, acronym, synonym, ...``) from a
    ``search.glossary.Glossary``, the groups the query parser expands."""
    rules = []
    for group in glossary.groups:
        variants = []
        for variant in group:
            cleaned = re.sub(r"[,=>#\\]+", " ", " ".join(variant)).strip()
            if cleaned and cleaned not in variants:
                variants.append(cleaned)
        if len(variants) > 1:
            rules.append(", ".join(variants))
    return rules


def glossary_rules() -> list[str]:
    """The rules of the glossary as the database holds it now."""
    from search.glossary import current_glossary

    return synonym_rules(current_glossary())


def to_source(doc: SearchDocument) -> dict:
    """The stored form of ``doc`` (IndexedDocument fields)."""
    source = {
        "type": doc.type,
        "title": doc.title,
        "url": doc.url,
        "summary": doc.summary,
        "body": doc.body,
        "replies": doc.replies,
        "author": doc.author,
        "organisation": doc.organisation,
        "published": doc.published.isoformat() if doc.published else None,
        "updated": doc.updated.isoformat() if doc.updated else None,
        "year": doc.year,
        "visibility": list(doc.visibility),
        "kind": doc.kind,
        "answered": doc.answered,
        "votes": doc.votes,
        "reply_count": doc.reply_count,
        "boost": document_boost(doc),
        "static_rank": document_boost(doc) * recency(doc.published),
    }
    facets = [f"type\x1f{doc.type}\x1f{doc.type}"]
    if doc.year:
        facets.append(f"year\x1f{doc.year}\x1f{doc.year}")
    for facet, attr in TAXONOMY_FACETS.items():
        terms = getattr(doc, attr)
        source[attr] = [{"slug": t.slug, "label": t.label} for t in terms]
        source[facet] = [t.slug for t in terms]
        facets += [f"{facet}\x1f{t.slug}\x1f{t.label}" for t in terms]
    source["facets"] = facets
    return source


def document_boost(doc: SearchDocument) -> float:
    """1 + 0.3 if answered + 0.1 ln(1 + votes) + 0.05 ln(1 + replies), as the embedded
    backend ranks (``search.backends.embedded.document_boost``)."""
    boost = 1.0 + (0.3 if doc.answered else 0.0)
    return boost + 0.1 * math.log1p(max(doc.votes, 0)) + 0.05 * math.log1p(max(doc.reply_count, 0))


def recency(published: datetime | None) -> float:
    """1.1 for today, fading linearly to 1.0 at five years (1.0 without a date)."""
    if published is None:
        return 1.0
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    age_years = max((datetime.now(UTC) - published).total_seconds(), 0.0) / (365.25 * 86400)
    return 1.0 + 0.1 * max(0.0, 1.0 - age_years / 5.0)


def _terms(values) -> tuple[Term, ...]:
    return tuple(Term(slug=v["slug"], label=v["label"]) for v in values or ())


def _date(value) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@contextmanager
def unavailable_on_errors(action: str):
    """Turn connection errors, timeouts, 429 and 5xx into SearchUnavailable."""
    try:
        yield
    except (ConnectionError, ConnectionTimeout) as error:
        raise SearchUnavailable(f"Elasticsearch unreachable during {action}: {error}") from error
    except ApiError as error:
        if error.status_code == 429 or error.status_code >= 500:
            raise SearchUnavailable(f"Elasticsearch {action}: {error}") from error
        raise
    except TransportError as error:
        raise SearchUnavailable(f"Elasticsearch {action}: {error}") from error


class ElasticsearchBackend(SearchBackend):
    """See the module docstring. Arguments default to the ``ELASTICSEARCH_*`` settings;
    ``glossary`` returns the synonym rules (default: ``glossary_rules``, from the database)."""

    name = "elasticsearch"

    def __init__(
        self,
        *,
        url: str | None = None,
        prefix: str | None = None,
        api_key: str | None = None,
        ca_certs: str | None = None,
        search_timeout: float = SEARCH_TIMEOUT_S,
        write_timeout: float = WRITE_TIMEOUT_S,
        glossary: Callable[[], list[str]] | None = None,
    ):
        self.url = url or settings.ELASTICSEARCH_URL
        self.glossary = glossary or glossary_rules
        self.prefix = prefix or settings.ELASTICSEARCH_INDEX_PREFIX
        options = {
            "request_timeout": write_timeout,
            "retry_on_timeout": False,
            "max_retries": 0,
        }
        if api_key := api_key or settings.ELASTICSEARCH_API_KEY:
            options["api_key"] = api_key
        if ca_certs := ca_certs or settings.ELASTICSEARCH_CA_CERTS:
            options["ca_certs"] = ca_certs
        self.client = Elasticsearch(self.url, **options)
        self.search_client = self.client.options(request_timeout=search_timeout)
        self.read_alias = f"{self.prefix}-docs"
        self.write_alias = f"{self.prefix}-docs-write"
        self.building_alias = f"{self.prefix}-docs-building"
        self.template_name = f"{self.prefix}-docs"
        self.pattern = f"{self.prefix}-docs-*"

    # -- index administration -------------------------------------------------------------

    def index_definition(self, rules: list[str] | None = None) -> Index:
        """The dsl Index of the versioned indices: settings, analysis and mapping."""
        index = Index(self.pattern)
        index.settings(
            number_of_shards=1,
            auto_expand_replicas="0-1",
            max_result_window=MAX_WINDOW,
            max_ngram_diff=20,
        )
        index.analyzer(text_search_analyzer(self.glossary() if rules is None else rules))
        index.document(IndexedDocument)
        return index

    def template(self, rules: list[str] | None = None) -> ComposableIndexTemplate:
        return ComposableIndexTemplate(
            self.template_name, self.pattern, index=self.index_definition(rules), priority=200
        )

    def put_template(self) -> None:
        """(Re)write the index template with the current glossary; affects new indices."""
        with unavailable_on_errors("put template"):
            self.template().save(using=self.client)

    def new_index_name(self) -> str:
        return f"{self.prefix}-docs-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _aliased(self, alias: str) -> list[str]:
        """The indices behind ``alias`` (one request for all of this prefix's aliases)."""
        return self._alias_state().get(alias, [])

    def _alias_state(self) -> dict[str, list[str]]:
        """alias -> sorted index names, for every ``<prefix>-docs-*`` index."""
        response = self.client.indices.get_alias(
            index=self.pattern, allow_no_indices=True, ignore_unavailable=True
        )
        state: dict[str, list[str]] = {}
        for index_name, entry in sorted(response.items()):
            for alias in entry.get("aliases", {}):
                state.setdefault(alias, []).append(index_name)
        return state

    def live_index(self) -> str | None:
        """The index behind the read alias, or None before the first index or rebuild."""
        with unavailable_on_errors("alias lookup"):
            names = self._aliased(self.read_alias)
        return names[0] if names else None

    def ensure_index(self) -> dict[str, list[str]]:
        """The alias state, after creating an empty live index (with both aliases) when
        there is none yet."""
        with unavailable_on_errors("alias lookup"):
            state = self._alias_state()
        if state.get(self.read_alias):
            return state
        self.put_template()
        name = self.new_index_name()
        with unavailable_on_errors("create index"):
            self.client.indices.create(
                index=name, aliases={self.read_alias: {}, self.write_alias: {}}
            )
            self.client.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
            return self._alias_state()

    def refresh_synonyms(self) -> float:
        """Put the glossary's current rules in the live index's search analyzer; returns the
        seconds the index was closed (searches meanwhile raise SearchUnavailable)."""
        self.put_template()
        live = self.ensure_index()[self.read_alias][0]
        analysis = self.index_definition().to_dict()["settings"]["analysis"]
        with unavailable_on_errors("refresh synonyms"):
            started = time.perf_counter()
            self.client.indices.close(index=live, wait_for_active_shards="0")
            try:
                self.client.indices.put_settings(index=live, settings={"analysis": analysis})
            finally:
                self.client.indices.open(index=live, wait_for_active_shards="1")
            return time.perf_counter() - started

    def delete_all(self) -> None:
        """Remove every index of this prefix and the template (tests, throw-away setups)."""
        with unavailable_on_errors("delete indices"):
            self.client.indices.delete(
                index=self.pattern, ignore_unavailable=True, allow_no_indices=True
            )
            try:
                self.client.indices.delete_index_template(name=self.template_name)
            except NotFoundError:
                pass

    # -- writes ------------------------------------------------------------------------------

    def _write_targets(self) -> list[str]:
        """The live index and any index being rebuilt (one request, two on first use)."""
        state = self.ensure_index()
        return sorted({*state.get(self.write_alias, ()), *state.get(self.building_alias, ())})

    def _bulk(
        self, actions: Iterable[dict], *, refresh: bool, progress=None, threads: int = 1
    ) -> int:
        """Run ``actions`` (``streaming_bulk``; with ``threads`` > 1, that many chunks in
        flight at once, and no ``refresh``: the rebuild refreshes its index itself); returns the
        documents written. 4xx rejections are logged with the
        document id and raised together (DocumentsRejected) once the rest is written.

        ``actions`` is always consumed in the calling thread (helpers.parallel_bulk would read
        it in a pool thread): a rebuild's actions read the database, and another thread's
        connection would not see the caller's transaction."""
        written = 0
        rejected: dict[str, str] = {}
        options = {"chunk_size": BULK_CHUNK, "raise_on_error": False, "raise_on_exception": True}

        def collect(results: Iterable[tuple[bool, dict]]) -> None:
            nonlocal written
            for ok, item in results:
                op, result = next(iter(item.items()))
                if ok:
                    written += op != "delete"
                    if progress is not None and op != "delete":
                        progress(1)
                    continue
                status = result.get("status", 0)
                if op == "delete" and status == 404:
                    continue
                if status == 429 or status >= 500:
                    raise SearchUnavailable(f"Elasticsearch bulk {op}: {result.get('error')}")
                reason = str(result.get("error", {}).get("reason", result.get("error")))
                logger.error(
                    "Elasticsearch rejected %s of %s in %s (%s): %s",
                    op,
                    result.get("_id"),
                    result.get("_index"),
                    status,
                    reason,
                )
                rejected[result.get("_id")] = reason

        def send(chunk: list[dict]) -> list[tuple[bool, dict]]:
            return list(helpers.streaming_bulk(self.client, chunk, max_retries=2, **options))

        with unavailable_on_errors("bulk"):
            if threads <= 1:
                collect(
                    helpers.streaming_bulk(
                        self.client, actions, max_retries=2, refresh=refresh, **options
                    )
                )
            else:
                with ThreadPoolExecutor(max_workers=threads) as pool:
                    in_flight: deque = deque()
                    iterator = iter(actions)
                    while chunk := list(islice(iterator, BULK_CHUNK)):
                        in_flight.append(pool.submit(send, chunk))
                        if len(in_flight) >= threads:
                            collect(in_flight.popleft().result())
                    while in_flight:
                        collect(in_flight.popleft().result())
        if rejected:
            raise DocumentsRejected(rejected)
        return written

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Write ``docs`` to the live index and to any index being rebuilt, then refresh
        (the hub's write rate is low: a refresh per outbox batch is cheap and makes a change
        searchable as soon as the batch returns)."""
        docs = list(docs)
        if not docs:
            return 0
        targets = self._write_targets()
        actions = (
            {"_op_type": "index", "_index": target, "_id": doc.id, "_source": to_source(doc)}
            for doc in docs
            for target in targets
        )
        written = self._bulk(actions, refresh=True)
        return written // max(len(targets), 1)

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        targets = self._write_targets()
        actions = (
            {"_op_type": "delete", "_index": target, "_id": doc_id}
            for doc_id in ids
            for target in targets
        )
        self._bulk(actions, refresh=True)

    def rebuild(self, docs: Iterable[SearchDocument], *, progress=None) -> int:
        """Build ``<prefix>-docs-<timestamp>`` from ``docs``, check its count, move both
        aliases to it in one call, delete the old index. Any failure (or a kill) before the
        swap leaves the aliases on the old index; a leftover is deleted by the next rebuild."""
        self.put_template()
        with unavailable_on_errors("rebuild"):
            for leftover in self._aliased(self.building_alias):
                logger.warning("Deleting %s, left over by an interrupted rebuild", leftover)
                self.client.indices.delete(index=leftover, ignore_unavailable=True)
            name = self.new_index_name()
            self.client.indices.create(
                index=name,
                aliases={self.building_alias: {}},
                settings={"index": {"refresh_interval": "-1", "translog.durability": "async"}},
            )
            self.client.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
        try:
            sent = 0

            def actions() -> Iterator[dict]:
                nonlocal sent
                for doc in docs:
                    sent += 1
                    yield {
                        "_op_type": "index",
                        "_index": name,
                        "_id": doc.id,
                        "_source": to_source(doc),
                    }

            written = self._bulk(
                actions(), refresh=False, progress=progress, threads=REBUILD_THREADS
            )
            with unavailable_on_errors("rebuild"):
                self.client.indices.put_settings(
                    index=name,
                    settings={"index": {"refresh_interval": None, "translog.durability": None}},
                )
                self.client.indices.refresh(index=name)
                count = self.client.count(index=name)["count"]
                # Outbox writes that arrive meanwhile (index() also writes here) may add or
                # remove a few documents; a real loss is larger than that.
                if written != sent or abs(count - written) > max(10, written // 1000):
                    raise RebuildCountMismatch(name, expected=sent, found=count)
                state = self._alias_state()
                old = sorted(
                    {*state.get(self.read_alias, ()), *state.get(self.write_alias, ())} - {name}
                )
                self.client.indices.update_aliases(
                    actions=[
                        *({"remove": {"index": o, "alias": self.read_alias}} for o in old),
                        *({"remove": {"index": o, "alias": self.write_alias}} for o in old),
                        {"remove": {"index": name, "alias": self.building_alias}},
                        {"add": {"index": name, "alias": self.read_alias}},
                        {"add": {"index": name, "alias": self.write_alias}},
                    ]
                )
        except BaseException:
            # An exception (not a kill) removes the partial index at once.
            try:
                self.client.indices.delete(index=name, ignore_unavailable=True)
            except Exception:  # noqa: BLE001 - the next rebuild deletes it anyway
                logger.warning("Could not delete the partial index %s", name)
            raise
        for o in old:
            try:
                self.client.indices.delete(index=o, ignore_unavailable=True)
            except (ApiError, TransportError):
                logger.warning("Could not delete the old index %s; delete it by hand", o)
        return count

    # -- reads -------------------------------------------------------------------------------

    def _search(self) -> Search:
        return Search(using=self.search_client, index=self.read_alias).extra(
            timeout=SEARCH_SERVER_TIMEOUT
        )

    @staticmethod
    def _visibility_filter(visibility: frozenset[str]) -> Query:
        return Q("terms", visibility=sorted(visibility))

    @staticmethod
    def _facet_filter(facet: str, values: tuple[str, ...]) -> Query:
        if facet == "year":
            years = [int(v) for v in values if str(v).isdigit()]
            return Q("terms", year=years)
        return Q("terms", **{facet: list(values)})

    @staticmethod
    def _words_query(
        words: tuple[str, ...],
        *,
        quoted: bool,
        prefix: bool,
        typos: bool = True,
        zero_terms: str = "all",
    ) -> Query:
        """One alternative of a clause: a word (stemmed, plus typos and prefix when asked)
        or a phrase (with a small slop). Words the analyzer drops entirely (stop words)
        match ``zero_terms``: "all" (neutral among required clauses) or "none" (relaxed
        matching, where "all" would let a stop word admit every document)."""
        text = " ".join(words)
        if len(words) > 1 or quoted:
            phrase = Q(
                "multi_match",
                query=text,
                type="phrase",
                slop=PHRASE_SLOP,
                fields=list(TEXT_FIELDS),
                zero_terms_query=zero_terms,
            )
            if not prefix or quoted:
                return phrase
            typed = Q("multi_match", query=text, type="phrase_prefix", fields=list(TEXT_FIELDS))
            return Q("bool", should=[phrase, typed], minimum_should_match=1)
        # combined_fields is BM25F: the weighted frequencies of all fields saturate together,
        # as in FTS5's bm25() with column weights (so a word in two fields is not scored twice).
        should = [
            Q(
                "combined_fields",
                query=text,
                fields=list(TEXT_FIELDS),
                operator="and",
                zero_terms_query=zero_terms,
            )
        ]
        if typos and FUZZY_MIN_LENGTH <= len(text) <= FUZZY_MAX_LENGTH:
            should.append(
                Q(
                    "multi_match",
                    query=text,
                    fields=list(FUZZY_FIELDS),
                    fuzziness=f"AUTO:{FUZZY_MIN_LENGTH},8",
                    prefix_length=1,
                    max_expansions=50,
                    operator="and",
                    boost=0.3,
                )
            )
        if prefix and len(text) >= 2:
            # Edge n-grams for the title (cheap, short); the rest by expanding the prefix to
            # a few indexed words (edge n-grams of every body would triple the rebuild time).
            should.append(Q("match", **{"title.prefix": {"query": text, "boost": 1.0}}))
            should.append(
                Q(
                    "match_phrase_prefix",
                    all_plain={"query": text, "max_expansions": PREFIX_EXPANSIONS, "boost": 0.5},
                )
            )
        return Q("bool", should=should, minimum_should_match=1)

    @staticmethod
    def _typo_words(query: ParsedQuery) -> list[str]:
        """The query's single unquoted words of fuzzy length: those that may match with
        typos, if the index does not hold them."""
        return sorted(
            {
                words[0]
                for clause in query.clauses
                if not clause.quoted
                for words in clause.alternatives
                if len(words) == 1 and FUZZY_MIN_LENGTH <= len(words[0]) <= FUZZY_MAX_LENGTH
            }
        )

    def _word_probes(self, words: list[str]) -> list[dict]:
        """msearch lines asking whether the index holds each word (``terminate_after: 1``
        term counts). They ignore visibility, which only decides whether typos are tried,
        never what is returned."""
        lines: list[dict] = []
        for word in words:
            lines.append({"index": self.read_alias})
            lines.append(
                {
                    "size": 0,
                    "terminate_after": 1,
                    "track_total_hits": 1,
                    "query": Q("term", all_plain=word).to_dict(),
                }
            )
        return lines

    @staticmethod
    def _unknown_words(words: list[str], responses: list[dict]) -> frozenset[str]:
        return frozenset(
            word
            for word, response in zip(words, responses, strict=True)
            if response.get("hits", {}).get("total", {}).get("value", 1) == 0
        )

    def _typo_candidates(self, query: ParsedQuery) -> frozenset[str]:
        """The query's words of fuzzy length that the index does not hold: only they also
        match with typos, as in the embedded backend. A known word is matched exactly, which
        keeps very common words fast (one pass over their postings, not two). One msearch
        (``search`` sends the probes together with its own requests instead)."""
        words = self._typo_words(query)
        if not words:
            return frozenset()
        responses = self._msearch(self._word_probes(words), "search")
        return frozenset() if responses is None else self._unknown_words(words, responses)

    def _text_query(
        self,
        query: ParsedQuery,
        *,
        exact: bool = False,
        typo_candidates: frozenset[str] | None = None,
    ) -> Query:
        """All clauses (AND; at least one of them with ``query.match_any``), each any of its
        alternatives, minus the exclusions. ``exact``
        leaves out the typo and prefix matches (the highlighter's query: it marks what the
        user wrote, as the embedded backend's snippets do, and stays fast). Typos are tried
        for the words in ``typo_candidates`` (all of fuzzy length when None)."""
        clauses = []
        for clause in query.clauses:
            # The prefix applies to the last word of what the user typed (alternatives[0]).
            alternatives = [
                self._words_query(
                    words,
                    quoted=clause.quoted,
                    prefix=clause.prefix and i == 0 and not exact,
                    typos=not exact
                    and (typo_candidates is None or " ".join(words) in typo_candidates),
                    zero_terms="none" if query.match_any else "all",
                )
                for i, words in enumerate(clause.alternatives)
                if words
            ]
            if alternatives:
                clauses.append(Q("bool", should=alternatives, minimum_should_match=1))
        must_not = [
            Q(
                "multi_match",
                query=" ".join(words),
                type="phrase",
                fields=[f.split("^")[0] for f in TEXT_FIELDS],
            )
            for words in query.excluded
            if words
        ]
        if not clauses:
            return Q("bool", must=[Q("match_all")], must_not=must_not)
        if query.match_any:
            # Each matching clause adds its score: documents with more of the words rank first.
            return Q("bool", should=clauses, minimum_should_match=1, must_not=must_not)
        return Q("bool", must=clauses, must_not=must_not)

    @staticmethod
    def _boosted(text_query: Query) -> Query:
        """The embedded backend's ranking: score x boost x recency, with the stored
        ``boost`` and recency computed now (1.1 today, linearly 1.0 at five years)."""
        boosted = Q(
            "function_score",
            query=text_query,
            functions=[{"field_value_factor": {"field": "boost", "missing": 1}}],
            boost_mode="multiply",
        )
        return Q(
            "function_score",
            query=boosted,
            functions=[
                {"weight": 1},
                {
                    "filter": Q("exists", field="published"),
                    "linear": {"published": {"origin": "now", "scale": "913d", "decay": 0.5}},
                    "weight": 0.1,
                },
            ],
            score_mode="sum",
            boost_mode="multiply",
        )

    def _base_search(self, query: ParsedQuery, visibility: frozenset[str]) -> Search:
        """The query with the visibility filter, scored as ``_visible_query`` says."""
        text = self._text_query(query, typo_candidates=self._typo_candidates(query))
        return self._search().query(self._visible_query(query, text, visibility))

    def _visible_query(
        self,
        query: ParsedQuery,
        text: Query,
        visibility: frozenset[str],
        *,
        scored: bool | None = None,
    ) -> Query:
        """``text`` among the documents the requester may see. Scored only when the order
        needs it (``scored`` None): the browse view is ordered by the stored rank, "newest"
        by date; ``scored=False`` for requests that only count."""
        visible = self._visibility_filter(visibility)
        if scored is None:
            scored = not (query.sort == SORT_NEWEST or query.is_empty)
        if not scored:
            return Q("bool", filter=[text, visible])
        return Q("bool", must=[self._boosted(text)], filter=[visible])

    def search_requests(
        self,
        query: ParsedQuery,
        visibility: frozenset[str],
        *,
        typo_candidates: frozenset[str],
    ) -> tuple[Search, Search]:
        """The two requests of ``search``, sent in one msearch so the node runs them side by
        side (their costs overlap instead of adding up):

        - **hits**: the scored page (sort, window, post_filter, highlighter), without a
          count (``track_total_hits`` off: the counts request has it);
        - **counts**: the same matches unscored (filter context), with the post_filter,
          ``size`` 0, the exact total and the facet aggregations. Being size 0 and free of
          ``now`` (the recency decay lives in the hits request only), it is answered again
          from the shard request cache until the next refresh: later pages and repeated
          queries cost the hits request alone.
        """
        filters = {f: tuple(v) for f, v in query.filters.items() if f in FACETS and v}
        facet_filters = {f: self._facet_filter(f, v) for f, v in filters.items()}
        post_filter = Q("bool", filter=list(facet_filters.values())) if facet_filters else None

        text = self._text_query(query, typo_candidates=typo_candidates)
        hits = self._search().query(self._visible_query(query, text, visibility))
        if post_filter is not None:
            hits = hits.post_filter(post_filter)
        if query.sort == SORT_NEWEST:
            hits = hits.sort({"published": {"order": "desc", "missing": "_last"}})
        elif query.is_empty:
            hits = hits.sort({"static_rank": {"order": "desc"}})
        offset = query.offset
        size = max(0, min(query.per_page, MAX_WINDOW - offset))
        hits = hits[offset : offset + size] if size else hits[0:0]
        hits = hits.extra(track_total_hits=False).source(
            excludes=["summary", "body", "replies", "facets", "all_*"]
        )
        highlight_query = self._text_query(query, exact=True) if not query.is_empty else None
        hits = hits.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=SNIPPET_CHARS,
            number_of_fragments=1,
            no_match_size=SNIPPET_CHARS,
            type="unified",
            highlight_query=(highlight_query or Q("match_none")).to_dict(),
        ).highlight(*SNIPPET_FIELDS)

        counts = self._search().query(self._visible_query(query, text, visibility, scored=False))
        if post_filter is not None:
            counts = counts.post_filter(post_filter)
        # Facets without a filter of their own share one count (under all the filters);
        # each filtered facet is counted under the other facets' filters only.
        terms = A("terms", field="facets", size=FACET_SIZE * len(FACETS))
        counts.aggs.bucket("shared", A("filter", post_filter or Q("match_all"))).bucket(
            "values", terms
        )
        for facet in facet_filters:
            others = [q for f, q in facet_filters.items() if f != facet]
            own = A("terms", field="facets", size=FACET_SIZE, include=f"{facet}\x1f.*")
            others_filter = Q("bool", filter=others) if others else Q("match_all")
            counts.aggs.bucket(facet, A("filter", others_filter)).bucket("values", own)
        counts = counts.extra(size=0, track_total_hits=True).params(request_cache=True)
        return hits, counts

    @staticmethod
    def _search_lines(searches: Iterable[Search], index: str) -> list[dict]:
        lines: list[dict] = []
        for search in searches:
            lines.append({"index": index, **search._params})
            lines.append(search.to_dict())
        return lines

    def _msearch(self, lines: list[dict], action: str) -> list[dict] | None:
        """The raw responses of one msearch (header and body ``lines``), or None when the
        index is missing. A sub-request's 429 or 5xx raises ``SearchUnavailable`` as a whole
        request's would; any other error is raised as the ``ApiError`` it is."""
        with unavailable_on_errors(action):
            try:
                raw = self.search_client.msearch(searches=lines)
            except NotFoundError:
                return None
            responses = raw["responses"]
            for response in responses:
                error = response.get("error")
                if error is None:
                    continue
                status = int(response.get("status") or 500)
                kind = error.get("type", "") if isinstance(error, dict) else ""
                if status == 404 or kind == "index_not_found_exception":
                    return None
                if status == 429 or status >= 500:
                    raise SearchUnavailable(f"Elasticsearch {action}: {kind or error}")
                raise ApiError(message=str(kind or error), meta=raw.meta, body=response)
        return responses

    def _search_responses(
        self, query: ParsedQuery, visibility: frozenset[str]
    ) -> tuple[Search, list[dict]] | None:
        """The hits request and the raw hits and counts responses, in one round trip for a
        query whose words the index holds.

        The word probes (``_word_probes``) go in the same msearch as the hits and counts
        requests built without typos: when every probed word is known, which is the usual
        case, those are the answer. Only when a word is unknown are the requests sent again
        with that word's typo matches (an unknown word matches few documents, so the first,
        exact pair cost little)."""
        words = self._typo_words(query)
        hits, counts = self.search_requests(query, visibility, typo_candidates=frozenset())
        lines = self._search_lines((hits, counts), self.read_alias) + self._word_probes(words)
        responses = self._msearch(lines, "search")
        if responses is None:
            return None
        unknown = self._unknown_words(words, responses[2:])
        if not unknown:
            return hits, responses[:2]
        hits, counts = self.search_requests(query, visibility, typo_candidates=unknown)
        responses = self._msearch(self._search_lines((hits, counts), self.read_alias), "search")
        return None if responses is None else (hits, responses)

    def search(self, query: ParsedQuery, *, visibility: frozenset[str]) -> SearchResults:
        started = time.perf_counter()
        filters = {f: tuple(v) for f, v in query.filters.items() if f in FACETS and v}
        answered = self._search_responses(query, visibility)
        if answered is None:
            return SearchResults(
                hits=(),
                total=0,
                page=query.page,
                per_page=query.per_page,
                notices=query.notices,
                took_ms=(time.perf_counter() - started) * 1000,
            )
        hits_search, responses = answered
        hits = self._hits(Response(hits_search, responses[0]))
        total = responses[1]["hits"]["total"]["value"]
        facets = self._facets(responses[1]["aggregations"], filters)
        suggestion = ""
        if total == 0 and not query.is_empty:
            suggestion = self._did_you_mean(query, visibility)
        return SearchResults(
            hits=hits,
            total=total,
            facets=facets,
            page=query.page,
            per_page=query.per_page,
            suggestion=suggestion,
            notices=query.notices,
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def _hits(self, response) -> tuple[Hit, ...]:
        return tuple(self._hit(hit, self._highlight(hit)) for hit in response.hits)

    @staticmethod
    def _highlight(hit) -> str:
        """The first fragment with a match (summary, body, replies), else the start of the
        first non-empty field, cut at a word (the highlighter's ``no_match_size``)."""
        highlight = getattr(hit.meta, "highlight", None)
        if highlight is None:
            return ""
        fragments = [
            fragment
            for field in SNIPPET_FIELDS
            for fragment in (getattr(highlight, field, None) or ())[:1]
        ]
        for fragment in fragments:
            if "<mark>" in fragment:
                return fragment
        if not fragments:
            return ""
        lead = " ".join(fragments[0].split())
        if len(lead) >= SNIPPET_CHARS and " " in lead:
            lead = lead.rsplit(" ", 1)[0] + "…"
        return lead

    def _summaries(self, ids: list[str]) -> dict[str, str]:
        """Escaped starts of the documents' text, for hits with nothing highlighted."""
        with unavailable_on_errors("snippets"):
            docs = self.search_client.mget(
                index=self.read_alias, ids=ids, source_includes=list(SNIPPET_FIELDS)
            )["docs"]
        snippets = {}
        for doc in docs:
            source = doc.get("_source") or {}
            text = next((source[f] for f in SNIPPET_FIELDS if source.get(f)), "")
            text = " ".join(text.split())
            if len(text) > SNIPPET_CHARS:
                text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
            snippets[doc["_id"]] = escape(text)
        return snippets

    @staticmethod
    def _hit(hit, snippet: str) -> Hit:
        source = hit.to_dict()
        return Hit(
            id=hit.meta.id,
            type=source.get("type", ""),
            title=source.get("title", ""),
            url=source.get("url", ""),
            snippet=snippet,
            topics=_terms(source.get("topics")),
            regions=_terms(source.get("regions")),
            author=source.get("author", ""),
            organisation=source.get("organisation", ""),
            published=_date(source.get("published")),
            kind=source.get("kind", ""),
            answered=source.get("answered"),
            score=hit.meta.score or 0.0,
        )

    @staticmethod
    def _facets(aggregations, filters: dict) -> dict[str, tuple[FacetValue, ...]]:
        """Counts per facet, ordered and completed by ``search.results.facet_values``."""
        rows: dict[str, list] = {facet: [] for facet in FACETS}
        for name in ("shared", *filters):
            for bucket in aggregations[name]["values"]["buckets"]:
                facet, value, label = str(bucket["key"]).split("\x1f", 2)
                if (name == "shared") == (facet not in filters):
                    rows[facet].append((value, label, bucket["doc_count"]))
        return {
            facet: facet_values(facet, values, filters.get(facet, ()))
            for facet, values in rows.items()
        }

    def _did_you_mean(self, query: ParsedQuery, visibility: frozenset[str]) -> str:
        """Each word replaced by its best correction from the index's vocabulary, kept only
        if the corrected query finds something this requester may see."""
        words = [w for clause in query.clauses for w in clause.alternatives[0]]
        if not words:
            return ""
        s = (
            self._search()
            .extra(size=0)
            .suggest(
                "spelling",
                " ".join(words),
                term={"field": "all_plain", "suggest_mode": "missing", "min_word_length": 3},
            )
        )
        with unavailable_on_errors("suggestion"):
            try:
                response = s.execute()
            except NotFoundError:
                return ""
        corrections = {
            entry.text: entry.options[0].text
            for entry in response.suggest.spelling
            if entry.options
        }
        if not corrections:
            return ""
        corrected = [corrections.get(w, w) for w in words]
        candidate = ParsedQuery(
            text=" ".join(corrected),
            clauses=tuple(Clause(alternatives=((w,),)) for w in corrected),
            filters=query.filters,
        )
        count_search = self._base_search(candidate, visibility).extra(size=0)
        if query.filters:
            count_search = count_search.filter(
                Q("bool", filter=[self._facet_filter(f, v) for f, v in query.filters.items()])
            )
        with unavailable_on_errors("suggestion"):
            if count_search.count() == 0:
                return ""
        return candidate.text

    def suggest(
        self, prefix: str, *, visibility: frozenset[str], limit: int = 8
    ) -> list[Suggestion]:
        words = re.findall(r"\w+", prefix.lower())[:20]
        if not words:
            return []
        *complete, last = words
        must = [Q("match", **{"title.plain": {"query": w}}) for w in complete]
        must.append(
            Q(
                "bool",
                should=[
                    Q("match", **{"title.prefix": {"query": last}}),
                    Q("match", **{"title.plain": {"query": last}}),
                ],
                minimum_should_match=1,
            )
        )
        s = (
            self._search()
            .query(Q("bool", must=must, filter=[self._visibility_filter(visibility)]))
            .source(["title", "url", "type"])[: max(1, min(limit, 50))]
        )
        with unavailable_on_errors("suggest"):
            try:
                response = s.execute()
            except NotFoundError:
                return []
        return [Suggestion(text=h.title, url=h.url, type=h.type) for h in response.hits]

    def more_like_this(
        self, doc_id: str, *, visibility: frozenset[str], limit: int = 5
    ) -> list[Hit]:
        """[] when ``doc_id`` is unknown or not visible to the requester (its text must not
        shape what they see)."""
        with unavailable_on_errors("related"):
            try:
                source = self.search_client.get(
                    index=self.read_alias, id=doc_id, source_includes=["visibility"]
                )
            except NotFoundError:
                return []
        if not set(source["_source"].get("visibility", ())) & visibility:
            return []
        like = Q(
            "more_like_this",
            fields=["title", "summary", "body", "replies"],
            like=[{"_index": source["_index"], "_id": doc_id}],
            min_term_freq=1,
            min_doc_freq=2,  # a word only the document itself has says nothing about others
            max_query_terms=12,
            minimum_should_match="1",
        )
        s = (
            self._search()
            .query(
                Q(
                    "bool",
                    must=[like],
                    filter=[self._visibility_filter(visibility)],
                    must_not=[Q("ids", values=[doc_id])],
                )
            )
            .source(excludes=["summary", "body", "replies", "facets", "all_*"])[
                : max(1, min(limit, 50))
            ]
        )
        with unavailable_on_errors("related"):
            response = s.execute()
        ids = [hit.meta.id for hit in response.hits]
        summaries = self._summaries(ids) if ids else {}
        return [self._hit(hit, summaries.get(hit.meta.id, "")) for hit in response.hits]

    def status(self) -> BackendStatus:
        """Per-type counts of the live index, and in ``details``: the aliases, the index
        behind them, its document count, any index a rebuild is building or left behind."""
        with unavailable_on_errors("status"):
            state = self._alias_state()
            live = state.get(self.read_alias, [])
            writes = state.get(self.write_alias, [])
            building = state.get(self.building_alias, [])
            by_type = dict.fromkeys(DOCUMENT_TYPES, 0)
            count = 0
            if live:
                s = self._search().extra(size=0)
                s.aggs.bucket("types", A("terms", field="type", size=10))
                response = s.execute()
                for bucket in response.aggregations.types.buckets:
                    by_type[bucket.key] = bucket.doc_count
                count = response.hits.total.value
        details = {
            "url": self.url,
            "read alias": f"{self.read_alias} -> {', '.join(live) or '(none)'}",
            "write alias": f"{self.write_alias} -> {', '.join(writes) or '(none)'}",
            "index": ", ".join(live) or "(none yet: run search_index rebuild)",
            "documents": str(count),
        }
        if building:
            details["building"] = ", ".join(building) + " (a rebuild in progress or left over)"
        return BackendStatus(name=self.name, documents_by_type=by_type, details=details)


class RebuildCountMismatch(Exception):
    """The new index does not hold every document sent to it; the aliases were not moved."""

    def __init__(self, index: str, *, expected: int, found: int):
        super().__init__(f"{index} holds {found} documents, {expected} were sent")
        self.expected = expected
        self.found = found
