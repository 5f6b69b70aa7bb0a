"""Measure search relevance on a corpus: ``manage.py search_relevance [--corpus PATH]
[--backend embedded|elasticsearch|all]`` (``make relevance [CORPUS=path]``).

The corpus (format: ``demo.relevance.corpus``) is loaded into a throw-away database and a
throw-away index (``demo.relevance.evaluation``), through the services and the search outbox
the site uses, and every query runs through the query layer of /search/ and /api/search/.
Output: with ``-v 2``, one line per failing query (missed or leaking); the load's warnings;
then, last, one line per backend::

    relevance embedded: recall@5 R, MRR M, nDCG@10 N, leaks L over Q queries

The exit status is non-zero when any query leaks (an ``absent`` key among its results), when
the corpus is malformed, or when indexing fails. Leaking queries are always printed.

Why it lives in ``demo``: it is development tooling that creates databases and seeds content
(like ``seed_demo`` and ``seed_bulk``), and it sits above every layer, loading KB pages and
threads through the kb and forum services and querying through ``search.selectors``; the
``demo`` app may import all of them, is installed by the development and test settings only,
and so never gives a production site a command that creates databases. ``search`` keeps only
what production needs (``search_index``).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data_files import DemoDataError

PROJECT_CORPUS = Path(settings.BASE_DIR) / "tests" / "search" / "relevance" / "corpus.json"
BACKENDS = ("embedded", "elasticsearch")
AGREEMENT = 0.05
"""Both backends' recall@5 and MRR should agree within this (issue 11 item 3)."""


class Command(BaseCommand):
    help = (
        "Load a relevance corpus into a throw-away database and index, run its queries and "
        "print recall@5, MRR, nDCG@10 and leaks per backend (non-zero exit on any leak)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            default=str(PROJECT_CORPUS),
            help="The corpus JSON file (default: tests/search/relevance/corpus.json).",
        )
        parser.add_argument(
            "--backend",
            choices=(*BACKENDS, "all"),
            default="all",
            help="The backend to measure; 'all' (the default) is the embedded backend, plus "
            "Elasticsearch when ELASTICSEARCH_URL is set.",
        )

    def handle(self, *args, corpus: str, backend: str, verbosity: int = 1, **options):
        from demo.relevance.corpus import read_corpus
        from demo.relevance.evaluation import (
            EvaluationFailed,
            backend_evaluate,
            throwaway_database,
        )

        if backend == "all":
            names = [name for name in BACKENDS if name == "embedded" or settings.ELASTICSEARCH_URL]
        else:
            names = [backend]
        if "elasticsearch" in names and not settings.ELASTICSEARCH_URL:
            raise CommandError(
                "--backend elasticsearch needs ELASTICSEARCH_URL (make es-up, then export "
                "ELASTICSEARCH_URL=$(cat var/elasticsearch/url))."
            )
        try:
            loaded_corpus = read_corpus(corpus)
        except DemoDataError as error:
            raise CommandError(f"The corpus cannot be used: {error}") from error
        reports = []
        try:
            with throwaway_database():
                for name in names:
                    reports.append(backend_evaluate(loaded_corpus, backend=name))
        except DemoDataError as error:
            raise CommandError(f"The corpus cannot be used: {error}") from error
        except EvaluationFailed as error:
            raise CommandError(str(error)) from error

        for report in reports:
            for outcome in report.failures:
                if verbosity >= 2 or outcome.score.leaks:
                    self.stdout.write(f"{report.backend}: {outcome.describe()}")
        for warning in dict.fromkeys(w for report in reports for w in report.warnings):
            self.stderr.write(f"warning: {warning}")
        if len(reports) > 1:
            first, second = (report.summary for report in reports[:2])
            apart = max(abs(first.recall_at_5 - second.recall_at_5), abs(first.mrr - second.mrr))
            agree = "agree" if apart <= AGREEMENT else "DO NOT agree"
            self.stdout.write(
                f"backends {agree} within {AGREEMENT} on recall@5 and MRR (largest gap {apart:.3f})"
            )
        for report in reports:
            self.stdout.write(report.summary.line(report.backend))
        leaks = sum(report.summary.leaks for report in reports)
        if leaks:
            raise CommandError(
                f"{leaks} leaks: a result that the corpus says must not appear did appear."
            )
