"""The one query parser every backend shares: user text and filters -> ``ParsedQuery``.

Contract (the tests in tests/search/test_parsing.py hold it):

- Words are compared normalised (``search.glossary.normalise``: NFKC, case-folded, no
  diacritics); control characters are removed; text over ``MAX_QUERY_LENGTH`` characters is
  cut, with a notice.
- ``"quoted phrases"`` become one quoted clause; ``-word`` and ``-"a phrase"`` become
  exclusions. A quote without its pair is ignored, a lone ``-`` is ignored, and everything
  else (``* ^ : ( ) NEAR AND OR NOT \\ / ~``) is plain text: nothing here ever raises, and no
  backend receives user syntax.
- Each remaining word is one clause, except that a run of words matching a glossary term,
  acronym or synonym (hyphens split words: "non-revenue water") becomes a single clause whose
  alternatives are every variant of that entry. ``alternatives[0]`` is always what the user
  typed.
- Common English function words ("how", "do", "the") are dropped outside phrases, unless the
  query has nothing else, so question-form queries find their answers.
- ``prefix`` is set on the last clause when the text does not end with whitespace and its last
  token is a plain word (autocomplete); it applies to the last word of ``alternatives[0]``.
- Filters: unknown facet names and unknown values are dropped, each with a notice. Taxonomy
  slugs are checked against the taxonomy tables (a country may also be given by its ISO
  alpha-2 code), ``type`` against DOCUMENT_TYPES, ``year`` must be an integer 1900..2100.
  ``page`` below 1 or not a number becomes 1, an unknown sort becomes relevance, each with a
  notice.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext, ngettext

from search.documents import DOCUMENT_TYPES
from search.glossary import Glossary, current_glossary, normalise, words
from search.query import FACETS, SORT_RELEVANCE, SORTS, Clause, ParsedQuery
from taxonomy.models import Audience, Channel, Country, Region, Topic

MAX_QUERY_LENGTH = 500
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
MIN_YEAR, MAX_YEAR = 1900, 2100

STOP_WORDS = frozenset(
    """a an and are as at be but by can could did do does for from had has have how i if in
    into is it its me my of on or our should so than that the their them then there these
    they this to was we were what when where which who why will with would you your""".split()
)

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_TAXONOMY = {
    "topic": Topic,
    "region": Region,
    "audience": Audience,
    "channel": Channel,
}


def clean_text(text: str) -> str:
    """``text`` without control or format characters; tabs and newlines become spaces."""
    out = []
    for ch in str(text or ""):
        category = unicodedata.category(ch)
        if ch.isspace():
            out.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def parse_query(
    text: str,
    *,
    filters: Mapping[str, Iterable[str]] | None = None,
    sort: str = SORT_RELEVANCE,
    page: int | str = 1,
    per_page: int | str = 20,
    glossary: Glossary | None = None,
) -> ParsedQuery:
    """Parse ``text`` and validate the rest. ``glossary`` defaults to the database's."""
    notices: list[str] = []
    cleaned = clean_text(text)
    if len(cleaned) > MAX_QUERY_LENGTH:
        cleaned = cleaned[:MAX_QUERY_LENGTH]
        notices.append(
            gettext("Your search was cut to its first %(limit)d characters.")
            % {"limit": MAX_QUERY_LENGTH}
        )
    clauses, excluded = _parse_text(cleaned, current_glossary() if glossary is None else glossary)
    return ParsedQuery(
        text=cleaned.strip(),
        clauses=clauses,
        excluded=excluded,
        filters=_validate_filters(filters or {}, notices),
        sort=_validate_sort(sort, notices),
        page=_validate_page(page, notices),
        per_page=_validate_per_page(per_page),
        notices=tuple(notices),
    )


def _parse_text(text: str, glossary: Glossary):
    if text.count('"') % 2:  # an unpaired quote is ignored, the rest stays plain text
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
    phrases: list[tuple[str, ...]] = []
    plain: list[list[str]] = [[]]  # runs of plain words, split where a phrase intervenes
    excluded: list[tuple[str, ...]] = []
    prefix = False
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        prefix = False
        if bare is None:
            sequence = words(quoted)
            if not sequence:
                continue
            if minus:
                if sequence not in excluded:  # each exclusion once, quoted or not
                    excluded.append(sequence)
            else:
                phrases.append(sequence)
                plain.append([])
            continue
        if bare.startswith("-") and len(bare) > 1 and words(bare):
            sequence = words(bare)
            if sequence not in excluded:
                excluded.append(sequence)
            continue
        found = words(bare)
        if found:
            plain[-1].extend(found)
            prefix = not text[match.end() :] and bool(_last_is_word(bare))
    clauses: list[Clause] = []
    for run_index, run in enumerate(plain):
        is_last_run = run_index == len(plain) - 1
        clauses.extend(_expand_run(run, glossary, prefix=prefix and is_last_run))
    clauses.extend(Clause(alternatives=(p,), quoted=True) for p in phrases)
    return _drop_stop_words(clauses), tuple(excluded)


