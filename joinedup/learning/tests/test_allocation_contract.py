"""`joinedup learning allocate --input FILE`: input rules, output shape, failures (no database)."""

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

from joinedup.learning.allocation_contract import main

JOINEDUP = Path(sys.executable).with_name("joinedup")

EXAMPLE = """
{"run": {"id": "r1", "host": "ORG-A", "capacity": 20, "confirmed": 12, "cap_per_organisation": 3},
 "requests": [{"id": "q1", "organisation": "ORG-B", "requested_at": "2026-11-01T09:00:00Z",
               "approved": true}],
 "received_last_365_days": {"ORG-B": 4},
 "held_by_organisation": {"ORG-B": 1}}
"""


def valid() -> dict[str, Any]:
    return {
        "run": {
            "id": "r1",
            "host": "ORG-A",
            "capacity": 3,
            "confirmed": 1,
            "cap_per_organisation": 1,
        },
        "requests": [
            {
                "id": "q1",
                "organisation": "ORG-B",
                "requested_at": "2026-11-01T09:00:00Z",
                "approved": True,
            },
            {
                "id": "q2",
                "organisation": "ORG-A",
                "requested_at": "2026-11-02T09:00:00Z",
                "approved": True,
            },
            {
                "id": "q3",
                "organisation": "ORG-B",
                "requested_at": "2026-11-01T08:00:00Z",
                "approved": True,
            },
            {
                "id": "q4",
                "organisation": "ORG-C",
                "requested_at": "2026-11-01T10:00:00Z",
                "approved": False,
            },
        ],
        "received_last_365_days": {"ORG-B": 4},
        "held_by_organisation": {"ORG-C": 0},
    }


def run_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | bytes
) -> tuple[int, str, str]:
    path = tmp_path / "input.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    status = main(["--input", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_issues_example_allocates_its_one_request(tmp_path, capsys):
    status, out, err = run_text(tmp_path, capsys, EXAMPLE)
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "allocated": [{"request": "q1", "organisation": "ORG-B"}],
        "waiting": [],
    }


def test_host_first_then_one_partner_up_to_the_cap_and_the_rest_wait_in_input_order(
    tmp_path, capsys
):
    status, out, _ = run_text(tmp_path, capsys, json.dumps(valid()))
    assert status == 0
    assert json.loads(out) == {
        "allocated": [
            {"request": "q2", "organisation": "ORG-A"},
            {"request": "q3", "organisation": "ORG-B"},
        ],
        "waiting": ["q1", "q4"],
    }


def test_the_output_is_one_json_object_with_exactly_the_two_keys(tmp_path, capsys):
    _, out, _ = run_text(tmp_path, capsys, json.dumps(valid()))
    assert out.endswith("\n") and out.count("\n") == 1
    assert list(json.loads(out)) == ["allocated", "waiting"]


def test_optional_parts_may_be_left_out_and_a_null_cap_means_no_cap(tmp_path, capsys):
    data = valid()
    del data["received_last_365_days"], data["held_by_organisation"]
    data["run"]["cap_per_organisation"] = None
    data["run"]["confirmed"] = 0
    status, out, _ = run_text(tmp_path, capsys, json.dumps(data))
    assert status == 0
    assert [a["request"] for a in json.loads(out)["allocated"]] == ["q2", "q3", "q1"]
    del data["run"]["cap_per_organisation"]
    status, out_absent, _ = run_text(tmp_path, capsys, json.dumps(data))
    assert (status, out_absent) == (0, out)


def test_timestamps_with_offsets_compare_as_instants(tmp_path, capsys):
    data = valid()
    data["run"]["confirmed"] = 1
    data["requests"] = [
        {
            "id": "late",
            "organisation": "ORG-B",
            "requested_at": "2026-11-01T09:00:00Z",
            "approved": True,
        },
        {
            "id": "early",
            "organisation": "ORG-B",
            "requested_at": "2026-11-01T10:00:00.5+02:00",
            "approved": True,
        },
        {
            "id": "tiny",
            "organisation": "ORG-C",
            "requested_at": "2026-11-01T07:00:00.0000001-01:00",
            "approved": True,
        },
        {
            "id": "tinier",
            "organisation": "ORG-C",
            "requested_at": "2026-11-01T08:00:00.00000005Z",
            "approved": True,
        },
    ]
    data["run"]["cap_per_organisation"] = None
    status, out, _ = run_text(tmp_path, capsys, json.dumps(data))
    assert status == 0
    # ORG-C's earliest (08:00:00.00000005Z) is before ORG-B's earliest (08:00:00.5Z).
    assert json.loads(out)["allocated"] == [
        {"request": "tinier", "organisation": "ORG-C"},
        {"request": "early", "organisation": "ORG-B"},
    ]


