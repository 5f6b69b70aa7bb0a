"""``python -m benchmarks [--quick] [--only thread,pages,weight,memory,search] [--reuse]``.

Sets up ours and the peers (fresh databases; the peers' virtualenvs are kept), runs the
scenarios, writes ``var/bench/results.json``, prints the Markdown table and one PASS/FAIL line
per budget, and exits 1 if any budget fails (2 if the run itself failed). Every server it
starts is stopped by process id, also on failure (``benchmarks.processes``).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import budgets, processes, scenarios
from benchmarks.load import run_load
from benchmarks.peer_setup import measure_queries, set_up_bare_wagtail, set_up_peer
from benchmarks.processes import Server, free_port
from benchmarks.results import Results, markdown_table, write_json

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
OURS_DIR = BENCH_DIR / "ours"
CONTENT = BENCH_DIR / "content.json"
URLS = BENCH_DIR / "urls.json"
OUR_PYTHON = ROOT / ".venv" / "bin" / "python"
GROUPS = ("thread", "pages", "weight", "memory", "search")
# Full: 4 rounds x 60 timed requests = 240 per system and mode (>= 200), pooled for p50/p95.
FULL = scenarios.Settings(rounds=4, requests=60, warmup=10)
QUICK = scenarios.Settings(rounds=2, requests=30, warmup=5)
# The "pages" scenario: category and KB pages, timed, and their queries counted.
SCENARIO_PAGES = (
    "category",
    "category filtered",
    "kb index filtered",
    "kb case study",
    "kb topic landing",
)
WEIGHT_PAGES = (
    "home",
    "kb index",
    "kb case study",
    "forum home",
    "category",
    "thread",
    "search results",
    "sign-in",
)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def our_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "benchmarks.settings", "BENCH_DIR": str(OURS_DIR)})
    env.pop("ELASTICSEARCH_URL", None)
    return env


def set_up_ours() -> None:
    import shutil

    shutil.rmtree(OURS_DIR, ignore_errors=True)
    say(
        "  ours: migrating, seeding (demo content, 500- and 10-post threads, 1,000-thread category)"
    )
    subprocess.run(  # noqa: S603
        [str(OUR_PYTHON), "-m", "benchmarks.ours_setup", str(CONTENT), str(URLS)],
        cwd=ROOT,
        env=our_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def our_queries(urls: list[str], member_email: str) -> dict:
    completed = subprocess.run(  # noqa: S603
        [
            str(OUR_PYTHON),
            "benchmarks/inprocess.py",
            "queries",
            "--user-field",
            "email",
            "--user",
            member_email,
            *urls,
        ],
        cwd=ROOT,
        env=our_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def our_server() -> Server:
    port = free_port()
    return Server(
        name="ours",
        command=[
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ],
        port=port,
        cwd=ROOT,
        env=our_env(),
        log_path=BENCH_DIR / "logs" / "ours.log",
    )


def bare_wagtail_memory(results: Results, settings: scenarios.Settings, urls: dict) -> None:
    """When our worker is larger than the peers': a bare Wagtail 8 project's worker, and
    where our memory goes (``benchmarks.memory_profile``)."""
    ours = results.value("memory", "ours", "worker RSS")
    peers = [results.value("memory", p, "worker RSS") for p in ("spirit", "machina")]
    peers = [v for v in peers if v]
    if ours is None or not peers or ours <= min(peers):
        return
    say("Memory: a bare Wagtail 8 project with the same third-party apps")
    bare = set_up_bare_wagtail(say)
    port = free_port()
    server = Server(
        name="bare-wagtail",
        command=bare.gunicorn_command(port),
        port=port,
        cwd=bare.project,
        env=bare.env(),
        log_path=BENCH_DIR / "logs" / "bare-wagtail.log",
    )
    try:
        server.start(ready_path="/hello/")
        for path in ("/hello/", "/"):
            run_load(server.base_url + path, requests=settings.requests, warmup=settings.warmup)
        scenarios.memory_scenario(results, [server], say)
    finally:
        server.stop()
    say("Memory: where ours goes (tracemalloc, modules no page runs)")
    pages = [urls[k] for k in WEIGHT_PAGES if k in urls and k != "thread"] + [urls["thread"]]
    completed = subprocess.run(  # noqa: S603
        [str(OUR_PYTHON), "-m", "benchmarks.memory_profile", *pages],
        cwd=ROOT,
        env=our_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if lines:
        results.notes["memory profile"] = json.loads(lines[-1])


def run(args: argparse.Namespace) -> Results:
    settings = QUICK if args.quick else FULL
    only = set(args.only.split(",")) if args.only else set(GROUPS)
    results = Results()
    results.notes["settings"] = vars(settings) if hasattr(settings, "__dict__") else str(settings)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    needs_servers = only & {"thread", "pages", "weight", "memory"}
    if needs_servers:
        started = time.monotonic()
        say("Setting up")
        if not (args.reuse and URLS.exists() and CONTENT.exists()):
            set_up_ours()
        urls = json.loads(URLS.read_text())
        peers = {}
        if only & {"thread", "memory"}:
            for name in ("spirit", "machina"):
                peers[name] = set_up_peer(name, CONTENT, say)
        results.notes["setup seconds"] = round(time.monotonic() - started, 1)

        say("SQL queries per page (in-process, steady state)")
        counted = our_queries(
            [urls["thread"], urls["thread 10 posts"], *(urls[key] for key in SCENARIO_PAGES)],
            urls["member_email"],
        )
        queries = counted["queries"]
        for mode in ("anonymous", "member"):
            results.add(f"thread {mode}", "ours", "queries", queries[urls["thread"]][mode], "")
            results.add(
                f"thread {mode}",
                "ours",
                "queries at 10 posts",
                queries[urls["thread 10 posts"]][mode],
                "",
            )
        for key in SCENARIO_PAGES:
            results.add(key, "ours", "queries", queries[urls[key]]["anonymous"], "")
        systems_servers = []
        ours = our_server()
        try:
            ours.start(ready_path="/healthz")
            systems_servers.append(ours)
            systems = [scenarios.System("ours", ours, urls["thread"], counted["cookie"])]
            for name, info in peers.items():
                peer = info["peer"]
                peer_counts = measure_queries(peer, [info["thread_url"]])
                for mode in ("anonymous", "member"):
                    results.add(
                        f"thread {mode}",
                        name,
                        "queries",
                        peer_counts["queries"][info["thread_url"]][mode],
                        "",
                    )
                port = free_port()
                server = Server(
                    name=name,
                    command=peer.gunicorn_command(port),
                    port=port,
                    cwd=peer.project,
                    env=peer.env(),
                    log_path=BENCH_DIR / "logs" / f"{name}.log",
                )
                server.start(ready_path=info["thread_url"])
                systems_servers.append(server)
                systems.append(
                    scenarios.System(name, server, info["thread_url"], peer_counts["cookie"])
                )
            if "thread" in only:
                say("Thread page, A B C alternately")
                scenarios.thread_scenario(results, systems, settings, say)
            if only & {"memory", "thread"}:
                say("Memory after the thread scenario")
                scenarios.memory_scenario(results, systems_servers, say)
            for server in systems_servers[1:]:
                server.stop()
            if only & {"memory", "thread"}:
                bare_wagtail_memory(results, settings, urls)
            if "pages" in only:
                say("Category and KB pages (ours)")
                scenarios.page_scenario(
                    results, ours, {key: urls[key] for key in SCENARIO_PAGES}, settings, say
                )
            if "weight" in only:
                say("Page weight (ours)")
                scenarios.page_weight_scenario(
                    results, ours, {name: urls[name] for name in WEIGHT_PAGES}, say
                )
        finally:
            for server in systems_servers:
                server.stop()
    if "search" in only:
        from benchmarks import search_scenarios

        search_scenarios.run(results, quick=args.quick, say=say)
    return results


def print_memory_profile(results: Results) -> None:
    profile = results.notes.get("memory profile")
    if not profile:
        return
    say("Where our worker's memory goes (benchmarks.memory_profile):")
    say(
        f"  RSS {profile['rss_mb']['after start-up']:.0f} MB after start-up (tracemalloc on),"
        f" {profile['startup_modules']} modules imported at start-up"
    )
    code = profile["bytecode_by_package_kb"]
    say(
        "  bytecode loaded at start-up, by package: "
        + ", ".join(f"{package} {kb / 1024:.1f} MB" for package, kb in list(code.items())[:8])
    )
    say(
        "  imported at start-up, never run by the main pages: "
        + ", ".join(
            f"{e['package']} ({e['modules']} modules,"
            f" {(e['bytecode_kb'] + e['traced_kb']) / 1024:.1f} MB)"
            for e in profile["unused_at_startup"][:10]
        )
    )
    say("")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and requests")
    parser.add_argument("--only", default="", help=f"comma-separated: {','.join(GROUPS)}")
    parser.add_argument("--reuse", action="store_true", help="keep our seeded database")
    parser.add_argument("--output", default=str(BENCH_DIR / "results.json"))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))  # so atexit stops the servers
    try:
        results = run(args)
    finally:
        processes.stop_all()
    verdicts = budgets.evaluate(results)
    write_json(
        results, Path(args.output), verdicts=verdicts, mode="quick" if args.quick else "full"
    )
    say("")
    say(markdown_table(results))
    say("")
    print_memory_profile(results)
    for verdict in verdicts:
        say(verdict.line())
    say(f"\nResults: {args.output}")
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