def _last_is_word(token: str) -> bool:
    """A token ending in a letter or digit (``wat`` yes, ``water?`` no)."""
    last = normalise(token[-1:])
    return bool(last) and last[-1].isalnum()


def _expand_run(run: list[str], glossary: Glossary, *, prefix: bool) -> list[Clause]:
    clauses = []
    index = 0
    while index < len(run):
        length, alternatives = glossary.match(run, index)
        if not length:
            length, alternatives = 1, ((run[index],),)
        index += length
        at_end = index == len(run)
        clauses.append(Clause(alternatives=alternatives, prefix=prefix and at_end))
    return clauses


def _drop_stop_words(clauses: list[Clause]) -> tuple[Clause, ...]:
    def is_function_word(clause: Clause) -> bool:
        return (
            not clause.quoted
            and len(clause.alternatives) == 1
            and len(clause.alternatives[0]) == 1
            and clause.alternatives[0][0] in STOP_WORDS
        )

    if all(is_function_word(c) for c in clauses):
        return tuple(clauses)  # only function words ("how do I"): keep them all
    # a word still being typed is kept: "the" may become "theft"
    return tuple(c for c in clauses if c.prefix or not is_function_word(c))


def _validate_sort(sort: str, notices: list[str]) -> str:
    if sort in SORTS:
        return sort
    if sort:
        notices.append(gettext("Unknown sort order; results are sorted by relevance."))
    return SORT_RELEVANCE


def _validate_page(page, notices: list[str]) -> int:
    try:
        number = int(str(page).strip())
    except (TypeError, ValueError):
        notices.append(gettext("That page number is not valid; showing the first page."))
        return 1
    if number < 1:
        notices.append(gettext("That page number is not valid; showing the first page."))
        return 1
    if number > MAX_PAGE:
        notices.append(gettext("Pages stop at %(max)d; showing page %(max)d.") % {"max": MAX_PAGE})
        return MAX_PAGE
    return number


def _validate_per_page(per_page) -> int:
    try:
        number = int(str(per_page).strip())
    except (TypeError, ValueError):
        return 20
    return min(max(number, 1), MAX_PER_PAGE)


def _validate_filters(
    filters: Mapping[str, Iterable[str]], notices: list[str]
) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for facet, raw_values in filters.items():
        if isinstance(raw_values, str):
            raw_values = [raw_values]
        values = []
        for raw in raw_values or ():
            value = clean_text(raw).strip()
            if value and value not in values:
                values.append(value)
        if not values:
            continue
        if facet not in FACETS:
            notices.append(gettext("Unknown filter “%(name)s” was ignored.") % {"name": facet})
            continue
        accepted = _known_values(facet, values)
        dropped = [v for v in values if v not in accepted]
        if dropped:
            notices.append(
                ngettext(
                    "Unknown %(facet)s value ignored: %(values)s.",
                    "Unknown %(facet)s values ignored: %(values)s.",
                    len(dropped),
                )
                % {"facet": facet, "values": ", ".join(dropped)}
            )
        kept = tuple(accepted[v] for v in values if v in accepted)
        if kept:
            result[facet] = tuple(dict.fromkeys(kept))
    return result


def _known_values(facet: str, values: list[str]) -> dict[str, str]:
    """Map each valid given value to its canonical form (slugs, years as text)."""
    if facet == "type":
        return {v: v for v in values if v in DOCUMENT_TYPES}
    if facet == "year":
        known = {}
        for v in values:
            if v.isdigit() and len(v) == 4 and MIN_YEAR <= int(v) <= MAX_YEAR:
                known[v] = str(int(v))
        return known
    if facet == "country":
        by_slug = set(Country.objects.filter(slug__in=values).values_list("slug", flat=True))
        codes = [v.upper() for v in values if len(v) == 2]
        by_code = dict(
            Country.objects.filter(iso_alpha2__in=codes).values_list("iso_alpha2", "slug")
        )
        known = {v: v for v in values if v in by_slug}
        for v in values:
            if v not in known and v.upper() in by_code:
                known[v] = by_code[v.upper()]
        return known
    model = _TAXONOMY[facet]
    found = set(model.objects.filter(slug__in=values).values_list("slug", flat=True))
    return {v: v for v in values if v in found}
