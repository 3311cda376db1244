"""Reading and checking a declarations CSV (docs/LEVY_IMPORT.md): plain Python, no Django.

`read_declarations` turns the uploaded bytes into checked rows and every problem found, each
naming its line and column; it raises `DeclarationFileError` only when the file as a whole cannot
be read (too big, not UTF-8, no headings). Line 1 is the row of headings, as a spreadsheet shows
it. What the rows mean for an account (known schemes, what is already recorded) is the service's
part. Nothing is neutralised or rewritten: a cell is used as written or refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from .funds_in import tax_year_start

COLUMNS = ("id", "scheme", "payroll_year", "payroll_month", "levy_due_ytd", "submitted_at")
MAX_BYTES = 1024 * 1024
MAX_ROWS = 10_000
ID_MAX_LENGTH = 64
# The model keeps amounts to 20 digits, 5 of them after the point.
AMOUNT_PLACES = 5
AMOUNT_WHOLE_DIGITS = 15

# A PAYE scheme reference: a 3-digit tax office number, a slash, then up to 10 letters or digits.
SCHEME_REFERENCE = re.compile(r"^[0-9]{3}/[A-Z0-9]{1,10}$")
AMOUNT = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
UK_DATE = re.compile(r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DeclarationFileError(Exception):
    """The file as a whole cannot be used; the message says why, in plain English."""


@dataclass(frozen=True)
class Row:
    """One checked declaration from the file."""

    line: int
    id: str
    scheme: str
    payroll_year: str
    payroll_month: int
    levy_due_ytd: Decimal | None  # None: "no payment for period" (a blank cell)
    submitted_on: dt.date


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or one line, when `column` is empty)."""

    line: int
    column: str
    message: str


def megabytes(size: int) -> str:
    """A size in bytes as people read it."""
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def scheme_reference_problem(reference: str) -> str | None:
    """Why a PAYE scheme reference is not one, or None when it is (give it in capitals)."""
    if not reference:
        return "Enter the PAYE scheme reference, like 123/AB45678"
    if not SCHEME_REFERENCE.match(reference):
        return (
            f"{reference!r} is not a PAYE scheme reference: it is 3 digits, a slash, then up to "
            "10 letters or digits, like 123/AB45678"
        )
    return None


def normalise_scheme(reference: str) -> str:
    """A reference as HMRC writes it: no spaces around it, letters in capitals."""
    return reference.strip().upper()


def tax_year_problem(payroll_year: str) -> str | None:
    """Why a tax year is not one written `YY-YY` (the second year following the first)."""
    try:
        tax_year_start(payroll_year)
    except ValueError:
        return (
            f"{payroll_year!r} is not a tax year: write it like 25-26, the second year after "
            "the first"
        )
    return None


def parse_amount(text: str) -> Decimal:
    """A year-to-date levy figure, exactly; ValueError says what is wrong with it."""
    if not AMOUNT.match(text):
        raise ValueError(
            f"{text!r} is not an amount: write digits with an optional point, like 12500.50"
        )
    amount = Decimal(text)
    if amount < 0:
        raise ValueError("must not be negative: the levy due for the year so far is never below 0")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > AMOUNT_PLACES:
        raise ValueError(f"has more than {AMOUNT_PLACES} decimal places")
    if amount.adjusted() >= AMOUNT_WHOLE_DIGITS:
        raise ValueError(f"is too large: at most {AMOUNT_WHOLE_DIGITS} digits before the point")
    return amount


def parse_date(text: str) -> dt.date:
    """A date written 2017-05-15 (or 15/05/2017, as spreadsheets save it)."""
    try:
        if ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
        if UK_DATE.match(text):
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None
    raise ValueError(f"{text!r} is not a date: write it like 2017-05-15")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DeclarationFileError(
            f"Line {line} is not UTF-8 text. Save the file as \u201cCSV UTF-8\u201d and upload it "
            "again."
        ) from None


