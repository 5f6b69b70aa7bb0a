"""search.W001: under production settings, PostgreSQL without Elasticsearch is a warning."""

import pytest

from search.checks import topology_warnings
from tests.config.test_production_settings import PRODUCTION_ENV, run_manage

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def warning_ids(**settings):
    return [message.id for message in topology_warnings(**settings)]


def test_postgresql_without_elasticsearch_in_production_is_a_warning():
    assert warning_ids(debug=False, engine=POSTGRESQL, elasticsearch_url="") == ["search.W001"]


def test_postgresql_with_elasticsearch_is_fine():
    assert warning_ids(debug=False, engine=POSTGRESQL, elasticsearch_url="https://es:9200") == []


def test_sqlite_with_the_embedded_index_is_fine():
    assert warning_ids(debug=False, engine=SQLITE, elasticsearch_url="") == []


def test_development_on_postgresql_is_not_warned():
    assert warning_ids(debug=True, engine=POSTGRESQL, elasticsearch_url="") == []


@pytest.mark.parametrize(
    ("elasticsearch_url", "warned"), [(None, True), ("https://es.example.org:9200", False)]
)
def test_check_deploy_under_production_settings_reports_it(elasticsearch_url, warned):
    """Needs ``search.apps.SearchConfig.ready()`` to import ``search.checks``."""
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://hub:secret@127.0.0.1:1/hub",
        "ELASTICSEARCH_URL": elasticsearch_url,
    }
    result = run_manage("check", "--deploy", env_overrides=env)
    assert result.returncode == 0, result.stderr
    assert ("search.W001" in result.stderr + result.stdout) is warned
