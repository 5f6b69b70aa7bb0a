"""System checks for search deployments (issue 11, "Topology").

The embedded index is a SQLite file on one machine: it cannot serve several app nodes. A
site on PostgreSQL is usually a site with more than one node, so under production settings
(``check --deploy`` with DEBUG off) PostgreSQL without ``ELASTICSEARCH_URL`` is a warning.
A single node on PostgreSQL may silence it with ``SILENCED_SYSTEM_CHECKS = ["search.W001"]``.

Registered when ``search.apps.SearchConfig.ready()`` imports this module.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")


@register(Tags.compatibility, deploy=True)
def embedded_index_beside_postgresql(app_configs=None, **kwargs) -> list[Warning]:
    """search.W001, from the current settings (see ``topology_warnings``)."""
    return topology_warnings(
        debug=settings.DEBUG,
        engine=settings.DATABASES.get("default", {}).get("ENGINE", ""),
        elasticsearch_url=settings.ELASTICSEARCH_URL,
    )


def topology_warnings(*, debug: bool, engine: str, elasticsearch_url: str) -> list[Warning]:
    """search.W001 when ``engine`` is PostgreSQL, ``elasticsearch_url`` is empty and
    ``debug`` is off; otherwise none."""
    if debug or not engine.startswith(POSTGRESQL_ENGINES) or elasticsearch_url:
        return []
    return [
        Warning(
            "PostgreSQL is configured without ELASTICSEARCH_URL, so search uses the embedded "
            "index, a SQLite file on this machine only.",
            hint=(
                "With more than one app node, set ELASTICSEARCH_URL (see the README's "
                "deployment section). A single node may keep the embedded index and silence "
                "this with SILENCED_SYSTEM_CHECKS = ['search.W001']."
            ),
            id="search.W001",
        )
    ]
