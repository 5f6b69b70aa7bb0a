"""The budgets ``make bench`` checks (issue 14), each a PASS or FAIL line.

A budget whose figures were not measured in this run fails ("not measured"): a run that
skipped a scenario cannot pass it.
"""

from dataclasses import dataclass

from benchmarks.results import Results

PEERS = ("spirit", "machina")
THREAD_RATIO_LIMIT = 0.25
QUERY_LIMITS = {"thread anonymous": 7, "thread member": 19}
RSS_BARE_WAGTAIL_ALLOWANCE = 1.10
PAGE_WEIGHT_LIMIT_BYTES = 50 * 1024
SEARCH_P95_LIMIT_MS = {"embedded": 50.0, "elasticsearch": 30.0}
REINDEX_LIMIT = {"embedded": 5000.0, "elasticsearch": 2000.0}


@dataclass(frozen=True)
class Verdict:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'} {self.name}: {self.detail}"


def evaluate(results: Results) -> list[Verdict]:
    verdicts: list[Verdict] = []
    verdicts += thread_ratio_verdicts(results)
    verdicts += query_verdicts(results)
    verdicts.append(memory_verdict(results))
    verdicts += page_weight_verdicts(results)
    verdicts += search_verdicts(results)
    return verdicts


def thread_ratio_verdicts(results: Results) -> list[Verdict]:
    out = []
    for scenario in ("thread anonymous", "thread member"):
        name = f"{scenario} p50 <= {THREAD_RATIO_LIMIT} x the faster peer's"
        ratio = results.get(scenario, "ours", "p50 ratio vs faster peer")
        if ratio is None:
            out.append(Verdict(name, False, "not measured"))
            continue
        out.append(
            Verdict(
                name,
                ratio.value <= THREAD_RATIO_LIMIT,
                f"{ratio.value:.2f}x (median of {ratio.runs} paired rounds,"
                f" spread {ratio.spread:.2f})",
            )
        )
    return out


def query_verdicts(results: Results) -> list[Verdict]:
    out = []
    for scenario, fixed_limit in QUERY_LIMITS.items():
        name = f"{scenario} SQL queries <= the best peer's, the same at 10 and 500 posts"
        ours = results.value(scenario, "ours", "queries")
        ours_short = results.value(scenario, "ours", "queries at 10 posts")
        if ours is None or ours_short is None:
            out.append(Verdict(name, False, "not measured"))
            continue
        peer_counts = [
            v for v in (results.value(scenario, p, "queries") for p in PEERS) if v is not None
        ]
        limit = min([*peer_counts, fixed_limit]) if peer_counts else fixed_limit
        passed = ours <= limit and ours == ours_short
        out.append(
            Verdict(
                name,
                passed,
                f"ours {ours:.0f} (500 posts), {ours_short:.0f} (10 posts); limit {limit:.0f}"
                f" (peers: {', '.join(f'{v:.0f}' for v in peer_counts) or 'not measured'})",
            )
        )
    return out


def memory_verdict(results: Results) -> Verdict:
    name = "worker RSS <= the smaller peer's (or <= 1.10 x a bare Wagtail 8 project)"
    ours = results.value("memory", "ours", "worker RSS")
    peers = [v for v in (results.value("memory", p, "worker RSS") for p in PEERS) if v]
    if ours is None or not peers:
        return Verdict(name, False, "not measured")
    smallest = min(peers)
    if ours <= smallest:
        return Verdict(name, True, f"ours {ours:.1f} MB, smaller peer {smallest:.1f} MB")
    bare = results.value("memory", "bare-wagtail", "worker RSS")
    if bare is None:
        return Verdict(
            name, False, f"ours {ours:.1f} MB > peer {smallest:.1f} MB; bare Wagtail not measured"
        )
    limit = bare * RSS_BARE_WAGTAIL_ALLOWANCE
    return Verdict(
        name,
        ours <= limit,
        f"ours {ours:.1f} MB, smaller peer {smallest:.1f} MB, bare Wagtail 8 {bare:.1f} MB"
        f" (limit {limit:.1f} MB)",
    )


def page_weight_verdicts(results: Results) -> list[Verdict]:
    pages = results.scenarios("page weight ")
    if not pages:
        return [
            Verdict(
                "page weight <= 50 KB compressed, 0 third-party requests", False, "not measured"
            )
        ]
    out = []
    for scenario in pages:
        page = scenario.removeprefix("page weight ")
        weight = results.value(scenario, "ours", "compressed bytes with assets")
        third = results.value(scenario, "ours", "third-party requests")
        if weight is None or third is None:
            out.append(Verdict(f"page weight {page}", False, "not measured"))
            continue
        out.append(
            Verdict(
                f"page weight {page} <= 50 KB compressed, 0 third-party requests",
                weight <= PAGE_WEIGHT_LIMIT_BYTES and third == 0,
                f"{weight / 1024:.1f} KB, {third:.0f} third-party",
            )
        )
    return out


def search_verdicts(results: Results) -> list[Verdict]:
    out = []
    for backend, limit in SEARCH_P95_LIMIT_MS.items():
        classes = results.scenarios(f"search {backend} ")
        name = f"search {backend} p95 <= {limit:.0f} ms for every query class"
        if not classes:
            out.append(Verdict(name, False, "not measured"))
        else:
            figures = {
                c.removeprefix(f"search {backend} "): results.value(c, "ours", "p95")
                for c in classes
            }
            worst = max(figures, key=lambda c: figures[c] or 0.0)
            slow = [c for c, v in figures.items() if v is None or v > limit]
            out.append(
                Verdict(
                    name,
                    not slow,
                    f"worst {worst} {figures[worst]:.1f} ms"
                    + (f"; over: {', '.join(slow)}" if slow else ""),
                )
            )
        rate = results.value(f"reindex {backend}", "ours", "throughput")
        name = f"reindex {backend} >= {REINDEX_LIMIT[backend]:,.0f} docs/s"
        if rate is None:
            out.append(Verdict(name, False, "not measured"))
        else:
            out.append(Verdict(name, rate >= REINDEX_LIMIT[backend], f"{rate:,.0f} docs/s"))
    return out
