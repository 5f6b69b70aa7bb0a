"""Demo data files are checked on load; every mistake names the file, the entry and the key."""

import re

import pytest

from demo.data_files import Choice, DemoDataError, ListOf, Record, load_data

PEOPLE = ListOf(
    Record(
        {"key": str, "age": int, "team": Choice({"red", "blue"}, "team")},
        {"admin": bool, "tags": ListOf(str)},
        label="key",
    ),
    unique_by="key",
)


def write(demo_data, text: str) -> None:
    (demo_data.root / "people.yaml").write_text(text, encoding="utf-8")


def load_error(demo_data, text: str, shape=PEOPLE) -> str:
    write(demo_data, text)
    with pytest.raises(DemoDataError) as caught:
        load_data("people.yaml", shape)
    return str(caught.value)


def test_a_matching_file_is_returned_as_written(demo_data):
    write(
        demo_data,
        "- {key: ada, age: 36, team: red, tags: [x, y]}\n- {key: bo, age: 5, team: blue}\n",
    )
    assert load_data("people.yaml", PEOPLE) == [
        {"key": "ada", "age": 36, "team": "red", "tags": ["x", "y"]},
        {"key": "bo", "age": 5, "team": "blue"},
    ]


def test_a_missing_key_names_the_file_the_entry_and_the_key(demo_data):
    message = load_error(demo_data, "- {key: ada, age: 36, team: red}\n- {key: bo, team: blue}\n")
    assert message == "demo/data/people.yaml: entry 2 ('bo'): missing key 'age'"


def test_a_misspelt_key_is_refused_with_a_suggestion(demo_data):
    message = load_error(demo_data, "- {key: ada, age: 36, team: red, admni: true}\n")
    assert message.startswith(
        "demo/data/people.yaml: entry 1 ('ada'): unknown key 'admni' (did you mean 'admin'?)"
    )
    assert "allowed keys: key, age, team, admin, tags" in message


def test_an_unknown_choice_is_refused_with_a_suggestion(demo_data):
    message = load_error(demo_data, "- {key: ada, age: 36, team: rde}\n")
    assert message == (
        "demo/data/people.yaml: entry 1 ('ada'), key team: unknown team 'rde' (did you mean 'red'?)"
    )


def test_a_value_of_the_wrong_type_is_refused(demo_data):
    assert load_error(demo_data, "- {key: ada, age: old, team: red}\n") == (
        "demo/data/people.yaml: entry 1 ('ada'), key age: expected a whole number, got text ('old')"
    )
    # YAML's `yes` is a boolean, which Python would also accept as an int.
    assert "key age: expected a whole number, got true or false (True)" in load_error(
        demo_data, "- {key: ada, age: yes, team: red}\n"
    )
    assert "key tags[1]: expected text, got nothing" in load_error(
        demo_data, "- {key: ada, age: 3, team: red, tags: [a, ~]}\n"
    )


def test_nested_lists_are_located_by_index(demo_data):
    tree = ListOf(Record({"name": str}, label="name"))
    tree.item.optional["children"] = tree
    message = load_error(
        demo_data,
        "- name: root\n  children:\n  - name: a\n  - name: b\n    children:\n    - {nme: c}\n",
        shape=tree,
    )
    assert message.startswith(
        "demo/data/people.yaml: entry 1 ('root'), key children[1] ('b').children[0]: "
        "unknown key 'nme' (did you mean 'name'?)"
    )


def test_a_duplicate_key_is_refused(demo_data):
    message = load_error(
        demo_data, "- {key: ada, age: 1, team: red}\n- {key: ada, age: 2, team: red}\n"
    )
    assert message == "demo/data/people.yaml: entry 2 ('ada'): key 'ada' appears twice"


def test_an_unquoted_comma_in_a_flow_mapping_is_caught(demo_data):
    # `{body: a, b}` is YAML for {"body": "a", "b": None}: the text after the comma would be
    # lost silently (it was, in two case studies and seven method-guide steps).
    message = load_error(
        demo_data,
        "- {key: ada, age: 1, team: red, tags: [x]}\n- {key: bo, age: 1, team: blue, more, text}\n",
    )
    assert re.match(r"demo/data/people.yaml: entry 2 \('bo'\): unknown key 'more'", message)


def test_a_missing_or_malformed_file_is_named(demo_data):
    with pytest.raises(DemoDataError, match=r"^demo/data/nobody\.yaml: the file is missing\.$"):
        load_data("nobody.yaml", PEOPLE)
    message = load_error(demo_data, "- {key: ada, age: [1\n")
    assert message.startswith("demo/data/people.yaml: not valid YAML: ")
    assert load_error(demo_data, "") == (
        "demo/data/people.yaml: expected a list, got nothing (an empty value)"
    )
