"""Benchmark the embedded search backend at 50,000 synthetic documents.

    .venv/bin/python tools/bench_search.py [--docs 50000] [--queries 200] [--path DIR]

Generates documents with a realistic, Zipf-like vocabulary in which "water" appears in most
documents, times a rebuild (docs/s), then the p50/p95 latency of each query class (common
term, rare term, phrase, prefix, filtered, browse with facets), every query with facets and
snippets, as a visitor and as a member; then a single-document index() and the first query
after it (the in-memory bitmaps brought forward), as a site's writes do. Budgets (issue 10):
p95 <= 50 ms, rebuild >= 5,000 docs/s. Needs no database: the parser runs with an empty glossary.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from search.backends.embedded import EmbeddedBackend  # noqa: E402
from search.documents import (  # noqa: E402
    CASE_STUDY,
    MEMBERS,
    METHOD_GUIDE,
    PUBLIC,
    THREAD,
    SearchDocument,
    Term,
)
from search.glossary import EMPTY_GLOSSARY  # noqa: E402
from search.parsing import parse_query  # noqa: E402

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


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


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
        "sector words": [" ".join(rng.sample(SECTOR, 2)) for _ in range(n)],
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--path", default=None)
    args = parser.parse_args()

    t0 = time.perf_counter()
    docs, rare = make_docs(args.docs)
    say(f"generated {len(docs):,} documents in {time.perf_counter() - t0:.1f} s")
    folder = Path(args.path or tempfile.mkdtemp(prefix="bench-search-"))
    backend = EmbeddedBackend(folder / "index.sqlite3")
    t0 = time.perf_counter()
    backend.rebuild(docs)
    elapsed = time.perf_counter() - t0
    say(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    say(f"rebuild: {len(docs):,} docs in {elapsed:.1f} s = {len(docs) / elapsed:,.0f} docs/s")

    rng = random.Random(7)
    visitor, member = frozenset({PUBLIC}), frozenset({PUBLIC, MEMBERS})
    say(f"\n{'class':<16}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'avg hits':>10}")
    for name, texts in query_classes(rng, rare, args.queries).items():
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
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        say(
            f"{name:<16}{len(texts):>8}{statistics.median(timings):>9.1f}{p95:>9.1f}"
            f"{timings[-1]:>9.1f}{statistics.mean(totals):>10,.0f}"
        )
    timings = []
    for _ in range(args.queries):
        prefix = rng.choice(SECTOR)[: rng.randint(2, 5)]
        started = time.perf_counter()
        backend.suggest(prefix, visibility=visitor)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    say(f"{'suggest':<16}{len(timings):>8}{statistics.median(timings):>9.1f}{p95:>9.1f}")
    timings = []
    for _ in range(min(args.queries, 100)):
        doc = rng.choice(docs)
        started = time.perf_counter()
        backend.more_like_this(doc.id, visibility=member)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    say(f"{'more_like_this':<16}{len(timings):>8}{statistics.median(timings):>9.1f}{p95:>9.1f}")
    writes, firsts = [], []
    for i in range(min(args.queries, 100)):
        doc = replace(rng.choice(docs), title=f"water {rng.choice(SECTOR)} edited {i}")
        started = time.perf_counter()
        backend.index([doc])
        writes.append((time.perf_counter() - started) * 1000)
        text = rng.choice(["water", rng.choice(SECTOR), f"{rng.choice(SECTOR)} water"])
        started = time.perf_counter()
        backend.search(parse_query(text, glossary=EMPTY_GLOSSARY), visibility=visitor)
        firsts.append((time.perf_counter() - started) * 1000)
    for name, timings in (("index(1 doc)", writes), ("query after it", firsts)):
        timings.sort()
        p95 = timings[int(len(timings) * 0.95)]
        say(f"{name:<16}{len(timings):>8}{statistics.median(timings):>9.1f}{p95:>9.1f}")
    say(f"\nindex: {backend.status().details}")
    say(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
