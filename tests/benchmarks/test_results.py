import json

from benchmarks.results import Results, markdown_table, write_json


def test_adding_a_figure_again_replaces_it():
    results = Results()
    results.add("thread anonymous", "ours", "p50", 20, "ms")
    results.add("thread anonymous", "ours", "p50", 15, "ms", runs=4, spread=1.5)
    assert len(results.items) == 1
    assert results.value("thread anonymous", "ours", "p50") == 15


def test_the_table_shows_units_and_spread(tmp_path):
    results = Results()
    results.add("thread anonymous", "ours", "p50", 15.94, "ms", runs=4, spread=1.5)
    results.add("thread anonymous", "ours", "bytes gzip", 8900, "bytes")
    table = markdown_table(results)
    assert "| thread anonymous | ours | p50 | 15.9 ms | 1.5 ms | 4 |" in table
    assert "8.7 KB" in table

    path = tmp_path / "results.json"
    write_json(results, path, verdicts=[], mode="quick")
    payload = json.loads(path.read_text())
    assert payload["results"][0] == {
        "scenario": "thread anonymous",
        "system": "ours",
        "metric": "p50",
        "value": 15.94,
        "unit": "ms",
        "runs": 4,
        "spread": 1.5,
    }
    assert payload["mode"] == "quick"
