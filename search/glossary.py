"""Glossary synonyms and acronyms for query expansion, and the one text normalisation.

``normalise`` and ``words`` define how every part of search compares text: NFKC, case-folded,
diacritics stripped, split into runs of letters and digits (hyphens, apostrophes and other
punctuation separate words, as SQLite's unicode61 tokenizer does).

``current_glossary()`` reads ``taxonomy.GlossaryTerm`` on every call (the table is tiny: one
cheap query) and reuses the parsed table while the rows are unchanged, so an editor's new or
edited entry takes effect on the next query, in every process, with no rebuild and no signal.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from taxonomy.models import GlossaryTerm

_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """``text`` as search compares it: NFKC, case-folded, without diacritics."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def words(text: str) -> tuple[str, ...]:
    """The normalised words of ``text`` (``"Non-Revenue Water"`` -> non, revenue, water)."""
    return tuple(_WORD.findall(normalise(text)))


def match_key(word: str) -> str:
    """A loose key for matching glossary entries: English plurals (-s, -es) are ignored."""
    if len(word) > 4 and word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Glossary:
    """Groups of equivalent word sequences (a term with its acronyms and synonyms).

    ``lookup`` maps the match keys of a variant to the index of its group; ``longest`` is
    the longest variant, in words, which bounds the query scan.
    """

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    lookup: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False)
    longest: int = 0

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, str, str]]) -> "Glossary":
        """Build from ``(term, acronyms, synonyms)`` rows, the last two comma-separated.

        Entries sharing a variant are merged into one group, so "NRW" defined in two terms
        expands to both.
        """
        groups: list[list[tuple[str, ...]]] = []
        lookup: dict[tuple[str, ...], int] = {}
        for term, acronyms, synonyms in entries:
            variants = []
            for raw in (term, *(acronyms or "").split(","), *(synonyms or "").split(",")):
                variant = words(raw)
                if variant and variant not in variants:
                    variants.append(variant)
            if len(variants) < 2:
                continue
            keys = [tuple(match_key(w) for w in v) for v in variants]
            known = sorted({lookup[k] for k in keys if k in lookup})
            if known:
                target = known[0]
                for other in known[1:]:  # this entry links two groups: merge them
                    for variant in groups[other]:
                        if variant not in groups[target]:
                            groups[target].append(variant)
                    for key, index in list(lookup.items()):
                        if index == other:
                            lookup[key] = target
                    groups[other] = []
            else:
                target = len(groups)
                groups.append([])
            for variant, key in zip(variants, keys, strict=True):
                if variant not in groups[target]:
                    groups[target].append(variant)
                lookup[key] = target
        frozen = tuple(tuple(g) for g in groups)
        longest = max((len(v) for g in frozen for v in g), default=0)
        return cls(groups=frozen, lookup=lookup, longest=longest)

    def match(self, sequence: Sequence[str], start: int) -> tuple[int, tuple]:
        """The longest glossary variant starting at ``sequence[start]``.

        Returns ``(length, alternatives)``: how many words matched and every variant of the
        group, the matched words first; ``(0, ())`` when none matches.
        """
        upper = min(self.longest, len(sequence) - start)
        for length in range(upper, 0, -1):
            span = tuple(sequence[start : start + length])
            group = self.lookup.get(tuple(match_key(w) for w in span))
            if group is not None:
                others = tuple(v for v in self.groups[group] if v != span)
                return length, (span, *others)
        return 0, ()


EMPTY_GLOSSARY = Glossary()


@lru_cache(maxsize=8)
def _parsed(rows: tuple[tuple[str, str, str], ...]) -> Glossary:
    return Glossary.from_entries(rows)


def current_glossary() -> Glossary:
    """The glossary as the database holds it now (one query; parsing is cached by content)."""
    rows = tuple(GlossaryTerm.objects.order_by("pk").values_list("term", "acronyms", "synonyms"))
    return _parsed(rows)
