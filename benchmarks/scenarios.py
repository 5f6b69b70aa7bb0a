"""What the suite measures. Each function adds its figures to ``Results``.

Timed scenarios go through gunicorn (``-w 2``, DEBUG off, SQLite) with the load loop at
concurrency 2; query counts come from ``inprocess.py`` inside each system's own Python.
"""

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from benchmarks.load import LoadResult, fetch, run_load
from benchmarks.processes import Server, rss_bytes
from benchmarks.results import Results
from benchmarks.stats import median, percentile, spread


@dataclass
class System:
    name: str
    server: Server
    thread_url: str
    cookie: str


@dataclass(frozen=True)
class Settings:
    rounds: int
    requests: int
    warmup: int
    concurrency: int = 2


def record_load(results: Results, scenario: str, system: str, runs: list[LoadResult]) -> None:
    pooled = [t for r in runs for t in r.timings_ms]
    if not pooled:
        results.add(scenario, system, "errors", sum(r.errors for r in runs), "", runs=len(runs))
        return
    p50s = [r.p50 for r in runs if r.timings_ms]
    results.add(scenario, system, "p50", median(pooled), "ms", runs=len(runs), spread=spread(p50s))
    results.add(
        scenario,
        system,
        "p95",
        percentile(pooled, 0.95),
        "ms",
        runs=len(runs),
        spread=spread([r.p95 for r in runs if r.timings_ms]),
    )
    rates = [r.rps for r in runs]
    results.add(
        scenario, system, "requests/s", median(rates), "req/s", runs=len(runs), spread=spread(rates)
    )
    results.add(scenario, system, "requests", sum(r.requests for r in runs), "", runs=len(runs))
    results.add(scenario, system, "errors", sum(r.errors for r in runs), "", runs=len(runs))


def thread_scenario(results: Results, systems: list[System], settings: Settings, say) -> None:
    """Every system's thread page, A B C A B C ..., anonymous then as a member, per round."""
    peers = [s for s in systems if s.name != "ours"]
    for mode in ("anonymous", "member"):
        scenario = f"thread {mode}"
        runs: dict[str, list[LoadResult]] = {s.name: [] for s in systems}
        for round_number in range(settings.rounds):
            for system in systems:
                result = run_load(
                    system.server.base_url + system.thread_url,
                    requests=settings.requests,
                    warmup=settings.warmup,
                    concurrency=settings.concurrency,
                    cookie=system.cookie if mode == "member" else "",
                )
                runs[system.name].append(result)
                say(
                    f"  {scenario} round {round_number + 1} {system.name}: "
                    f"p50 {result.p50 if result.timings_ms else float('nan'):.1f} ms, "
                    f"{result.errors} errors"
                )
        for name, name_runs in runs.items():
            record_load(results, scenario, name, name_runs)
        ratios, per_peer = [], {p.name: [] for p in peers}
        for index in range(settings.rounds):
            ours = runs["ours"][index]
            peer_p50 = {
                p.name: runs[p.name][index].p50 for p in peers if runs[p.name][index].timings_ms
            }
            if not ours.timings_ms or not peer_p50:
                continue
            ratios.append(ours.p50 / min(peer_p50.values()))
            for peer, value in peer_p50.items():
                per_peer[peer].append(ours.p50 / value)
        if ratios:
            results.add(
                scenario,
                "ours",
                "p50 ratio vs faster peer",
                median(ratios),
                "x",
                runs=len(ratios),
                spread=spread(ratios),
            )
        for peer, values in per_peer.items():
            if values:
                results.add(
                    scenario,
                    "ours",
                    f"p50 ratio vs {peer}",
                    median(values),
                    "x",
                    runs=len(values),
                    spread=spread(values),
                )
    for system in systems:
        for mode in ("anonymous", "member"):
            status, body, _ = fetch(
                system.server.base_url + system.thread_url,
                cookie=system.cookie if mode == "member" else "",
            )
            if status == 200:
                results.add(f"thread {mode}", system.name, "bytes raw", len(body), "bytes")
                results.add(
                    f"thread {mode}",
                    system.name,
                    "bytes gzip",
                    len(gzip.compress(body, 6)),
                    "bytes",
                )
                if mode == "anonymous":
                    results.notes.setdefault("posts on the thread page", {})[system.name] = (
                        count_posts(system.name, body.decode("utf-8", "replace"))
                    )


