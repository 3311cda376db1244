"""`joinedup levy funds-in --input FILE`: input rules, output shape, failures (no database)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from joinedup.levy.funds_in import cut_off
from joinedup.levy.funds_in_contract import main

JOINEDUP = Path(sys.executable).with_name("joinedup")

EXAMPLE = """
{"english_fraction": "1",
 "declarations": [{"id": "d1", "scheme": "123/AB", "payroll_year": "17-18", "payroll_month": 1,
                   "levy_due_ytd": "10000", "submitted_at": "2017-05-15"}]}
"""


def declaration(id: str, month: int, ytd: object, submitted: str, **extra: object) -> dict:
    return {
        "id": id,
        "scheme": extra.get("scheme", "123/AB"),
        "payroll_year": extra.get("year", "17-18"),
        "payroll_month": month,
        "levy_due_ytd": ytd,
        "submitted_at": submitted,
    }


def valid() -> dict[str, Any]:
    return {
        "english_fraction": "1",
        "declarations": [
            declaration("d1", 1, "10000", "2017-05-15"),
            declaration("d2", 2, 20000, "2017-06-15"),
            declaration("d3", 3, None, "2017-07-15"),
        ],
        "top_up_rates": [
            {"from": "2015-01-01", "rate": "0.1"},
            {"from": "2026-08-01", "rate": "0"},
        ],
    }


def run_text(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str, str]:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    status = main(["--input", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def months(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object) -> list[dict]:
    status, out, err = run_text(tmp_path, capsys, json.dumps(data))
    assert (status, err) == (0, "")
    return json.loads(out)["months"]


def test_the_issues_example_lands_11000_in_may_2017(tmp_path, capsys):
    status, out, err = run_text(tmp_path, capsys, EXAMPLE)
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "months": [
            {
                "month": "2017-05",
                "levy": "10000",
                "top_up": "1000",
                "total": "11000",
                "balance": "11000",
            }
        ]
    }


def test_the_output_is_one_line_of_json_with_exactly_the_keys_of_the_issue(tmp_path, capsys):
    _, out, _ = run_text(tmp_path, capsys, json.dumps(valid()))
    assert out.endswith("\n") and out.count("\n") == 1
    result = json.loads(out)
    assert list(result) == ["months"]
    assert all(
        list(row) == ["month", "levy", "top_up", "total", "balance"] for row in result["months"]
    )


def test_a_null_month_has_a_row_of_zeros(tmp_path, capsys):
    assert months(tmp_path, capsys, valid())[-1] == {
        "month": "2017-07",
        "levy": "0",
        "top_up": "0",
        "total": "0",
        "balance": "22000",
    }


def test_twelve_months_of_10000_each_end_with_a_balance_of_132000(tmp_path, capsys):
    data = {
        "declarations": [
            declaration(f"d{m}", m, str(10000 * m), cut_off("17-18", m).replace(day=15).isoformat())
            for m in range(1, 13)
        ]
    }
    result = months(tmp_path, capsys, data)
    assert len(result) == 12
    assert {(row["levy"], row["top_up"], row["total"]) for row in result} == {
        ("10000", "1000", "11000")
    }
    assert [row["month"] for row in result][::11] == ["2017-05", "2018-04"]
    assert result[-1]["balance"] == "132000"


def test_a_falling_figure_gives_negative_amounts(tmp_path, capsys):
    data = {
        "declarations": [
            declaration("d1", 1, "10000", "2017-05-15"),
            declaration("d2", 2, "20000", "2017-06-15"),
            declaration("d3", 3, "18750", "2017-07-15"),
        ]
    }
    assert months(tmp_path, capsys, data)[-1] == {
        "month": "2017-07",
        "levy": "-1250",
        "top_up": "-125",
        "total": "-1375",
        "balance": "20625",
    }


def test_three_submissions_of_month_3_use_the_last_one(tmp_path, capsys):
    data = {
        "declarations": [
            declaration("d1", 1, "10000", "2017-05-15"),
            declaration("d2", 2, "20000", "2017-06-15"),
            declaration("d3a", 3, "35000", "2017-07-15"),
            declaration("d3b", 3, "25000", "2017-07-16"),
            declaration("d3c", 3, "30000", "2017-07-17"),
        ]
    }
    last = months(tmp_path, capsys, data)[-1]
    assert (last["total"], last["balance"]) == ("11000", "33000")


def test_an_english_fraction_of_095_and_the_defaults_when_it_is_left_out_or_null(tmp_path, capsys):
    data = json.loads(EXAMPLE)
    data["english_fraction"] = "0.95"
    row = months(tmp_path, capsys, data)[0]
    assert (row["levy"], row["top_up"], row["total"]) == ("9500", "950", "10450")
    data["english_fraction"] = 0.95
    assert months(tmp_path, capsys, data)[0]["total"] == "10450"
    del data["english_fraction"]
    assert months(tmp_path, capsys, data)[0]["total"] == "11000"
    data["english_fraction"] = None
    data["top_up_rates"] = None
    assert months(tmp_path, capsys, data)[0]["total"] == "11000"


def test_top_up_rates_given_replace_the_defaults(tmp_path, capsys):
    data = json.loads(EXAMPLE)
    data["top_up_rates"] = [{"from": "2017-05-19", "rate": 0.25}]
    assert months(tmp_path, capsys, data)[0]["top_up"] == "2500"
    data["top_up_rates"] = [{"from": "2017-05-20", "rate": "0.25"}]
    assert months(tmp_path, capsys, data)[0]["top_up"] == "0"
    data["top_up_rates"] = []
    assert months(tmp_path, capsys, data)[0]["total"] == "10000"


def test_an_adjustment_from_22_april_lands_by_the_23rd_rule(tmp_path, capsys):
    data = {
        "declarations": [
            declaration("m12", 12, "120000", "2018-04-19"),
            declaration("late", 12, "999999", "2018-04-21"),
            declaration("adj1", 12, "125000", "2018-04-24"),
            declaration("adj2", 12, "124000.5", "2018-05-23"),
        ]
    }
    assert [
        (row["month"], row["levy"], row["total"]) for row in months(tmp_path, capsys, data)
    ] == [
        ("2018-04", "120000", "132000"),
        ("2018-05", "4000.5", "4400.55"),
    ]


def test_no_declarations_give_no_months(tmp_path, capsys):
    assert months(tmp_path, capsys, {"declarations": []}) == []


def test_amounts_come_out_in_plain_notation_without_trailing_zeros(tmp_path, capsys):
    data = {
        "declarations": [
            declaration("d1", 1, 1000.0, "2017-05-15"),
            declaration("d2", 2, 1000.10, "2017-06-15"),
            declaration("d3", 3, "1000.1000", "2017-07-15"),
        ],
        "english_fraction": "0.50",
    }
    assert [
        (row["levy"], row["top_up"], row["total"], row["balance"])
        for row in months(tmp_path, capsys, data)
    ] == [
        ("500", "50", "550", "550"),
        ("0.05", "0.005", "0.055", "550.055"),
        ("0", "0", "0", "550.055"),
    ]


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
    ("missing declarations", drop("declarations"), 'input: missing key "declarations"'),
    ("declarations null", set_at("declarations", None), "declarations: must be a list, not null"),
    ("declaration not an object", set_at("declarations.0", "d1"), "declarations[0]: must be"),
    ("unknown declaration key", set_at("declarations.1.note", "x"), "declarations[1]: unknown key"),
    ("missing id", drop("declarations.0.id"), 'declarations[0]: missing key "id"'),
    ("missing scheme", drop("declarations.0.scheme"), 'declarations[0]: missing key "scheme"'),
    ("missing year", drop("declarations.0.payroll_year"), 'missing key "payroll_year"'),
    ("missing month", drop("declarations.0.payroll_month"), 'missing key "payroll_month"'),
    ("missing figure", drop("declarations.2.levy_due_ytd"), 'missing key "levy_due_ytd"'),
    ("missing submitted", drop("declarations.0.submitted_at"), 'missing key "submitted_at"'),
    ("empty id", set_at("declarations.0.id", ""), "declarations[0].id: must not be empty"),
    ("numeric id", set_at("declarations.0.id", 1), "declarations[0].id: must be a string id"),
    ("repeated id", set_at("declarations.2.id", "d1"), 'declarations[2].id: "d1" is repeated'),
    ("empty scheme", set_at("declarations.0.scheme", ""), "declarations[0].scheme: must not be"),
    ("null scheme", set_at("declarations.0.scheme", None), "declarations[0].scheme: must be a"),
    ("year not following", set_at("declarations.0.payroll_year", "17-19"), "payroll_year: must"),
    ("long year", set_at("declarations.0.payroll_year", "2017-18"), "payroll_year: must be a tax"),
    ("numeric year", set_at("declarations.0.payroll_year", 17), "payroll_year: must be a tax"),
    ("month 0", set_at("declarations.0.payroll_month", 0), "payroll_month: must be from 1 to 12"),
    ("month 13", set_at("declarations.0.payroll_month", 13), "payroll_month: must be from 1 to"),
    ("negative month", set_at("declarations.0.payroll_month", -1), "payroll_month: must not be"),
    ("string month", set_at("declarations.0.payroll_month", "1"), "payroll_month: must be a whole"),
    ("float month", set_at("declarations.0.payroll_month", 1.0), "payroll_month: must be a whole"),
    ("boolean month", set_at("declarations.0.payroll_month", True), "must be a whole number"),
    ("spaced figure", set_at("declarations.0.levy_due_ytd", " 10"), 'levy_due_ytd: " 10" is not'),
    ("exponent figure", set_at("declarations.0.levy_due_ytd", "1e3"), "is not an amount"),
    ("NaN figure", set_at("declarations.0.levy_due_ytd", "NaN"), "is not an amount"),
    ("underscore figure", set_at("declarations.0.levy_due_ytd", "1_000"), "is not an amount"),
    ("boolean figure", set_at("declarations.0.levy_due_ytd", False), "must be an amount"),
    ("list figure", set_at("declarations.0.levy_due_ytd", [1]), "must be an amount, not a list"),
    (
        "timestamp date",
        set_at("declarations.0.submitted_at", "2017-05-15T00:00:00Z"),
        "must be a date",
    ),
    ("impossible date", set_at("declarations.0.submitted_at", "2017-02-30"), "is not a real date"),
    ("null date", set_at("declarations.0.submitted_at", None), "submitted_at: must be a date"),
    (
        "fraction above 1",
        set_at("english_fraction", "1.01"),
        "english_fraction: must be from 0 to 1",
    ),
    ("negative fraction", set_at("english_fraction", "-0.5"), "english_fraction: must be from 0"),
    ("fraction text", set_at("english_fraction", "95%"), 'english_fraction: "95%" is not'),
    ("rates not a list", set_at("top_up_rates", {}), "top_up_rates: must be a list"),
    ("rate not an object", set_at("top_up_rates.0", "0.1"), "top_up_rates[0]: must be an object"),
    ("unknown rate key", set_at("top_up_rates.0.to", "2016-01-01"), 'unknown key "to"'),
    ("missing rate", drop("top_up_rates.1.rate"), 'top_up_rates[1]: missing key "rate"'),
    ("missing from", drop("top_up_rates.1.from"), 'top_up_rates[1]: missing key "from"'),
    ("negative rate", set_at("top_up_rates.1.rate", "-0.1"), "top_up_rates[1].rate: must not be"),
    ("month as from", set_at("top_up_rates.1.from", "2026-08"), "top_up_rates[1].from: must be a"),
    ("repeated from", set_at("top_up_rates.1.from", "2015-01-01"), "2015-01-01 is repeated"),
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
    assert err.startswith("joinedup levy funds-in: ")
    assert message in err
    assert err.endswith("\n") and len(err.splitlines()) == 1


TEXT_BREACHES = [
    ("not JSON", "{", "malformed JSON"),
    ("not an object", "[]", "input: must be an object, not a list"),
    ("NaN", '{"declarations": [], "english_fraction": NaN}', "NaN is not allowed"),
    (
        "duplicate key",
        '{"declarations": [{"id": "d", "id": "e", "scheme": "S", "payroll_year": "17-18",'
        ' "payroll_month": 1, "levy_due_ytd": null, "submitted_at": "2017-05-01"}]}',
        'duplicate key "id"',
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [b[1:] for b in TEXT_BREACHES], ids=[b[0] for b in TEXT_BREACHES]
)
def test_malformed_input_is_one_line_and_status_two(tmp_path, capsys, text, message):
    status, out, err = run_text(tmp_path, capsys, text)
    assert (status, out) == (2, "")
    assert message in err and len(err.splitlines()) == 1


def console(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The installed console command, with no settings or other environment."""
    return subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "levy", "funds-in", *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_the_console_command_prints_the_example(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(EXAMPLE, encoding="utf-8")
    done = console("--input", str(path))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["months"][0]["balance"] == "11000"


@pytest.mark.parametrize(
    "arguments",
    [["--input", "/nonexistent/input.json"], [], ["--input"], ["--file", "x.json"]],
    ids=["missing file", "no arguments", "no file", "wrong option"],
)
def test_the_console_command_fails_with_one_line_and_status_two(arguments):
    done = console(*arguments)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("joinedup levy funds-in: ")
    assert len(done.stderr.splitlines()) == 1


def test_the_console_command_refuses_bad_input_with_one_line(tmp_path):
    path = tmp_path / "input.json"
    data = valid()
    data["declarations"][1]["payroll_month"] = 13
    path.write_text(json.dumps(data), encoding="utf-8")
    done = console("--input", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "joinedup levy funds-in: declarations[1].payroll_month: must be from 1 to 12 (got 13)\n"
    )