def test_non_ascii_ids_come_back_unchanged(tmp_path, capsys):
    data = valid()
    data["requests"][1]["id"] = "cais\u2028Siân"
    status, out, _ = run_text(tmp_path, capsys, json.dumps(data, ensure_ascii=False))
    assert status == 0
    assert json.loads(out)["allocated"][0]["request"] == "cais\u2028Siân"
    assert len(out.splitlines()) == 1


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
    ("missing run", drop("run"), 'input: missing key "run"'),
    ("missing requests", drop("requests"), 'input: missing key "requests"'),
    ("run not an object", set_at("run", []), "run: must be an object, not a list"),
    ("unknown run key", set_at("run.places", 2), 'run: unknown key "places"'),
    ("missing run id", drop("run.id"), 'run: missing key "id"'),
    ("missing run host", drop("run.host"), 'run: missing key "host"'),
    ("missing capacity", drop("run.capacity"), 'run: missing key "capacity"'),
    ("missing confirmed", drop("run.confirmed"), 'run: missing key "confirmed"'),
    ("empty run id", set_at("run.id", ""), "run.id: must not be empty"),
    ("numeric run id", set_at("run.id", 1), "run.id: must be a string id, not an integer"),
    ("empty host", set_at("run.host", ""), "run.host: must not be empty"),
    ("null host", set_at("run.host", None), "run.host: must be a string id, not null"),
    (
        "boolean capacity",
        set_at("run.capacity", True),
        "run.capacity: must be a whole number, not a boolean",
    ),
    (
        "float capacity",
        set_at("run.capacity", 3.0),
        "run.capacity: must be a whole number, not a number",
    ),
    (
        "string capacity",
        set_at("run.capacity", "3"),
        "run.capacity: must be a whole number, not a string",
    ),
    (
        "null capacity",
        set_at("run.capacity", None),
        "run.capacity: must be a whole number, not null",
    ),
    ("negative capacity", set_at("run.capacity", -1), "run.capacity: must not be negative"),
    ("negative confirmed", set_at("run.confirmed", -1), "run.confirmed: must not be negative"),
    (
        "confirmed over capacity",
        set_at("run.confirmed", 4),
        "run.confirmed: 4 is more than run.capacity (3)",
    ),
    (
        "negative cap",
        set_at("run.cap_per_organisation", -1),
        "run.cap_per_organisation: must not be negative",
    ),
    (
        "boolean cap",
        set_at("run.cap_per_organisation", False),
        "run.cap_per_organisation: must be a whole number",
    ),
    (
        "float cap",
        set_at("run.cap_per_organisation", 1.5),
        "run.cap_per_organisation: must be a whole number",
    ),
    (
        "string cap",
        set_at("run.cap_per_organisation", "1"),
        "run.cap_per_organisation: must be a whole number",
    ),
    ("requests not a list", set_at("requests", {}), "requests: must be a list, not an object"),
    (
        "request not an object",
        set_at("requests.0", "q1"),
        "requests[0]: must be an object, not a string",
    ),
    ("unknown request key", set_at("requests.1.note", "x"), 'requests[1]: unknown key "note"'),
    ("missing request id", drop("requests.0.id"), 'requests[0]: missing key "id"'),
    (
        "missing organisation",
        drop("requests.0.organisation"),
        'requests[0]: missing key "organisation"',
    ),
    (
        "missing requested_at",
        drop("requests.0.requested_at"),
        'requests[0]: missing key "requested_at"',
    ),
    ("missing approved", drop("requests.0.approved"), 'requests[0]: missing key "approved"'),
    ("empty request id", set_at("requests.2.id", ""), "requests[2].id: must not be empty"),
    ("numeric request id", set_at("requests.2.id", 3), "requests[2].id: must be a string id"),
    ("repeated request id", set_at("requests.3.id", "q1"), 'requests[3].id: "q1" is repeated'),
    (
        "empty organisation",
        set_at("requests.0.organisation", ""),
        "requests[0].organisation: must not be empty",
    ),
    (
        "list organisation",
        set_at("requests.0.organisation", ["B"]),
        "requests[0].organisation: must be a string id",
    ),
    (
        "timestamp without offset",
        set_at("requests.0.requested_at", "2026-11-01T09:00:00"),
        'requests[0].requested_at: "2026-11-01T09:00:00" is not an RFC 3339 timestamp like '
        "2026-11-01T09:00:00Z (it has no Z or offset)",
    ),
    ("date only", set_at("requests.0.requested_at", "2026-11-01"), "is not an RFC 3339 timestamp"),
    (
        "space separator",
        set_at("requests.0.requested_at", "2026-11-01 09:00:00Z"),
        "is not an RFC 3339",
    ),
    (
        "short offset",
        set_at("requests.0.requested_at", "2026-11-01T09:00:00+01"),
        "is not an RFC 3339",
    ),
    ("no seconds", set_at("requests.0.requested_at", "2026-11-01T09:00Z"), "is not an RFC 3339"),
    (
        "impossible date",
        set_at("requests.0.requested_at", "2026-02-30T09:00:00Z"),
        "is not a real date and time",
    ),
    (
        "offset out of range",
        set_at("requests.0.requested_at", "2026-11-01T09:00:00+24:00"),
        "not a real date",
    ),
    (
        "numeric timestamp",
        set_at("requests.0.requested_at", 1793523600),
        "must be a timestamp string",
    ),
    (
        "string approved",
        set_at("requests.0.approved", "true"),
        "requests[0].approved: must be true or false",
    ),
    (
        "numeric approved",
        set_at("requests.0.approved", 1),
        "requests[0].approved: must be true or false",
    ),
    (
        "null approved",
        set_at("requests.0.approved", None),
        "requests[0].approved: must be true or false, not null",
    ),
    (
        "received not an object",
        set_at("received_last_365_days", [4]),
        "received_last_365_days: must be an object",
    ),
    (
        "received null",
        set_at("received_last_365_days", None),
        "received_last_365_days: must be an object",
    ),
    (
        "negative received",
        set_at("received_last_365_days.ORG-B", -4),
        'received_last_365_days["ORG-B"]: must not be negative',
    ),
    ("float received", set_at("received_last_365_days.ORG-B", 4.0), "must be a whole number"),
    (
        "string received",
        set_at("received_last_365_days.ORG-B", "4"),
        "must be a whole number, not a string",
    ),
    (
        "boolean held",
        set_at("held_by_organisation.ORG-C", True),
        "must be a whole number, not a boolean",
    ),
    (
        "negative held",
        set_at("held_by_organisation.ORG-C", -1),
        'held_by_organisation["ORG-C"]: must not be',
    ),
    (
        "empty organisation key",
        set_at("held_by_organisation.", 1),
        "held_by_organisation: an organisation id",
    ),
    (
        "held null",
        set_at("held_by_organisation", None),
        "held_by_organisation: must be an object, not null",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [b[1:] for b in BREACHES], ids=[b[0] for b in BREACHES]
)
def test_each_broken_rule_is_one_line_naming_the_field_and_status_two(
    tmp_path, capsys, change, message
):
    data = copy.deepcopy(valid())
    change(data)
    status, out, err = run_text(tmp_path, capsys, json.dumps(data))
    assert (status, out) == (2, "")
    assert err.startswith("joinedup learning allocate: ")
    assert message in err
    assert err.endswith("\n") and len(err.splitlines()) == 1


