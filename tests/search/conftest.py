"""Fixtures for tests against a real Elasticsearch node (never a mock).

Locally: ``make es-up``, then ``export ELASTICSEARCH_URL=$(cat var/elasticsearch/url)``.
``make test`` does this by itself when Java and Maven are available. The same tests can run
against any Elasticsearch 9 cluster (ELASTICSEARCH_API_KEY / ELASTICSEARCH_CA_CERTS as for the
app); they only create and delete indices named ``<prefix>-test-<random>``.
"""

import os
import uuid

import pytest
from elasticsearch import Elasticsearch

HOW_TO_GET_ONE = (
    "ELASTICSEARCH_URL is not set. To get a local node: make es-up, then "
    "export ELASTICSEARCH_URL=$(cat var/elasticsearch/url) (e.g. http://127.0.0.1:9200). "
    "make test does both by itself when java and mvn are installed."
)


@pytest.fixture(scope="session")
def elasticsearch_url():
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if not url:
        pytest.skip(HOW_TO_GET_ONE)
    return url


@pytest.fixture(scope="session")
def es_client(elasticsearch_url):
    options = {"request_timeout": 60}
    if api_key := os.environ.get("ELASTICSEARCH_API_KEY"):
        options["api_key"] = api_key
    if ca_certs := os.environ.get("ELASTICSEARCH_CA_CERTS"):
        options["ca_certs"] = ca_certs
    client = Elasticsearch(elasticsearch_url, **options)
    client.cluster.health(wait_for_status="yellow", timeout="60s")
    yield client
    client.close()


class IndexFactory:
    """Creates uniquely named indices and deletes every one of them at teardown."""

    def __init__(self, client):
        self.client = client
        self.prefix = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "pcc"
        self.names = []

    def name(self, label="index"):
        """A fresh unique name, registered for deletion (for code that creates the index itself)."""
        name = f"{self.prefix}-test-{label}-{uuid.uuid4().hex[:12]}"
        self.names.append(name)
        return name

    def __call__(self, settings=None, mappings=None, label="index"):
        name = self.name(label)
        self.client.indices.create(
            index=name,
            settings={"number_of_shards": 1, "number_of_replicas": 0, **(settings or {})},
            mappings=mappings,
        )
        return name

    def cleanup(self):
        for name in self.names:
            self.client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture
def es_index(es_client):
    factory = IndexFactory(es_client)
    yield factory
    factory.cleanup()


@pytest.fixture
def es_backend_factory(elasticsearch_url):
    """Builds ElasticsearchBackend instances on a fresh ``<prefix>-test-<random>`` prefix and
    deletes their indices and template at teardown. Keyword arguments go to the backend."""
    from search.backends.elasticsearch import ElasticsearchBackend

    created = []

    def build(**options):
        base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "pcc"
        options.setdefault("prefix", f"{base}-test-{uuid.uuid4().hex[:12]}")
        backend = ElasticsearchBackend(url=elasticsearch_url, **options)
        created.append(backend)
        return backend

    yield build
    for backend in created:
        backend.delete_all()


@pytest.fixture
def es_backend(es_backend_factory):
    """An ElasticsearchBackend on the real node, with its own indices."""
    return es_backend_factory()
