"""Search at 50,000 documents on both backends, each in its own Python process.

Elasticsearch: a node already listening on 127.0.0.1:9200 is used as it is (and left
running); otherwise ``tools/with-elasticsearch.sh`` starts the local node for this scenario
only and stops it afterwards. Without a JDK the Elasticsearch figures are "not measured".
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from benchmarks.results import Results

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
EXISTING_NODE = ("127.0.0.1", 9200)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def record(results: Results, figures: dict) -> None:
    backend = figures["backend"]
    for row in figures["classes"]:
        scenario = f"search {backend} {row['name']}"
        results.add(scenario, "ours", "p50", row["p50_ms"], "ms", runs=row["queries"])
        results.add(scenario, "ours", "p95", row["p95_ms"], "ms", runs=row["queries"])
    for row in figures.get("extra", []):
        scenario = f"{backend} writes {row['name']}"
        results.add(scenario, "ours", "p50", row["p50_ms"], "ms", runs=row["queries"])
        results.add(scenario, "ours", "p95", row["p95_ms"], "ms", runs=row["queries"])
    results.add(
        f"reindex {backend}", "ours", "throughput", figures["rebuild_docs_per_s"], "docs/s", runs=1
    )
    results.add(f"reindex {backend}", "ours", "documents", figures["docs"], "")
    if figures.get("node_rss_mb"):
        results.add("memory", "elasticsearch", "node RSS", figures["node_rss_mb"], "MB")


def run_json(command: list[str], env: dict, say) -> dict | None:
    completed = subprocess.run(  # noqa: S603 (our own command lines)
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        say(f"  {' '.join(command[:4])}: failed ({completed.returncode})")
        say("  " + (completed.stderr.strip().splitlines() or [""])[-1])
        return None
    return json.loads(lines[-1])


def run(results: Results, *, quick: bool, say) -> None:
    docs, queries = (10_000, 40) if quick else (50_000, 200)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    size = ["--docs", str(docs), "--queries", str(queries), "--json"]
    say(f"Search, embedded, {docs:,} documents")
    figures = run_json([str(PYTHON), "-m", "benchmarks.search_embedded", *size], env, say)
    if figures:
        record(results, figures)
    say(f"Search, Elasticsearch, {docs:,} documents")
    command = [str(PYTHON), "-m", "benchmarks.search_elasticsearch", *size]
    if port_in_use(*EXISTING_NODE):
        say("  using the node already listening on http://127.0.0.1:9200 (left running)")
        env["ELASTICSEARCH_URL"] = "http://127.0.0.1:9200"
    else:
        env.pop("ELASTICSEARCH_URL", None)
        command = [str(ROOT / "tools" / "with-elasticsearch.sh"), *command]
    # Fewer queries per class on Elasticsearch: each costs a round trip to a shared node.
    command[command.index("--queries") + 1] = str(min(queries, 60))
    figures = run_json(command, env, say)
    if figures:
        record(results, figures)
    results.notes["search documents"] = docs
    sys.stdout.flush()
