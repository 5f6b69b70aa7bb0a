"""Benchmark the Elasticsearch backend: rebuild docs/s and query p95 (with facets).

    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python tools/bench_search_elasticsearch.py
        [--docs 50000] [--repeat 30]

Synthetic documents (no database) go into throw-away indices named ``<prefix>-bench-<random>``,
deleted at the end. Every query computes all facet counts, as the search page does.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from search.backends.elasticsearch import ElasticsearchBackend  # noqa: E402
from search.documents import MEMBERS, PUBLIC, SearchDocument, Term  # noqa: E402
from search.query import Clause, ParsedQuery  # noqa: E402

WORDS = (
    "water pipe leak pressure meter district metered area utility tariff billing customer "
    "network valve pump reservoir treatment quality chlorine sanitation sewer drainage flood "
    "drought rainfall catchment groundwater borehole aquifer irrigation demand supply audit "
    "loss revenue collection efficiency asset maintenance repair replacement mapping survey "
    "community engagement training capacity governance regulation policy finance investment"
).split()
RARE = [f"zq{n:04d}" for n in range(2000)]
TOPICS = [Term(f"topic-{n}", f"Topic {n}") for n in range(40)]
REGIONS = [Term(f"region-{n}", f"Region {n}") for n in range(8)]
TYPES = ("case_study", "method_guide", "thread")


def synthetic(n: int, seed: int = 1):
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for pk in range(n):
        kind = TYPES[pk % 3]

        def text(k):
            return " ".join(rng.choice(WORDS) for _ in range(k)) + " " + rng.choice(RARE)

        yield SearchDocument(
            id=f"bench:{pk}",
            type=kind,
            title=text(6).capitalize(),
            url=f"/bench/{pk}/",
            summary=text(30),
            body=text(120),
            replies=text(80) if kind == "thread" else "",
            topics=tuple(rng.sample(TOPICS, 2)),
            regions=(rng.choice(REGIONS),),
            published=start + timedelta(days=rng.randrange(3650)),
            visibility=(MEMBERS,) if pk % 5 == 0 else (PUBLIC,),
            kind="question" if kind == "thread" else "",
            answered=(pk % 2 == 0) if kind == "thread" else None,
            votes=rng.randrange(20),
            reply_count=rng.randrange(10) if kind == "thread" else 0,
        )


def q(*words, phrase=False, prefix=False, **options):
    if phrase:
        clauses = (Clause(alternatives=(words,), quoted=True),)
    else:
        clauses = tuple(
            Clause(alternatives=((w,),), prefix=prefix and i == len(words) - 1)
            for i, w in enumerate(words)
        )
    return ParsedQuery(text=" ".join(words), clauses=clauses, **options)


QUERIES = {
    "common term (water)": q("water"),
    "two terms": q("leak", "pressure"),
    "rare term": q("zq0042"),
    "phrase": q("district", "metered", phrase=True),
    "prefix (autocomplete)": q("leak", "pres", prefix=True),
    "typo": q("presure"),
    "filtered (topic+year)": q("water", filters={"topic": ("topic-3",), "year": ("2020",)}),
    "browse (empty query)": ParsedQuery(),
    "newest": q("pump", sort="newest"),
    "glossary alternatives": ParsedQuery(
        text="nrw",
        clauses=(Clause(alternatives=(("nrw",), ("revenue", "loss"), ("water", "loss"))),),
    ),
}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("ELASTICSEARCH_URL") or sys.exit("Set ELASTICSEARCH_URL.")
    base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "pcc"
    backend = ElasticsearchBackend(
        url=url, prefix=f"{base}-bench-{uuid.uuid4().hex[:8]}", glossary=lambda: []
    )
    try:
        docs = list(synthetic(args.docs))  # generated first: the figure is the backend's
        started = time.perf_counter()
        count = backend.rebuild(docs)
        elapsed = time.perf_counter() - started
        say(f"rebuild: {count} docs in {elapsed:.1f} s = {count / elapsed:,.0f} docs/s")
        members = frozenset({PUBLIC, MEMBERS})
        all_times = []
        for label, query in QUERIES.items():
            backend.search(query, visibility=members)  # warm
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                backend.search(query, visibility=members)
                times.append((time.perf_counter() - t) * 1000)
            all_times += times
            p95 = statistics.quantiles(times, n=20)[-1]
            say(f"  {label:26s} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")
        p95 = statistics.quantiles(all_times, n=20)[-1]
        say(f"search with facets, all classes: p95 {p95:.1f} ms over {len(all_times)} queries")
        closed = backend.refresh_synonyms()
        say(f"refresh_synonyms: index closed for {closed:.2f} s")
    finally:
        backend.delete_all()


if __name__ == "__main__":
    main()
