"""The layers of design.md section 1a: imports only point down.

Every module of every project package is parsed with ``ast``. Each ``import`` and
``from ... import`` (at the top of the module or inside a function), and each
``importlib.import_module("...")``, ``__import__("...")`` and ``apps.get_model("label", ...)``
with a literal name, must name a package at the same layer or below. The bottom helpers,
packages with no domain that sit beside ``taxonomy``, may be imported by every layer and import
no app themselves. Application code never imports the test suite. A top-level package placed in
none of the lists below fails the test, so whoever adds one decides where it sits.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAYERS = ("demo", "operations", "config", "search", "forum", "kb", "members", "taxonomy")
"""Top to bottom. ``demo`` holds development-only code (demo seeding, bulk data) that production
settings do not install; nothing imports it. ``operations`` (backups and restores) runs the
site from above: it may use every app, and no app imports it."""

BOTTOM_HELPERS = frozenset({"markup", "pagination", "registries", "service_responses"})
"""Cross-cutting helper packages with no domain (Markdown rendering, ...), at the bottom beside
``taxonomy``: every layer may import them, and they import nothing from the apps. Add a new
helper package here."""

OUTSIDE_THE_LAYERS = {
    "tests": "the test suite may import every layer",
    "manage": "manage.py, the command-line entry point",
    "tools": "development scripts, run from the command line",
    "benchmarks": "the benchmark suite (make bench), run from the command line",
}
"""Top-level Python code that is not part of the application."""

NOT_SCANNED_DIRECTORIES = frozenset({"node_modules", "var"})
"""Installed packages and run-time files, never project code (hidden folders such as ``.venv``
are skipped too)."""


@dataclass(frozen=True)
class Reference:
    """One module naming another project package: ``target`` is its top-level name."""

    target: str
    line: int
    how: str


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    how: str
    reason: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.how} ({self.reason})"


def project_packages(root: Path) -> set[str]:
    """Top-level names of the Python code under ``root``: folders holding any ``.py`` file and
    ``.py`` modules at the root."""
    names = {path.stem for path in root.glob("*.py")}
    for folder in root.iterdir():
        if (
            folder.is_dir()
            and not folder.is_symlink()
            and not folder.name.startswith(".")
            and folder.name not in NOT_SCANNED_DIRECTORIES
            and next(folder.rglob("*.py"), None) is not None
        ):
            names.add(folder.name)
    return names


def unplaced_packages(root: Path) -> set[str]:
    placed = set(LAYERS) | BOTTOM_HELPERS | set(OUTSIDE_THE_LAYERS)
    return project_packages(root) - placed


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return ""


def references(source: str, *, module: str, is_package: bool = False) -> list[Reference]:
    """Every package that ``module`` (dotted name) imports or loads by name, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(
                    Reference(alias.name.split(".")[0], node.lineno, f"import {alias.name}")
                )
        elif isinstance(node, ast.ImportFrom):
            written = "." * node.level + (node.module or "")
            if node.level == 0:
                target = node.module.split(".")[0]
            else:
                package = module.split(".") if is_package else module.split(".")[:-1]
                climbed = package[: len(package) - (node.level - 1)]
                # Climbing above the top-level package would fail at import time anyway.
                target = climbed[0] if climbed and node.level - 1 < len(package) else ""
            found.append(Reference(target, node.lineno, f"from {written} import ..."))
        elif isinstance(node, ast.Call) and node.args:
            name = _called_name(node)
            first = _literal(node.args[0])
            if first is None or name not in ("import_module", "__import__", "get_model"):
                continue
            if name == "get_model":
                target = first.split(".")[0]  # get_model("kb", "Topic") or get_model("kb.Topic")
            elif first.startswith("."):
                continue  # import_module(".x", package): stays inside the caller's package
            else:
                target = first.split(".")[0]
            found.append(Reference(target, node.lineno, f'{name}("{first}", ...)'))
    return found