def _headings(cells: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Where each column is, and the problems with the row of headings."""
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = cell.strip().lower()
        if name in positions:
            problems.append(Problem(1, cell, f"The column {name!r} appears twice"))
        elif name not in COLUMNS:
            problems.append(
                Problem(
                    1,
                    cell,
                    f"{cell!r} is not a column of a declarations file; the columns are "
                    + ", ".join(COLUMNS),
                )
            )
        else:
            positions[name] = position
    for column in COLUMNS:
        if column not in positions:
            problems.append(Problem(1, column, f"The column {column!r} is missing"))
    return positions, problems


def _check_row(
    line: int, cells: dict[str, str], today: dt.date
) -> tuple[Row | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    for column, value in cells.items():
        if CONTROL_CHARACTERS.search(value):
            problem(column, "contains control characters")
    if problems:
        return None, problems

    submission_id = cells["id"].strip()
    if not submission_id:
        problem("id", "Enter the declaration's id (its submission id)")
    elif len(submission_id) > ID_MAX_LENGTH:
        problem("id", f"is longer than {ID_MAX_LENGTH} characters")

    scheme = normalise_scheme(cells["scheme"])
    scheme_problem = scheme_reference_problem(scheme)
    if scheme_problem:
        problem("scheme", scheme_problem)

    payroll_year = cells["payroll_year"].strip()
    year_problem = tax_year_problem(payroll_year)
    if year_problem:
        problem("payroll_year", year_problem)

    month_text = cells["payroll_month"].strip()
    payroll_month = 0
    if not (month_text.isascii() and month_text.isdigit()) or not 1 <= int(month_text) <= 12:
        problem(
            "payroll_month", f"{month_text!r} is not a payroll month: give a whole number 1 to 12"
        )
    else:
        payroll_month = int(month_text)

    amount_text = cells["levy_due_ytd"].strip()
    levy_due_ytd: Decimal | None = None
    if amount_text:
        try:
            levy_due_ytd = parse_amount(amount_text)
        except ValueError as error:
            problem("levy_due_ytd", str(error))

    submitted_text = cells["submitted_at"].strip()
    submitted_on = today
    if not submitted_text:
        problem("submitted_at", "Enter the date the declaration was submitted")
    else:
        try:
            submitted_on = parse_date(submitted_text)
        except ValueError as error:
            problem("submitted_at", str(error))
        else:
            if submitted_on > today:
                problem("submitted_at", f"{submitted_text} is in the future")

    if problems:
        return None, problems
    row = Row(
        line=line,
        id=submission_id,
        scheme=scheme,
        payroll_year=payroll_year,
        payroll_month=payroll_month,
        levy_due_ytd=levy_due_ytd,
        submitted_on=submitted_on,
    )
    return row, []


def read_declarations(data: bytes, *, today: dt.date) -> tuple[list[Row], list[Problem]]:
    """Every row of the file checked: the good rows, and every problem by line and column.

    A repeated `id` is a problem on its later line. Dates after `today` are refused.
    """
    if len(data) > MAX_BYTES:
        raise DeclarationFileError(
            f"The file must be smaller than {megabytes(MAX_BYTES)}; this one is "
            f"{megabytes(len(data))}. Split it into smaller files, by tax year for example."
        )
    text = _decode(data)
    if not text.strip():
        raise DeclarationFileError("The file is empty: it needs a row of column headings.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    try:
        headings = next(reader)
        positions, heading_problems = _headings(headings)
        if heading_problems:
            raise_with = "; ".join(problem.message for problem in heading_problems)
            raise DeclarationFileError(f"Line 1, the column headings: {raise_with}.")
        line = reader.line_num + 1
        for cells in reader:
            if len(rows) + len(problems) >= MAX_ROWS:
                raise DeclarationFileError(
                    f"The file has more than {MAX_ROWS:,} declarations. Split it into smaller "
                    "files."
                )
            if not any(cell.strip() for cell in cells):
                line = reader.line_num + 1
                continue
            if len(cells) != len(headings):
                problems.append(
                    Problem(
                        line,
                        "",
                        f"has {len(cells)} cells, but there are {len(headings)} column headings",
                    )
                )
            else:
                named = {name: cells[at] for name, at in positions.items()}
                row, found = _check_row(line, named, today)
                problems.extend(found)
                submission_id = named["id"].strip()
                if submission_id in seen:
                    problems.append(
                        Problem(
                            line,
                            "id",
                            f"{submission_id!r} is also the id on line {seen[submission_id]}",
                        )
                    )
                elif submission_id:
                    seen[submission_id] = line
                if row is not None and not found and seen.get(submission_id) == line:
                    rows.append(row)
            line = reader.line_num + 1
    except csv.Error as error:
        raise DeclarationFileError(
            f"Line {reader.line_num} cannot be read as CSV ({error}). Check its quotation marks."
        ) from None
    except StopIteration:
        raise DeclarationFileError(
            "The file is empty: it needs a row of column headings."
        ) from None
    if not rows and not problems:
        raise DeclarationFileError("The file has column headings but no declarations.")
    return rows, problems
