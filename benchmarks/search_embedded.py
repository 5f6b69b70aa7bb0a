"""The embedded search backend at 50,000 synthetic documents (``benchmarks.search_corpus``).

    .venv/bin/python -m benchmarks.search_embedded [--docs 50000] [--queries 200] [--json]

Times a rebuild (documents per second; the documents are generated first, so the figure is
the backend's), then p50/p95 per query class with facets and snippets, ``suggest``,
``more_like_this``, and a single-document ``index()`` followed by the first query after it
(the in-memory bitmaps brought forward), as a site's writes do. Budgets (issue 14): p95 <= 50
ms for every class, rebuild >= 5,000 docs/s. Needs no database. ``make bench`` runs it.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from benchmarks.search_corpus import (  # noqa: E402
    SECTOR,
    ClassTiming,
    make_docs,
    time_query_classes,
)
from search.backends.embedded import EmbeddedBackend  # noqa: E402
from search.documents import MEMBERS, PUBLIC  # noqa: E402
from search.glossary import EMPTY_GLOSSARY  # noqa: E402
from search.parsing import parse_query  # noqa: E402


def timing(name: str, timings: list[float]) -> ClassTiming:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return ClassTiming(name, len(ordered), statistics.median(ordered), p95, ordered[-1], 0)


def measure(docs_count: int, queries: int, folder: Path) -> dict:
    docs, rare = make_docs(docs_count)
    backend = EmbeddedBackend(folder / "index.sqlite3")
    started = time.perf_counter()
    backend.rebuild(docs)
    elapsed = time.perf_counter() - started
    classes = time_query_classes(backend, rare, queries)
    rng = random.Random(11)
    visitor, member = frozenset({PUBLIC}), frozenset({PUBLIC, MEMBERS})
    similar = []
    for _ in range(min(queries, 100)):
        doc = rng.choice(docs)
        t = time.perf_counter()
        backend.more_like_this(doc.id, visibility=member)
        similar.append((time.perf_counter() - t) * 1000)
    writes, firsts = [], []
    for i in range(min(queries, 100)):
        doc = replace(rng.choice(docs), title=f"water {rng.choice(SECTOR)} edited {i}")
        t = time.perf_counter()
        backend.index([doc])
        writes.append((time.perf_counter() - t) * 1000)
        text = rng.choice(["water", rng.choice(SECTOR), f"{rng.choice(SECTOR)} water"])
        t = time.perf_counter()
        backend.search(parse_query(text, glossary=EMPTY_GLOSSARY), visibility=visitor)
        firsts.append((time.perf_counter() - t) * 1000)
    extra = [
        timing("more_like_this", similar),
        timing("index(1 doc)", writes),
        timing("query after index(1 doc)", firsts),
    ]
    return {
        "backend": "embedded",
        "docs": len(docs),
        "rebuild_seconds": elapsed,
        "rebuild_docs_per_s": len(docs) / elapsed,
        "classes": [asdict(c) for c in classes],
        "extra": [asdict(c) for c in extra],
        "status": str(backend.status().details),
    }


def print_table(figures: dict) -> None:
    out = sys.stdout
    out.write(
        f"rebuild: {figures['docs']:,} docs in {figures['rebuild_seconds']:.1f} s"
        f" = {figures['rebuild_docs_per_s']:,.0f} docs/s\n\n"
    )
    out.write(f"{'class':<26}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'hits':>9}\n")
    for row in figures["classes"] + figures["extra"]:
        out.write(
            f"{row['name']:<26}{row['queries']:>8}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['max_ms']:>9.1f}{row['average_hits']:>9,.0f}\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--path", default=None)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as scratch:
        figures = measure(args.docs, args.queries, Path(args.path or scratch))
    if args.json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        print_table(figures)


if __name__ == "__main__":
    main()
