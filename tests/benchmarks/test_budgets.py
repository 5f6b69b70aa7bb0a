from benchmarks.budgets import evaluate, memory_verdict, query_verdicts, thread_ratio_verdicts
from benchmarks.results import Results


def thread_results(*, ratio_anonymous=0.2, ratio_member=0.2, ours_queries=(3, 8)):
    results = Results()
    results.add(
        "thread anonymous", "ours", "p50 ratio vs faster peer", ratio_anonymous, "x", runs=4
    )
    results.add("thread member", "ours", "p50 ratio vs faster peer", ratio_member, "x", runs=4)
    for scenario, ours, spirit, machina in (
        ("thread anonymous", ours_queries[0], 7, 12),
        ("thread member", ours_queries[1], 21, 17),
    ):
        results.add(scenario, "ours", "queries", ours, "")
        results.add(scenario, "ours", "queries at 10 posts", ours, "")
        results.add(scenario, "spirit", "queries", spirit, "")
        results.add(scenario, "machina", "queries", machina, "")
    return results


def test_a_thread_ratio_at_the_limit_passes_and_above_it_fails():
    verdicts = thread_ratio_verdicts(thread_results(ratio_anonymous=0.25, ratio_member=0.26))
    assert [v.passed for v in verdicts] == [True, False]
    assert verdicts[1].line().startswith("FAIL thread member")


def test_the_query_limit_is_the_best_peers_count():
    verdicts = query_verdicts(thread_results(ours_queries=(3, 18)))
    assert verdicts[0].passed
    assert not verdicts[1].passed  # machina's 17 is the best member count
    assert "limit 17" in verdicts[1].detail


def test_query_counts_that_grow_with_the_thread_fail():
    results = thread_results()
    results.add("thread anonymous", "ours", "queries at 10 posts", 2, "")
    assert not query_verdicts(results)[0].passed


def test_memory_falls_back_to_ten_percent_above_a_bare_wagtail_project():
    results = Results()
    results.add("memory", "ours", "worker RSS", 100, "MB")
    results.add("memory", "spirit", "worker RSS", 70, "MB")
    results.add("memory", "machina", "worker RSS", 60, "MB")
    assert not memory_verdict(results).passed
    results.add("memory", "bare-wagtail", "worker RSS", 95, "MB")
    assert memory_verdict(results).passed
    results.add("memory", "bare-wagtail", "worker RSS", 90, "MB")
    assert not memory_verdict(results).passed


def test_a_budget_that_was_not_measured_fails():
    verdicts = evaluate(Results())
    assert verdicts
    assert not any(v.passed for v in verdicts)
    assert all("not measured" in v.detail for v in verdicts)


def test_search_budgets_name_every_slow_query_class():
    results = Results()
    results.add("search embedded rare term", "ours", "p95", 10, "ms")
    results.add("search embedded common term", "ours", "p95", 70, "ms")
    results.add("reindex embedded", "ours", "throughput", 6000, "docs/s")
    verdicts = {v.name: v for v in evaluate(results)}
    p95 = verdicts["search embedded p95 <= 50 ms for every query class"]
    assert not p95.passed
    assert "common term" in p95.detail
    assert verdicts["reindex embedded >= 5,000 docs/s"].passed