POST_MARKERS = {
    "ours": '<article class="post',
    "spirit": 'class="comment__info"',
    "machina": 'class="my-3 card post"',
}


def count_posts(system: str, html: str) -> int:
    return html.count(POST_MARKERS.get(system, "\0"))


def memory_scenario(results: Results, systems: list[Server], say) -> None:
    """The largest worker RSS of each server, after it served the thread scenario."""
    for server in systems:
        workers = server.worker_pids()
        sizes = [rss_bytes(pid) for pid in workers]
        if sizes:
            results.add(
                "memory",
                server.name,
                "worker RSS",
                max(sizes) / 1_048_576,
                "MB",
                runs=len(sizes),
                spread=spread([s / 1_048_576 for s in sizes]),
            )
            say(
                f"  memory {server.name}: workers"
                f" {', '.join(f'{s / 1_048_576:.1f}' for s in sizes)} MB"
            )


def page_scenario(
    results: Results,
    server: Server,
    pages: dict[str, str],
    settings: Settings,
    say,
    *,
    cookie: str = "",
) -> None:
    """p50/p95 of pages of ours (category, KB), over ``rounds`` runs of the load loop."""
    for scenario, path in pages.items():
        runs = []
        for _ in range(settings.rounds):
            runs.append(
                run_load(
                    server.base_url + path,
                    requests=max(20, settings.requests // 2),
                    warmup=settings.warmup,
                    concurrency=settings.concurrency,
                    cookie=cookie,
                )
            )
        record_load(results, scenario, "ours", runs)
        say(f"  {scenario}: p50 {results.value(scenario, 'ours', 'p50') or float('nan'):.1f} ms")


class AssetParser(HTMLParser):
    """The assets an HTML page loads: stylesheets, scripts, images, icons, preloads."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("href"):
            rel = (attributes.get("rel") or "").lower()
            if any(
                word in rel.split()
                for word in ("stylesheet", "icon", "preload", "modulepreload", "manifest")
            ):
                self.assets.append(attributes["href"])
        elif tag in ("script", "img", "source", "iframe") and attributes.get("src"):
            self.assets.append(attributes["src"])


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")


def page_assets(base_url: str, page_url: str, html: str) -> list[str]:
    parser = AssetParser()
    parser.feed(html)
    return [urljoin(page_url, a) for a in parser.assets if not a.startswith("data:")]


def css_assets(css_url: str, css: str) -> list[str]:
    found = CSS_URL.findall(css) + CSS_IMPORT.findall(css)
    return [urljoin(css_url, u) for u in found if not u.startswith(("data:", "#"))]


def is_third_party(base_url: str, url: str) -> bool:
    return urlsplit(url).netloc not in ("", urlsplit(base_url).netloc)


def page_weight_scenario(results: Results, server: Server, pages: dict[str, str], say) -> None:
    """HTML + every asset, each gzip-compressed (level 6), and third-party requests."""
    for name, path in pages.items():
        scenario = f"page weight {name}"
        page_url = server.base_url + path
        status, body, _ = fetch(page_url)
        if status != 200:
            say(f"  {scenario}: HTTP {status}")
            continue
        html = body.decode("utf-8", "replace")
        total = len(gzip.compress(body, 6))
        third_party = 0
        queue = page_assets(server.base_url, page_url, html)
        seen: set[str] = set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if is_third_party(server.base_url, url):
                third_party += 1
                continue
            status, asset, headers = fetch(url)
            if status != 200:
                continue
            total += len(gzip.compress(asset, 6))
            if url.split("?")[0].endswith(".css") or "css" in headers.get("content-type", ""):
                queue.extend(css_assets(url, asset.decode("utf-8", "replace")))
        results.add(scenario, "ours", "compressed bytes with assets", total, "bytes")
        results.add(scenario, "ours", "HTML gzip", len(gzip.compress(body, 6)), "bytes")
        results.add(scenario, "ours", "assets", len(seen), "")
        results.add(scenario, "ours", "third-party requests", third_party, "")
        say(
            f"  {scenario}: {total / 1024:.1f} KB with {len(seen)} assets,"
            f" {third_party} third-party"
        )