TEXT_BREACHES = [
    ("duplicate top-level key", '{"run": {}, "run": {}, "requests": []}', 'duplicate key "run"'),
    (
        "duplicate run key",
        '{"run": {"id": "r", "id": "s", "host": "A", "capacity": 1, "confirmed": 0},'
        ' "requests": []}',
        'duplicate key "id"',
    ),
    (
        "duplicate request key",
        EXAMPLE.replace('"approved": true', '"approved": true, "approved": false'),
        'duplicate key "approved"',
    ),
    (
        "duplicate map key",
        EXAMPLE.replace('{"ORG-B": 4}', '{"ORG-B": 4, "ORG-B": 5}'),
        'duplicate key "ORG-B"',
    ),
    ("malformed JSON", '{"run": ', "malformed JSON"),
    ("empty file", "", "malformed JSON"),
    ("trailing text", EXAMPLE + "x", "malformed JSON: Extra data"),
    (
        "NaN",
        EXAMPLE.replace('"capacity": 20', '"capacity": NaN'),
        "malformed JSON: NaN is not allowed",
    ),
    (
        "Infinity",
        EXAMPLE.replace('"capacity": 20', '"capacity": Infinity'),
        "Infinity is not allowed",
    ),
    (
        "huge integer",
        EXAMPLE.replace('"capacity": 20', '"capacity": 1' + "0" * 5000),
        "malformed JSON",
    ),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "malformed JSON"),
    ("top level list", "[]", "input: must be an object, not a list"),
    ("top level null", "null", "input: must be an object, not null"),
]