def violations(source: str, *, module: str, is_package: bool = False) -> list[Violation]:
    """The references of ``module`` that break the layers."""
    package = module.split(".")[0]
    placed = set(LAYERS) | BOTTOM_HELPERS
    if package not in placed:
        raise ValueError(f"{package!r} is in no layer")
    broken = []
    for reference in references(source, module=module, is_package=is_package):
        target = reference.target
        reason = ""
        if target == "":
            reason = "relative import above the top-level package"
        elif target in OUTSIDE_THE_LAYERS and target != "manage":
            reason = f"application code imports {target!r}"
        elif package in BOTTOM_HELPERS and target in LAYERS:
            reason = f"bottom helper {package!r} imports the app {target!r}"
        elif package in LAYERS and target in LAYERS:
            if LAYERS.index(target) < LAYERS.index(package):
                reason = f"{package!r} is below {target!r}"
        if reason:
            broken.append(Violation(module, reference.line, reference.how, reason))
    return broken


def project_modules(root: Path):
    """(dotted name, is_package, path) of every module in the layered packages."""
    for package in sorted(project_packages(root) & (set(LAYERS) | BOTTOM_HELPERS)):
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield ".".join(parts), is_package, path


def test_every_top_level_package_is_placed_in_a_layer():
    assert unplaced_packages(ROOT) == set(), (
        "Place each new top-level package in LAYERS, BOTTOM_HELPERS or OUTSIDE_THE_LAYERS "
        "(tests/config/test_layers.py)."
    )


def test_no_module_imports_a_higher_layer():
    broken = []
    scanned = set()
    for module, is_package, path in project_modules(ROOT):
        scanned.add(module.split(".")[0])
        broken += violations(path.read_text(encoding="utf-8"), module=module, is_package=is_package)
    assert {"operations", "config", "search", "forum", "kb", "members", "taxonomy"} <= scanned
    assert not broken, "Imports that point up:\n" + "\n".join(map(str, broken))


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("members.forms", "from kb.models import Topic"),
        ("members.forms", "import kb.models"),
        ("kb.views", "def view(request):\n    from forum.models import Thread\n    return Thread"),
        ("forum.services.threads", "class A:\n    def m(self):\n        import search.signals"),
        ("members.selectors", 'from django.apps import apps\napps.get_model("kb", "Topic")'),
        ("taxonomy.models", 'apps.get_model("members.Profile")'),
        ("kb.selectors", 'import importlib\nimportlib.import_module("search.backends")'),
        ("config.urls", "from demo import seeding"),
        ("config.settings.base", "from operations.services import backups"),
        ("markup.render", "from taxonomy.models import GlossaryTerm"),
        ("markup.render", "def render():\n    import members.roles"),
        ("kb.forms", "from tests.factories import kb"),
        ("kb.forms", "from ... import anything"),
    ],
)
def test_an_import_that_points_up_is_flagged(module, source):
    found = violations(source, module=module)
    assert len(found) == 1, found
    assert found[0].module == module


@pytest.mark.parametrize(
    ("module", "source"),
    [
        (
            "forum.forms",
            "from taxonomy.models import Region, Topic\nfrom members.roles import is_member",
        ),
        ("demo.seed", "from config import settings\nfrom forum.demo import seed"),
        ("operations.services.backups", "from search.services.indexing import index_rebuild"),
        ("members.forms", "from .models import Profile\nfrom . import roles"),
        ("kb.services.sites", "from ..models import HomePage"),
        ("kb.forms", "from markup import render_markdown"),
        ("markup.render", "import nh3\nfrom markup.links import policy"),
        ("members.services.accounts", 'apps.get_model("wagtailusers", "UserProfile")'),
        ("config.wsgi", "from django.core.wsgi import get_wsgi_application"),
    ],
)
def test_imports_of_the_same_layer_below_or_third_party_pass(module, source):
    assert violations(source, module=module) == []


def test_a_relative_import_resolves_within_its_package():
    found = references("from .. import models", module="kb.services", is_package=True)
    assert [reference.target for reference in found] == ["kb"]


def test_an_unplaced_top_level_package_is_reported(tmp_path):
    for path in (
        "kb/__init__.py",
        "newapp/__init__.py",
        "scripts/bulk_load.py",
        "manage.py",
        ".venv/lib/site.py",
        "node_modules/pkg/x.py",
        "templates/base.html",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    assert unplaced_packages(tmp_path) == {"newapp", "scripts"}
