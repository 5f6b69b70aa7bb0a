"""What a backend is asked: a parsed query with its filters, built by ``search.parsing``.

The parser is shared by every backend, so user syntax ("phrases", -exclusions, FTS5 or
Lucene operators) is turned into these plain values once, and no backend ever sees the raw
string as query syntax.
"""

from dataclasses import dataclass, field

FACETS = ("type", "topic", "region", "country", "audience", "channel", "year")
"""Facet names, in the order pages show them. Several values of one facet are OR-ed, different
facets are AND-ed."""

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORTS = (SORT_RELEVANCE, SORT_NEWEST)


@dataclass(frozen=True)
class Clause:
    """One required part of the query: it matches if any alternative matches.

    Each alternative is a sequence of normalised words (lower case); more than one word is a
    phrase. The glossary adds alternatives (``nrw`` -> ``non revenue water``, ``water
    losses``). ``prefix`` marks the last word the user typed (no trailing space): it also
    matches as a prefix, for autocomplete.
    """

    alternatives: tuple[tuple[str, ...], ...]
    quoted: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready for any backend.

    ``clauses`` are AND-ed (OR-ed when ``match_any``); a document matching any of
    ``excluded`` (word sequences) is left out. ``filters`` maps a facet name from FACETS to
    the accepted values (OR); unknown values were already dropped by the parser, with a
    notice. An empty query (no clauses) matches every visible document: the browse view.
    """

    text: str = ""
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = SORT_RELEVANCE
    page: int = 1
    per_page: int = 20
    notices: tuple[str, ...] = ()
    match_any: bool = False
    """Relaxed matching: a document matching at least one clause qualifies (ranked by how well
    it matches). The query layer retries this way when every clause together matched nothing,
    so a question in plain words ("what should a boil water text say?") still finds answers."""

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page
