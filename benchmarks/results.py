"""The measurements of one run, written to ``var/bench/results.json``.

Each ``Result`` is one figure: ``scenario`` (e.g. ``thread anonymous``), ``system`` (``ours``,
``spirit``, ``machina``, ``bare-wagtail``, ``elasticsearch``), ``metric``, ``value``, ``unit``,
``runs`` (how many runs the value summarises) and ``spread`` (half the range over those runs).
"""

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Result:
    scenario: str
    system: str
    metric: str
    value: float
    unit: str
    runs: int = 1
    spread: float = 0.0


@dataclass
class Results:
    items: list[Result] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)

    def add(
        self,
        scenario: str,
        system: str,
        metric: str,
        value: float,
        unit: str,
        *,
        runs: int = 1,
        spread: float = 0.0,
    ) -> Result:
        result = Result(scenario, system, metric, float(value), unit, runs, float(spread))
        self.items = [
            r for r in self.items if (r.scenario, r.system, r.metric) != (scenario, system, metric)
        ]
        self.items.append(result)
        return result

    def get(self, scenario: str, system: str, metric: str) -> Result | None:
        for result in self.items:
            if (result.scenario, result.system, result.metric) == (scenario, system, metric):
                return result
        return None

    def value(self, scenario: str, system: str, metric: str) -> float | None:
        result = self.get(scenario, system, metric)
        return result.value if result else None

    def scenarios(self, prefix: str) -> list[str]:
        seen: list[str] = []
        for result in self.items:
            if result.scenario.startswith(prefix) and result.scenario not in seen:
                seen.append(result.scenario)
        return seen


def machine_description() -> str:
    cpus = os.cpu_count() or 0
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {cpus} cores ({model or 'unknown CPU'}),"
        f" Python {platform.python_version()}"
    )


def write_json(results: Results, path: Path, *, verdicts: list, mode: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "machine": machine_description(),
        "load_average": os.getloadavg(),
        "results": [asdict(r) for r in results.items],
        "budgets": [asdict(v) for v in verdicts],
        "notes": results.notes,
    }
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


def markdown_table(results: Results) -> str:
    """One row per figure: scenario, system, metric, value ± spread (runs)."""
    lines = [
        "| scenario | system | metric | value | spread | runs |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for r in results.items:
        lines.append(
            f"| {r.scenario} | {r.system} | {r.metric} | {format_value(r.value, r.unit)} "
            f"| {format_value(r.spread, r.unit) if r.spread else ''} | {r.runs} |"
        )
    return "\n".join(lines)


def format_value(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "bytes":
        return f"{value / 1024:.1f} KB" if value >= 1024 else f"{value:.0f} B"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit in ("ratio", "x"):
        return f"{value:.2f}×"
    if unit == "docs/s":
        return f"{value:,.0f} docs/s"
    if unit == "req/s":
        return f"{value:.1f} req/s"
    if float(value).is_integer():
        return f"{value:.0f}{(' ' + unit) if unit else ''}"
    return f"{value:.2f}{(' ' + unit) if unit else ''}"
