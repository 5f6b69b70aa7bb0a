"""The synthetic search corpus and query classes both backends are measured with.

Documents have a realistic, Zipf-like vocabulary (a 30,000-word tail drawn with weight
1/rank, the sector's own words, filler) in which "water" appears in most documents. Query
classes: very common words, two and three words, a single rare word, phrases, prefixes
(autocomplete), typos, facet-filtered queries and browsing with no words; every query asks
for facets and snippets, as the search page does. Pure data: no database, no Django
settings (only ``search.documents`` types).
"""

import random
import statistics
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from search.documents import (
    CASE_STUDY,
    MEMBERS,
    METHOD_GUIDE,
    PUBLIC,
    THREAD,
    SearchDocument,
    Term,
)
from search.glossary import EMPTY_GLOSSARY
from search.parsing import parse_query

SECTOR = (
    "water utility customer service network pipe meter billing tariff leak pressure supply "
    "sanitation drought rationing complaint survey campaign radio outreach community school "
    "hygiene connection disconnection payment prepaid smart household regulator board crisis "
    "contamination outage alert message trust satisfaction engagement consultation letter "
    "notice bill price increase subsidy poverty informal settlement kiosk standpipe borehole "
    "treatment quality chlorine reservoir dam river catchment conservation efficiency loss "
    "revenue metering district zone pump energy maintenance repair crew staff training"
).split()
FILLER = "the of and to in a for with on is that by as we our their this from at".split()
TOPICS = [Term(f"topic-{i}", f"Topic {i}") for i in range(24)]
REGIONS = [Term(f"region-{i}", f"Region {i}") for i in range(9)]
COUNTRIES = [Term(f"country-{i}", f"Country {i}") for i in range(120)]
AUDIENCES = [Term(f"audience-{i}", f"Audience {i}") for i in range(8)]
CHANNELS = [Term(f"channel-{i}", f"Channel {i}") for i in range(10)]


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    seen, out = set(SECTOR) | set(FILLER), []
    while len(out) < size:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def make_docs(count: int, seed: int = 1) -> tuple[list[SearchDocument], list[str]]:
    rng = random.Random(seed)
    rare = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(rare))]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def text(n: int) -> str:
        out = []
        draws = rng.choices(rare, cum_weights=cumulative, k=n)
        for i in range(n):
            r = rng.random()
            if r < 0.35:
                out.append(rng.choice(FILLER))
            elif r < 0.55:
                out.append(rng.choice(SECTOR))
            else:
                out.append(draws[i])
        return " ".join(out)

    start = datetime(2015, 1, 1, tzinfo=UTC)
    docs = []
    for pk in range(1, count + 1):
        kind = rng.random()
        type_ = THREAD if kind < 0.6 else (CASE_STUDY if kind < 0.85 else METHOD_GUIDE)
        title = text(7)
        if rng.random() < 0.3:
            title = "water " + title
        body = text(rng.randint(60, 220))
        if rng.random() < 0.8:
            body = "water " + body  # "water" is in most documents
        country = rng.choice(COUNTRIES)
        docs.append(
            SearchDocument(
                id=f"{'forum.thread' if type_ == THREAD else 'kb.page'}:{pk}",
                type=type_,
                title=title,
                url=f"/x/{pk}/",
                summary=text(rng.randint(20, 50)),
                body=body,
                replies=text(rng.randint(0, 200)) if type_ == THREAD else "",
                topics=tuple(rng.sample(TOPICS, rng.randint(1, 3))),
                regions=(REGIONS[hash(country.slug) % len(REGIONS)],),
                countries=(country,),
                audiences=tuple(rng.sample(AUDIENCES, rng.randint(0, 2))),
                channels=tuple(rng.sample(CHANNELS, rng.randint(0, 2))),
                published=start + timedelta(days=rng.randint(0, 3650)),
                visibility=(MEMBERS,) if rng.random() < 0.2 else (PUBLIC,),
                kind=("question" if rng.random() < 0.7 else "discussion")
                if type_ == THREAD
                else "",
                answered=(rng.random() < 0.5) if type_ == THREAD else None,
                votes=int(rng.expovariate(0.3)) if type_ == THREAD else 0,
                reply_count=int(rng.expovariate(0.2)) if type_ == THREAD else 0,
            )
        )
    return docs, rare


def query_classes(rng: random.Random, rare: list[str], n: int):
    mid = rare[200:3000]
    tail = rare[5000:]
    classes = {
        "common term": [rng.choice(["water", "water utility", "customer water"]) for _ in range(n)],
        "two words": [" ".join(rng.sample(SECTOR, 2)) for _ in range(n)],
        "three words": [
            f"{rng.choice(SECTOR)} {rng.choice(SECTOR)} {rng.choice(mid)}" for _ in range(n)
        ],
        "rare term": [rng.choice(tail) for _ in range(n)],
        "phrase": [f'"{rng.choice(SECTOR)} {rng.choice(SECTOR)}"' for _ in range(n)],
        "prefix": [rng.choice(SECTOR + mid)[:4] for _ in range(n)],
        "typo": [_typo(rng, rng.choice(mid)) for _ in range(n)],
        "filtered": [rng.choice(["water", rng.choice(SECTOR), rng.choice(mid)]) for _ in range(n)],
        "browse (empty)": ["" for _ in range(n)],
    }
    return classes


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + rng.choice("aeiou") + word[i + 1 :] + " "


@dataclass(frozen=True)
class ClassTiming:
    name: str
    queries: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    average_hits: float


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


WARMUP_QUERIES = 20
"""Untimed queries per class before any is timed. A node just started (or an index just
built) answers its first queries while the JVM compiles its hot paths and the caches fill:
the budgets are about the steady state, so every class is warmed first."""


def time_query_classes(backend, rare: list[str], queries: int, *, seed: int = 7):
    """Time every query class on ``backend`` (visitor and member alternately, every fifth
    query on page 2), after ``WARMUP_QUERIES`` untimed queries of every class (other texts
    of the same class). Returns a list of ClassTiming."""
    rng = random.Random(seed)
    visitor, member = frozenset({PUBLIC}), frozenset({PUBLIC, MEMBERS})
    warmup = query_classes(random.Random(seed + 1), rare, WARMUP_QUERIES)
    for texts in warmup.values():
        for text in texts:
            backend.search(parse_query(text, glossary=EMPTY_GLOSSARY), visibility=visitor)
    out = []
    for name, texts in query_classes(rng, rare, queries).items():
        timings, totals = [], []
        for i, text in enumerate(texts):
            query = parse_query(text, glossary=EMPTY_GLOSSARY)
            if name == "filtered":
                filters = {"region": (rng.choice(REGIONS).slug,)}
                if i % 2:
                    filters["type"] = (THREAD,)
                query = replace(query, filters=filters)
            if i % 5 == 4:
                query = replace(query, page=2)
            started = time.perf_counter()
            results = backend.search(query, visibility=member if i % 2 else visitor)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
        out.append(
            ClassTiming(
                name,
                len(texts),
                statistics.median(timings),
                _p95(timings),
                max(timings),
                statistics.mean(totals),
            )
        )
    timings = []
    for _ in range(queries):
        prefix = rng.choice(SECTOR)[: rng.randint(2, 5)]
        started = time.perf_counter()
        backend.suggest(prefix, visibility=visitor)
        timings.append((time.perf_counter() - started) * 1000)
    out.append(
        ClassTiming(
            "suggest", len(timings), statistics.median(timings), _p95(timings), max(timings), 0
        )
    )
    return out
