"""``manage.py search_index rebuild|sync|status``: the search index by hand.

- ``rebuild``: every indexable document into a fresh index per target backend, built aside
  and swapped in (the site keeps answering meanwhile), with a progress bar (counts, docs/s).
- ``sync``: apply the pending outbox rows that are due (``--retry-now``: all of them, ignoring
  the back-off). Safe to run from cron at any time; exits non-zero if some rows still fail.
- ``status``: per target backend, its documents per type against what the database would
  index, its details (for Elasticsearch: the aliases, the index behind them, its count), its
  pending outbox rows, the oldest pending age and the last error; then the outbox's totals.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from search.services.indexing import (
    index_rebuild,
    index_status,
    index_targets,
    indexable_counts,
    outbox_apply_pending,
)


class _RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        if not speed and task.elapsed:
            speed = task.completed / task.elapsed
        return Text(_("%(rate)s docs/s") % {"rate": f"{speed:,.0f}" if speed else "–"})


class _Stream:
    """Django's OutputWrapper for rich: rich writes pieces of lines, so no ending is added."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def _age(delta: timedelta | None) -> str:
    if delta is None:
        return "–"
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return _("%(n)s s") % {"n": seconds}
    if seconds < 7200:
        return _("%(n)s min") % {"n": seconds // 60}
    return _("%(n)s h") % {"n": seconds // 3600}


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def _gap(found: int, expected: int) -> str:
    """ " (2 missing)", " (1 extra)" or "" when the counts agree."""
    if found < expected:
        return _(" (%(n)s missing)") % {"n": expected - found}
    if found > expected:
        return _(" (%(n)s extra)") % {"n": found - expected}
    return ""


class Command(BaseCommand):
    help = "Rebuild the search index, apply pending index changes, or show the index's status."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "status"])
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="sync: apply every pending change now, ignoring the retry back-off.",
        )

    def handle(self, *args, action: str, retry_now: bool = False, **options):
        # Plain text: error messages and document ids must print as they are, not be read
        # as rich markup ("[votes]") or emoji codes ("forum.thread:100:").
        self.console = Console(
            file=_Stream(self.stdout), highlight=False, markup=False, emoji=False, width=100
        )
        if action == "rebuild":
            self._rebuild()
        elif action == "sync":
            self._sync(retry_now=retry_now)
        else:
            self._status()

    def _rebuild(self) -> None:
        total = sum(indexable_counts().values())
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=self.console) as bar:
            for target in index_targets():
                task = bar.add_task(target, total=total)
                counts = index_rebuild(
                    targets=[target], progress=lambda done, t=task: bar.update(t, completed=done)
                )
                bar.update(task, total=max(total, counts[target]), completed=counts[target])
                elapsed = bar.tasks[task].finished_time or bar.tasks[task].elapsed or 0
                rate = counts[target] / elapsed if elapsed else 0
                bar.console.print(
                    _("%(target)s: %(count)s documents indexed (%(rate)s docs/s).")
                    % {"target": target, "count": counts[target], "rate": f"{rate:,.0f}"}
                )

    def _sync(self, *, retry_now: bool) -> None:
        report = outbox_apply_pending(retry_now=retry_now)
        self.console.print(
            _("Applied %(applied)s pending index change(s); %(failed)s still failing.")
            % {"applied": report.applied, "failed": report.failed}
        )
        if report.failed:
            errors = "; ".join(f"{target}: {error}" for target, error in report.errors.items())
            raise CommandError(
                _("Some index changes could not be applied and stay pending (%(errors)s).")
                % {"errors": errors}
            )

    def _status(self) -> None:
        status = index_status()
        table = Table(title=_("Search index"))
        table.add_column(_("Backend"))
        table.add_column(_("Type"))
        table.add_column(_("Indexed"), justify="right")
        table.add_column(_("In the database"), justify="right")
        for target in status.targets:
            counts = target.backend.documents_by_type if target.backend else {}
            for doc_type, expected in status.indexable.items():
                found = counts.get(doc_type)
                table.add_row(target.name, doc_type, _count(found), str(expected))
            table.add_row(
                target.name,
                _("total"),
                _count(target.documents),
                str(sum(status.indexable.values())),
            )
        self.console.print(table)
        expected = sum(status.indexable.values())
        for target in status.targets:
            self.console.print(Text(target.name, style="bold"))
            if target.backend is None:
                self.console.print(
                    "  " + _("unavailable: %(error)s") % {"error": target.unavailable}
                )
            else:
                for key, value in target.backend.details.items():
                    self.console.print(f"  {key}: {value}")
                self.console.print(
                    "  "
                    + _("indexed: %(found)s of %(expected)s in the database%(gap)s")
                    % {
                        "found": target.documents,
                        "expected": expected,
                        "gap": _gap(target.documents, expected),
                    }
                )
            self.console.print(
                "  "
                + _("pending outbox rows: %(pending)s, of which failing: %(failing)s")
                % {"pending": target.pending, "failing": target.failing}
            )
            self.console.print(
                "  "
                + _("oldest pending change: %(age)s") % {"age": _age(target.oldest_pending_age)}
            )
            if target.last_error:
                self.console.print("  " + _("last error: %(error)s") % {"error": target.last_error})
        for target, error in status.unavailable.items():
            self.console.print(
                _("%(target)s unavailable: %(error)s") % {"target": target, "error": error}
            )
        by_target = ", ".join(f"{t}: {n}" for t, n in sorted(status.pending_by_target.items()))
        self.console.print(
            _("Pending outbox rows: %(pending)s%(detail)s, of which failing: %(failing)s")
            % {
                "pending": status.pending,
                "detail": f" ({by_target})" if by_target else "",
                "failing": status.failing,
            }
        )
        self.console.print(
            _("Oldest pending change: %(age)s") % {"age": _age(status.oldest_pending_age)}
        )
        if status.last_error:
            self.console.print(_("Last error: %(error)s") % {"error": status.last_error})
