"""`joinedup talent match --input FILE` through the installed console command (no database).

Every case runs the real `joinedup` script in a clean environment (no SECRET_KEY, settings or
database): good input prints only JSON; each kind of bad input is one line on standard error
naming the field, and exit status 2.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

JOINEDUP = Path(sys.executable).with_name("joinedup")

EXAMPLE = """
{"applicants": [{"id": "g1", "preferences": ["p2", "p1"]}, {"id": "g2", "preferences": ["p1"]}],
 "posts": [{"id": "p1", "capacity": 1, "preferences": ["g2", "g1"]},
           {"id": "p2", "capacity": 1, "preferences": ["g2"]}]}
"""


def valid() -> dict[str, Any]:
    return {
        "applicants": [
            {"id": "a", "preferences": ["x", "y", "z"]},
            {"id": "b", "preferences": ["x", "z"]},
            {"id": "c", "preferences": ["x", "y"]},
            {"id": "d", "preferences": []},
        ],
        "posts": [
            {"id": "x", "capacity": 1, "preferences": ["c", "b", "a"]},
            {"id": "y", "capacity": 2, "preferences": ["a", "c"]},
            {"id": "z", "capacity": 0, "preferences": ["a", "b"]},
        ],
    }


def console(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    assert JOINEDUP.exists(), f"{JOINEDUP} is missing: make test installs it"
    return subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "talent", "match", *argv],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_input(tmp_path: Path, content: str | bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "in.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return console(tmp_path, "--input", "in.json")


def assert_one_line_failure(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.endswith("\n"), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("joinedup talent match: "), result.stderr
    assert fragment in result.stderr, result.stderr


# Good input.


def test_the_issues_example(tmp_path):
    result = run_input(tmp_path, EXAMPLE)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == '{"matching": {"g1": null, "g2": "p1"}}\n'
    assert not list(tmp_path.glob("*.sqlite3"))


def test_every_applicant_in_input_order_with_capacity_zero_and_an_empty_list(tmp_path):
    result = run_input(tmp_path, json.dumps(valid()))
    assert (result.returncode, result.stderr) == (0, "")
    # x holds c (its first choice); a falls to y; b's z has no places; d ranks nothing.
    matching = json.loads(result.stdout)["matching"]
    assert list(matching.items()) == [("a", "y"), ("b", None), ("c", "x"), ("d", None)]
    assert len(result.stdout.splitlines()) == 1


def test_applicant_and_post_ids_are_separate_namespaces_and_may_be_non_ascii(tmp_path):
    data = {
        "applicants": [{"id": "x", "preferences": ["x"]}, {"id": "Siân\u2028", "preferences": []}],
        "posts": [{"id": "x", "capacity": 1, "preferences": ["x"]}],
    }
    result = run_input(tmp_path, json.dumps(data, ensure_ascii=False))
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {"matching": {"x": "x", "Siân\u2028": None}}
    assert len(result.stdout.splitlines()) == 1


def test_empty_sides_and_a_huge_capacity_are_fine(tmp_path):
    assert json.loads(run_input(tmp_path, '{"applicants": [], "posts": []}').stdout) == {
        "matching": {}
    }
    data = valid()
    data["posts"][0]["capacity"] = int("9" * 500)
    result = run_input(tmp_path, json.dumps(data))
    assert result.returncode == 0
    assert json.loads(result.stdout)["matching"] == {"a": "x", "b": "x", "c": "x", "d": None}


def test_a_byte_order_mark_and_input_equals_form_are_allowed(tmp_path):
    (tmp_path / "in.json").write_bytes(EXAMPLE.encode("utf-8-sig"))
    result = console(tmp_path, "--input=in.json")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {"matching": {"g1": None, "g2": "p1"}}


# Bad input: each kind of broken rule.


def set_at(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def drop(path: str) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


BREACHES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown top-level key", set_at("extra", 1), 'input: unknown key "extra"'),
    ("missing applicants", drop("applicants"), 'input: missing key "applicants"'),
    ("missing posts", drop("posts"), 'input: missing key "posts"'),
    ("applicants not a list", set_at("applicants", {}), "applicants: must be a list, not an"),
    ("posts null", set_at("posts", None), "posts: must be a list, not null"),
    ("applicant not an object", set_at("applicants.1", "b"), "applicants[1]: must be an object"),
    ("post not an object", set_at("posts.2", ["z"]), "posts[2]: must be an object, not a list"),
    ("unknown applicant key", set_at("applicants.0.rank", 1), 'applicants[0]: unknown key "rank"'),
    ("unknown post key", set_at("posts.0.name", "X"), 'posts[0]: unknown key "name"'),
    ("missing applicant id", drop("applicants.2.id"), 'applicants[2]: missing key "id"'),
    (
        "missing applicant preferences",
        drop("applicants.3.preferences"),
        'applicants[3]: missing key "preferences"',
    ),
    ("missing post id", drop("posts.1.id"), 'posts[1]: missing key "id"'),
    ("missing capacity", drop("posts.1.capacity"), 'posts[1]: missing key "capacity"'),
    (
        "missing post preferences",
        drop("posts.0.preferences"),
        'posts[0]: missing key "preferences"',
    ),
    ("empty applicant id", set_at("applicants.0.id", ""), "applicants[0].id: must not be empty"),
    (
        "numeric applicant id",
        set_at("applicants.0.id", 7),
        "applicants[0].id: must be a string id, not an integer",
    ),
    ("null post id", set_at("posts.1.id", None), "posts[1].id: must be a string id, not null"),
    ("duplicate applicant id", set_at("applicants.3.id", "a"), 'applicants[3].id: "a" is repeated'),
    ("duplicate post id", set_at("posts.2.id", "x"), 'posts[2].id: "x" is repeated'),
    (
        "negative capacity",
        set_at("posts.1.capacity", -1),
        "posts[1].capacity: must not be negative (got -1)",
    ),
    (
        "boolean capacity",
        set_at("posts.1.capacity", True),
        "posts[1].capacity: must be a whole number, not a boolean",
    ),
    (
        "float capacity",
        set_at("posts.1.capacity", 2.0),
        "posts[1].capacity: must be a whole number, not a number",
    ),
    (
        "string capacity",
        set_at("posts.1.capacity", "2"),
        "posts[1].capacity: must be a whole number, not a string",
    ),
    (
        "null capacity",
        set_at("posts.1.capacity", None),
        "posts[1].capacity: must be a whole number, not null",
    ),
    (
        "preferences not a list",
        set_at("applicants.0.preferences", "x"),
        "applicants[0].preferences: must be a list, not a string",
    ),
    (
        "post preferences an object",
        set_at("posts.0.preferences", {"a": 1}),
        "posts[0].preferences: must be a list, not an object",
    ),
    (
        "unknown post in preferences",
        set_at("applicants.1.preferences", ["x", "q"]),
        'applicants[1].preferences[1]: "q" is not a post id',
    ),
    (
        "unknown applicant in preferences",
        set_at("posts.1.preferences", ["a", "e"]),
        'posts[1].preferences[1]: "e" is not an applicant id',
    ),
    (
        "an applicant id where a post id belongs",
        set_at("applicants.0.preferences", ["x", "a"]),
        'applicants[0].preferences[1]: "a" is not a post id',
    ),
    (
        "a post id where an applicant id belongs",
        set_at("posts.0.preferences", ["y"]),
        'posts[0].preferences[0]: "y" is not an applicant id',
    ),
    (
        "repeated post in preferences",
        set_at("applicants.0.preferences", ["x", "y", "x"]),
        'applicants[0].preferences[2]: "x" is repeated',
    ),
    (
        "repeated applicant in preferences",
        set_at("posts.2.preferences", ["b", "b"]),
        'posts[2].preferences[1]: "b" is repeated',
    ),
    (
        "empty id in preferences",
        set_at("applicants.2.preferences", [""]),
        "applicants[2].preferences[0]: must not be empty",
    ),
    (
        "numeric id in preferences",
        set_at("posts.0.preferences", [1]),
        "posts[0].preferences[0]: must be a string id, not an integer",
    ),
    (
        "list in preferences",
        set_at("applicants.0.preferences", ["x", ["y"]]),
        "applicants[0].preferences[1]: must be a string id, not a list",
    ),
    (
        "object in preferences",
        set_at("posts.1.preferences", [{"id": "a"}]),
        "posts[1].preferences[0]: must be a string id, not an object",
    ),
    (
        "null in preferences",
        set_at("applicants.0.preferences", ["x", None]),
        "applicants[0].preferences[1]: must be a string id, not null",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [b[1:] for b in BREACHES], ids=[b[0] for b in BREACHES]
)
def test_each_broken_rule_is_one_line_naming_the_field_and_status_two(tmp_path, change, message):
    data = copy.deepcopy(valid())
    change(data)
    assert_one_line_failure(run_input(tmp_path, json.dumps(data)), message)


TEXT_BREACHES = [
    (
        "duplicate top-level key",
        '{"applicants": [], "applicants": [], "posts": []}',
        'duplicate key "applicants"',
    ),
    (
        "duplicate applicant key",
        EXAMPLE.replace('"id": "g2"', '"id": "g2", "id": "g3"'),
        'duplicate key "id"',
    ),
    (
        "duplicate post key",
        EXAMPLE.replace('"capacity": 1, "preferences": ["g2"]', '"capacity": 1, "capacity": 2'),
        'duplicate key "capacity"',
    ),
    ("malformed JSON", '{"applicants": ', "malformed JSON"),
    ("empty file", "", "malformed JSON"),
    ("trailing text", EXAMPLE + "]", "malformed JSON: Extra data"),
    ("NaN capacity", EXAMPLE.replace('"capacity": 1', '"capacity": NaN'), "NaN is not allowed"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "malformed JSON"),
    ("top level list", "[]", "input: must be an object, not a list"),
    ("top level string", '"match"', "input: must be an object, not a string"),
]


@pytest.mark.parametrize(
    ("text", "message"), [b[1:] for b in TEXT_BREACHES], ids=[b[0] for b in TEXT_BREACHES]
)
def test_each_bad_document_is_one_line_and_status_two(tmp_path, text, message):
    assert_one_line_failure(run_input(tmp_path, text), message)


def test_a_file_that_is_not_utf8_is_one_line_and_status_two(tmp_path):
    assert_one_line_failure(run_input(tmp_path, EXAMPLE.encode("utf-16")), "not UTF-8")


def test_a_missing_file_is_one_line_and_status_two(tmp_path):
    assert_one_line_failure(
        console(tmp_path, "--input", "absent.json"), "No such file or directory"
    )


def test_an_unreadable_file_is_one_line_and_status_two(tmp_path):
    # A directory is unreadable as a file even to root, who CI runs as (a chmod 000 file is not).
    assert_one_line_failure(console(tmp_path, "--input", str(tmp_path)), "Is a directory")


@pytest.mark.parametrize(
    "argv",
    [[], ["--input"], ["--input", "a", "b"], ["--help"], ["-i", "a"], ["in.json"]],
    ids=["none", "no file", "two files", "help", "short option", "bare file"],
)
def test_anything_but_one_input_option_is_a_usage_line_and_status_two(tmp_path, argv):
    result = console(tmp_path, *argv)
    assert_one_line_failure(result, "usage: joinedup talent match --input FILE")


def test_the_matcher_and_its_contract_import_nothing_from_django():
    code = (
        "import sys, joinedup.cli, joinedup.talent.matching_contract;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", code],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr
