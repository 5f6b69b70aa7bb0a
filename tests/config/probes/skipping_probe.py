"""Run only by test_strict_services.py: a test that skips, as one would without a service."""

import pytest


def test_needs_a_missing_service():
    pytest.skip("the service is missing")
