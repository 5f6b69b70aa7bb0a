"""The Elasticsearch backend at 50,000 synthetic documents (``benchmarks.search_corpus``).

    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python -m benchmarks.search_elasticsearch
        [--docs 50000] [--queries 200] [--json]

The same documents and query classes as the embedded benchmark go into throw-away indices
named ``<prefix>-bench-<random>``, deleted at the end. Reports rebuild documents per second,
p50/p95 per class (every query with facets), the time the index is closed by
``refresh_synonyms``, and the node's resident memory (its pid from the nodes API, RSS from
/proc when the node runs on this machine). Budgets (issue 14): p95 <= 30 ms, >= 2,000 docs/s.
"""

import argparse
import json
import os
import sys
import time
import uuid
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from benchmarks.search_corpus import make_docs, time_query_classes  # noqa: E402
from search.backends.elasticsearch import ElasticsearchBackend  # noqa: E402


def node_rss_mb(backend: ElasticsearchBackend) -> float | None:
    """The local node's resident set size in MB, or None if it runs elsewhere."""
    try:
        info = backend.client.nodes.info(node_id="_local", metric="process")
        pid = next(iter(info["nodes"].values()))["process"]["id"]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, KeyError, StopIteration):
        return None
    return None


def measure(url: str, docs_count: int, queries: int) -> dict:
    base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "pcc"
    backend = ElasticsearchBackend(
        url=url,
        prefix=f"{base}-bench-{uuid.uuid4().hex[:8]}",
        glossary=lambda: [],
        search_timeout=10.0,  # a loaded machine: measure slow answers rather than fail
    )
    try:
        docs, rare = make_docs(docs_count)
        started = time.perf_counter()
        count = backend.rebuild(docs)
        elapsed = time.perf_counter() - started
        classes = time_query_classes(backend, rare, queries)
        closed = backend.refresh_synonyms()
        return {
            "backend": "elasticsearch",
            "docs": count,
            "rebuild_seconds": elapsed,
            "rebuild_docs_per_s": count / elapsed,
            "classes": [asdict(c) for c in classes],
            "extra": [],
            "refresh_synonyms_closed_s": closed,
            "node_rss_mb": node_rss_mb(backend),
        }
    finally:
        backend.delete_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    url = os.environ.get("ELASTICSEARCH_URL") or sys.exit("Set ELASTICSEARCH_URL.")
    figures = measure(url, args.docs, args.queries)
    if args.json:
        sys.stdout.write(json.dumps(figures) + "\n")
        return
    from benchmarks.search_embedded import print_table

    print_table(figures)
    sys.stdout.write(f"node RSS: {figures['node_rss_mb']} MB\n")


if __name__ == "__main__":
    main()
