"""Playwright on Debian's Chromium, plus the axe-core accessibility check.

Chromium comes from the Debian package ``chromium`` (``scripts/install-test-services.sh``
installs it); Playwright drives it through ``executable_path`` and never downloads a browser.
axe-core comes from npm (``package.json``/``package-lock.json``) and is injected into pages.
"""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page; return violations of the given impacts."""
    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does this).")
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    # pages are tested with their real Content-Security-Policy.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in impacts]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(node["target"]) for node in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} at {targets}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a readable list when the page has serious or critical axe violations."""
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
