"""Where a worker's memory goes: ``python -m benchmarks.memory_profile URL... > profile.json``.

Runs with ``DJANGO_SETTINGS_MODULE=benchmarks.settings`` on the seeded benchmark database.
``tracemalloc`` traces from before ``config.wsgi`` is imported (what a gunicorn worker does
at start-up); then each URL is requested through the WSGI application (anonymous) with a
profiler hook that notes every Python file a function ran from. Reports:

- ``rss_mb``: resident memory after start-up and after the pages;
- ``top_packages``: traced memory still allocated, by top-level package (start-up + pages);
- ``top_lines``: the largest allocation sites;
- ``bytecode_by_package_kb``: compiled code loaded at start-up, by top-level package;
- ``unused_at_startup``: modules imported at start-up from which no function ran while the
  pages were served, by top-level package, with their traced memory: candidates for lazy
  imports or apps a public worker does not need.
"""

import importlib.util
import json
import sys
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def package_of(filename: str) -> str:
    parts = Path(filename).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        return rest[0].removesuffix(".py") if rest else filename
    if "lib" in parts and any(p.startswith("python3") for p in parts):
        return "stdlib"
    root = Path(__file__).resolve().parent.parent
    try:
        return Path(filename).resolve().relative_to(root).parts[0].removesuffix(".py")
    except ValueError:
        return filename.split("/")[-1] or filename


def code_kb(filename: str | None) -> float:
    """The size of a module's compiled bytecode (its .pyc), a proxy for the memory its code
    objects take once loaded (tracemalloc books those to importlib, not to the package)."""
    if not filename or not filename.endswith(".py"):
        return 0.0
    try:
        return Path(importlib.util.cache_from_source(filename)).stat().st_size / 1024
    except (OSError, ValueError, NotImplementedError):
        return 0.0


def main() -> None:
    tracemalloc.start(1)
    before = set(sys.modules)
    from config.wsgi import application

    startup_rss = rss_mb()
    startup_modules = {
        name: getattr(module, "__file__", None)
        for name, module in sys.modules.items()
        if name not in before
    }
    ran_files: set[str] = set()

    def profiler(frame, event, arg):
        if event == "call":
            ran_files.add(frame.f_code.co_filename)

    from django.test import RequestFactory

    factory = RequestFactory()
    statuses = {}
    sys.setprofile(profiler)
    try:
        for url in sys.argv[1:]:
            for _ in range(2):
                request = factory.get(url)
                response = application.get_response(request)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                statuses[url] = response.status_code
    finally:
        sys.setprofile(None)
    snapshot = tracemalloc.take_snapshot()
    by_file = Counter()
    for stat in snapshot.statistics("filename"):
        by_file[stat.traceback[0].filename] += stat.size
    by_package = Counter()
    for filename, size in by_file.items():
        by_package[package_of(filename)] += size
    code_by_package = Counter()
    for name, filename in startup_modules.items():
        code_by_package[name.split(".")[0]] += code_kb(filename)
    unused = defaultdict(
        lambda: {"modules": 0, "traced_kb": 0.0, "bytecode_kb": 0.0, "examples": []}
    )
    for name, filename in startup_modules.items():
        if not filename or filename in ran_files:
            continue
        entry = unused[name.split(".")[0]]
        entry["modules"] += 1
        entry["traced_kb"] += by_file.get(filename, 0) / 1024
        entry["bytecode_kb"] += code_kb(filename)
        if len(entry["examples"]) < 5:
            entry["examples"].append(name)
    top_lines = [
        {"where": f"{s.traceback[0].filename}:{s.traceback[0].lineno}", "kb": s.size / 1024}
        for s in snapshot.statistics("lineno")[:15]
    ]
    out = {
        "rss_mb": {"after start-up": startup_rss, "after the pages": rss_mb()},
        "traced_mb": sum(by_file.values()) / 1_048_576,
        "statuses": statuses,
        "startup_modules": len(startup_modules),
        "top_packages": [
            {"package": p, "mb": size / 1_048_576} for p, size in by_package.most_common(15)
        ],
        "top_lines": top_lines,
        "bytecode_by_package_kb": dict(code_by_package.most_common(20)),
        "unused_at_startup": sorted(
            ({"package": p, **v} for p, v in unused.items()),
            key=lambda e: -(e["traced_kb"] + e["bytecode_kb"]),
        )[:20],
    }
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
