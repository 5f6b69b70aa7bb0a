"""Schemathesis against the search API's own OpenAPI document (/api/schema/, search.openapi).

The schema is loaded from the running WSGI application, as a client would read it, and every
operation it describes is called with generated inputs, valid ones (what the schema allows)
and invalid ones (what it does not). Whatever arrives, the API never answers 5xx (503 is the
documented "search unavailable", which the real index here never is), and every response
conforms to the schema: a documented status, JSON content and a body matching its schema.

Derandomised (Schemathesis's deterministic mode and Hypothesis's derandomize), against the
embedded index with a few documents in it, so results and snippets are exercised.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from search import openapi
from search.documents import MEMBERS, THREAD
from tests.factories.search import (
    AFRICA,
    KENYA,
    RISK,
    fresh_index,
    index_documents,
    search_document,
)
from tests.security import summary

EXAMPLES = 60


@pytest.fixture
def api_schema(db, settings, tmp_path):
    cache.clear()
    index = fresh_index(settings, tmp_path)
    next(index)
    index_documents(
        search_document(
            title="Drought messages that worked",
            summary="A utility cut demand with drought messaging by SMS.",
            topics=(RISK,),
            regions=(AFRICA, KENYA),
            pk=12,
        ),
        search_document(
            type=THREAD,
            title="Drought slogans customers remember",
            summary="Which <b>drought</b> slogans work? {{ 7*7 }}",
            pk=7,
        ),
        search_document(
            title="Members-only drought figures",
            summary="Confidential drought figures.",
            visibility=(MEMBERS,),
        ),
    )
    # As django.test.Client does: a request through the bare WSGI handler would otherwise close
    # the test's database connection when it finishes (PostgreSQL then fails the next query).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        next(index, None)


# Every operation the document describes (search.openapi.schema is pure, so this is known at
# collection); the test checks that the schema served over WSGI has exactly these.
OPERATIONS = sorted(
    operation["operationId"]
    for item in openapi.schema(server_url="")["paths"].values()
    for operation in item.values()
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_operation_answers_within_its_schema_and_never_5xx(api_schema, operation_id, mode):
    served = {result.ok().label for result in api_schema.get_all_operations()}
    assert len(served) == len(OPERATIONS)
    operation = api_schema.find_operation_by_id(operation_id)
    # Valid inputs must also be accepted (2xx); invalid ones need only be refused cleanly,
    # since unknown facet values are notices by design, not errors.
    checks = CHECKS + ([positive_data_acceptance] if mode is GenerationMode.POSITIVE else [])
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        cache.clear()  # the anonymous rate limit has its own test; here every call is answered
        response = case.call_and_validate(checks=checks)
        statuses.append(response.status_code)
        assert response.status_code < 500

    call()
    summary.add(f"search API schema fuzz: {mode.value} requests", len(statuses))
    assert len(statuses) >= EXAMPLES // 2, "too few generated requests to mean anything"