@pytest.mark.parametrize(
    ("text", "message"), [b[1:] for b in TEXT_BREACHES], ids=[b[0] for b in TEXT_BREACHES]
)
def test_each_bad_document_is_one_line_and_status_two(tmp_path, capsys, text, message):
    status, out, err = run_text(tmp_path, capsys, text)
    assert (status, out) == (2, "")
    assert message in err
    assert len(err.splitlines()) == 1


def test_a_file_that_is_not_utf8_is_one_line_and_status_two(tmp_path, capsys):
    status, out, err = run_text(tmp_path, capsys, EXAMPLE.encode("utf-16"))
    assert (status, out) == (2, "")
    assert "not UTF-8" in err


def test_a_byte_order_mark_is_allowed(tmp_path, capsys):
    status, _, err = run_text(tmp_path, capsys, EXAMPLE.encode("utf-8-sig"))
    assert (status, err) == (0, "")


def test_large_counts_are_fine_because_only_requests_are_walked(tmp_path, capsys):
    big = EXAMPLE.replace('"capacity": 20', '"capacity": ' + "9" * 1000)
    status, out, _ = run_text(tmp_path, capsys, big)
    assert status == 0
    assert json.loads(out)["allocated"] == [{"request": "q1", "organisation": "ORG-B"}]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--input"],
        ["--input", "a", "b"],
        ["--help"],
        ["-i", "a"],
        ["--input", "a", "--input", "b"],
    ],
)
def test_anything_but_one_input_option_is_a_usage_line_and_status_two(capsys, argv):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err
        == "joinedup learning allocate: usage: joinedup learning allocate --input FILE\n"
    )


# The installed console command, in a clean environment: no SECRET_KEY, database or settings.


def console(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    assert JOINEDUP.exists(), f"{JOINEDUP} is missing: make test installs it"
    return subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "learning", "allocate", *argv],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.endswith("\n"), result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr


def test_the_console_command_prints_only_json_without_secret_key_or_database(tmp_path):
    (tmp_path / "in.json").write_text(EXAMPLE, encoding="utf-8")
    result = console(tmp_path, "--input", "in.json")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "allocated": [{"request": "q1", "organisation": "ORG-B"}],
        "waiting": [],
    }
    assert not list(tmp_path.glob("*.sqlite3"))


def test_the_console_command_fails_in_one_line_for_a_missing_file(tmp_path):
    assert_one_line_failure(
        console(tmp_path, "--input", "absent.json"), "No such file or directory"
    )


def test_the_console_command_fails_in_one_line_for_an_unreadable_file(tmp_path):
    # A directory is unreadable as a file even to root, who CI runs as (a chmod 000 file is not).
    assert_one_line_failure(console(tmp_path, "--input", str(tmp_path)), "Is a directory")


def test_the_console_command_fails_in_one_line_for_malformed_json(tmp_path):
    (tmp_path / "in.json").write_text('{"run": ', encoding="utf-8")
    assert_one_line_failure(console(tmp_path, "--input", "in.json"), "malformed JSON")


def test_the_console_command_fails_in_one_line_for_a_broken_rule(tmp_path):
    (tmp_path / "in.json").write_text(
        EXAMPLE.replace('"confirmed": 12', '"confirmed": 21'), encoding="utf-8"
    )
    assert_one_line_failure(
        console(tmp_path, "--input", "in.json"), "run.confirmed: 21 is more than"
    )


def test_the_console_command_fails_in_one_line_without_arguments(tmp_path):
    assert_one_line_failure(console(tmp_path), "usage: joinedup learning allocate --input FILE")


def test_the_rule_and_its_contract_import_nothing_from_django():
    code = (
        "import sys, joinedup.cli, joinedup.learning.allocation_contract;"
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
