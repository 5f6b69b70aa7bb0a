"""Environment readers: values parse, and bad ones fail with the variable's name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.environment import env_bool, env_int, env_list, env_required


def test_env_bool_accepts_common_spellings(monkeypatch):
    for raw, expected in [("true", True), ("1", True), ("YES", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("PCC_FLAG", raw)
        assert env_bool("PCC_FLAG") is expected


def test_env_bool_rejects_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PCC_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PCC_FLAG must be a boolean"):
        env_bool("PCC_FLAG")


def test_env_int_rejects_non_numbers_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PCC_PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="PCC_PORT must be an integer"):
        env_int("PCC_PORT", 25)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("PCC_HOSTS", " a.example.org, ,b.example.org ")
    assert env_list("PCC_HOSTS") == ["a.example.org", "b.example.org"]


def test_env_required_treats_blank_as_missing(monkeypatch):
    monkeypatch.setenv("PCC_SECRET", "   ")
    with pytest.raises(ImproperlyConfigured, match="PCC_SECRET is required"):
        env_required("PCC_SECRET")
