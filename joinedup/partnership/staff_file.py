"""Reading and checking a staff import file: plain Python, no Django.

`read_staff_file` turns the uploaded bytes (CSV or XLSX) into raw rows, or raises `StaffFileError`
with a message for the person who uploaded it; it never raises anything else. `check_rows` checks
every row against the organisation's facts, passed in as plain data, and returns the cleaned rows
and every problem by line and column. Line 1 is the row of column headings, as a spreadsheet
shows it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import openpyxl
import openpyxl.xml
from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 250_000
# Only this many columns of a workbook are read: a staff file needs a dozen.
MAX_COLUMNS = 50
# Bounds on an XLSX (a zip of XML files) checked before anything is decompressed. Python's
# zipfile never inflates a member beyond the size the archive declares, so these bound the work.
MAX_ZIP_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

ZIP_MAGIC = b"PK\x03\x04"
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
)
# Characters no staff file needs: C0 and C1 controls apart from tab and line ends.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)

# The vocabularies of partnership.models, repeated here so this module needs no Django; a test
# checks they match.
DESTINATIONS = {
    "partner": "A partner organisation",
    "other_public": "Other public sector",
    "voluntary": "Voluntary sector",
    "private": "Private sector",
    "education": "Education or training",
    "retired": "Retired",
    "not_working": "Not working",
    "unknown": "Unknown",
}
KINDS = {
    "permanent": "Permanent",
    "fixed_term": "Fixed term",
    "secondment": "Secondment",
    "apprenticeship": "Apprenticeship",
    "joint_post": "Joint post",
}
PARTNER_DESTINATION = "partner"


class StaffFileError(Exception):
    """The file as a whole cannot be used; the message says why, in plain English."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    max_length: int = 200
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("employee_number", "Employee number", True, 40, ("staff number", "payroll number")),
    Column("given_name", "Given name", True, 100, ("first name", "forename")),
    Column("family_name", "Family name", True, 100, ("surname", "last name")),
    Column("work_email", "Work email", True, 254, ("email", "email address", "work email address")),
    Column("job_title", "Job title", True, 200),
    Column("start_date", "Start date", True),
    Column("grade", "Grade", False, 60),
    Column("line_manager", "Line manager employee number", False, 40, ("line manager",)),
    Column("end_date", "End date", False, 200, ("leaving date",)),
    Column("destination", "Destination", False, 200, ("leaver destination",)),
    Column("destination_organisation", "Destination organisation", False, 200),
    Column("kind", "Kind", False, 200, ("employment kind",)),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
LABEL = {column.key: column.label for column in COLUMNS}

Cell = str | dt.date


def squash(text: str) -> str:
    """Lower case with everything but letters and digits removed, for forgiving comparisons."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


HEADINGS = {
    squash(name): column.key
    for column in COLUMNS
    for name in (column.key, column.label, *column.aliases)
}
DESTINATION_NAMES = {
    squash(name): code for code, label in DESTINATIONS.items() for name in (code, label)
}
KIND_NAMES = {squash(name): code for code, label in KINDS.items() for name in (code, label)}


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class StaffFile:
    columns: frozenset[str]
    rows: tuple[RawRow, ...]
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class StaffRow:
    """One checked row. Optional columns the file leaves out are blank here; see `columns`."""

    line: int
    employee_number: str
    given_name: str
    family_name: str
    work_email: str
    job_title: str
    start_date: dt.date
    grade: str = ""
    line_manager: str = ""
    end_date: dt.date | None = None
    destination: str = ""
    destination_organisation: int | None = None
    kind: str = ""

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values, for keeping the rows between preview and apply."""
        return {
            "line": self.line,
            "employee_number": self.employee_number,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "work_email": self.work_email,
            "job_title": self.job_title,
            "start_date": self.start_date.isoformat(),
            "grade": self.grade,
            "line_manager": self.line_manager,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "destination": self.destination,
            "destination_organisation": self.destination_organisation,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StaffRow:
        end_date = data.get("end_date")
        return cls(
            **{
                **data,
                "start_date": dt.date.fromisoformat(data["start_date"]),
                "end_date": dt.date.fromisoformat(end_date) if end_date else None,
            }
        )


@dataclass(frozen=True)
class CheckedFile:
    columns: frozenset[str]
    rows: tuple[StaffRow, ...]
    problems: tuple[Problem, ...]


# --- Reading ------------------------------------------------------------------------------------


def read_staff_file(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> StaffFile:
    """The rows of a CSV or XLSX staff file, or StaffFileError saying what is wrong with it."""
    if len(data) > max_bytes:
        raise StaffFileError(f"The selected file must be smaller than {megabytes(max_bytes)}")
    if not data.strip():
        raise StaffFileError("The selected file is empty")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _from_cells(_xlsx_rows(data, max_uncompressed_bytes))
    if extension == "csv":
        if data.startswith(ZIP_MAGIC):
            raise StaffFileError(
                "The selected file is a spreadsheet workbook, not CSV text: "
                "save it as CSV, or upload it with a name ending .xlsx"
            )
        return _from_cells(_csv_rows(_decode(data)))
    raise StaffFileError("The selected file must be a CSV or XLSX file")


def megabytes(size: int) -> str:
    """A size in bytes as people read it in a message, like "20 MB"."""
    return f"{size / (1024 * 1024):.3g} MB"


def _decode(data: bytes) -> str:
    """Text from UTF-8 (with or without a byte order mark), UTF-16 with one, or Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise StaffFileError(_ENCODING_MESSAGE) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_western(data)
    if CONTROL_CHARACTERS.search(text):
        raise StaffFileError(
            "The selected file is not a text CSV file: it contains characters that are not text"
        )
    return text


_ENCODING_MESSAGE = (
    "The file's character encoding could not be recognised: save it as “CSV UTF-8” and "
    "upload it again"
)


def _decode_western(data: bytes) -> str:
    """Excel on Windows saves CSV as Windows-1252; what does not read as that is refused."""
    match = from_bytes(data, cp_isolation=["cp1252", "latin_1"]).best()
    if match is None:
        raise StaffFileError(_ENCODING_MESSAGE)
    try:
        return data.decode(match.encoding)
    except (UnicodeDecodeError, LookupError):
        raise StaffFileError(_ENCODING_MESSAGE) from None


def _csv_rows(text: str) -> Iterator[tuple[int, list[Cell]]]:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    try:
        for line, cells in enumerate(reader, start=1):
            yield line, list(cells)
    except csv.Error as error:
        raise StaffFileError(
            f"Line {line + 1} of the file cannot be read as CSV: {error}"
        ) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the heading row into the most known columns."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    best, best_known = ",", 0
    for candidate in (",", ";", "\t"):
        known = sum(squash(part) in HEADINGS for part in first.split(candidate))
        if known > best_known:
            best, best_known = candidate, known
    return best


def _xlsx_rows(data: bytes, max_uncompressed_bytes: int) -> Iterator[tuple[int, list[Cell]]]:
    if not data.startswith(ZIP_MAGIC):
        raise StaffFileError("The selected file is not an XLSX workbook")
    if not openpyxl.xml.DEFUSEDXML:
        raise StaffFileError("XLSX files cannot be read safely here: upload a CSV file instead")
    _check_archive(data, max_uncompressed_bytes)
    unreadable = StaffFileError(
        "The workbook could not be read: save it again as XLSX or CSV and upload it again"
    )
    # A crafted workbook can make the zip and XML readers raise almost anything; whatever they
    # raise, the answer to the person uploading is the same.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        if not workbook.worksheets:
            raise StaffFileError("The workbook has no worksheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for line, values in enumerate(rows, start=1):
            if line > MAX_ROWS + 1:
                raise StaffFileError(f"The file must have no more than {MAX_ROWS:,} rows")
            yield line, [_cell(value) for value in values]
    except StaffFileError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


def _check_archive(data: bytes, max_uncompressed_bytes: int) -> None:
    """Refuse zip bombs and non-workbooks before any member is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception:
        raise StaffFileError("The selected file is not an XLSX workbook") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise StaffFileError("The workbook has too many parts to be a staff file")
    if sum(member.file_size for member in members) > max_uncompressed_bytes:
        raise StaffFileError(
            f"The workbook is larger than {megabytes(max_uncompressed_bytes)} when unpacked"
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise StaffFileError("The workbook is password-protected: remove the password first")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise StaffFileError("The workbook is compressed too much to be a staff file")
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise StaffFileError("The selected file is not an XLSX workbook")


def _cell(value: object) -> Cell:
    """A workbook value as text, or a date when the cell holds one."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        # Spreadsheets store employee numbers such as 1234 as the float 1234.0.
        return str(int(value))
    return str(value)


def _from_cells(lines: Iterable[tuple[int, list[Cell]]]) -> StaffFile:
    """Find the heading row (the first non-blank one), then collect the non-blank rows below it."""
    iterator = iter(lines)
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for _, cells in iterator:
        if _is_blank(cells):
            continue
        positions, ignored = _headings(cells)
        break
    else:
        raise StaffFileError("The selected file is empty")
    rows: list[RawRow] = []
    for line, cells in iterator:
        if _is_blank(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise StaffFileError(f"The file must have no more than {MAX_ROWS:,} rows")
        rows.append(
            RawRow(
                line=line,
                cells={
                    key: cells[position] if position < len(cells) else ""
                    for key, position in positions.items()
                },
            )
        )
    if not rows:
        raise StaffFileError("The file has column headings but no rows of staff below them")
    return StaffFile(columns=frozenset(positions), rows=tuple(rows), ignored_columns=tuple(ignored))


def _is_blank(cells: list[Cell]) -> bool:
    return all(isinstance(cell, str) and not cell.strip() for cell in cells)


def _headings(cells: list[Cell]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    ignored = []
    for position, cell in enumerate(cells):
        heading = _text(cell)
        key = HEADINGS.get(squash(heading))
        if key is None:
            if heading:
                ignored.append(heading[:60])
            continue
        if key in positions:
            raise StaffFileError(f"The column “{LABEL[key]}” appears more than once")
        positions[key] = position
    missing = [
        column.label for column in COLUMNS if column.required and column.key not in positions
    ]
    if missing:
        raise StaffFileError(
            "The first row must name the columns. These are missing: " + ", ".join(missing)
        )
    return positions, ignored


# --- Checking -----------------------------------------------------------------------------------


def check_rows(
    staff_file: StaffFile,
    *,
    grades: Mapping[str, str],
    existing_employee_numbers: Collection[str],
    partner_organisations: Mapping[str, int],
) -> CheckedFile:
    """Check every row; return the good rows and every problem, ordered by line and column.

    `grades` maps `squash(name)` to each grade's name in the organisation's grade table;
    `existing_employee_numbers` are the organisation's current staff; `partner_organisations`
    maps `squash(name or official code)` of each partner organisation to its id.
    """
    columns = staff_file.columns
    numbers_in_file = {_text(row.cells.get("employee_number", "")) for row in staff_file.rows}
    first_line_of_number: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    rows: list[StaffRow] = []
    problems: list[Problem] = []
    for raw in staff_file.rows:
        checker = _RowChecker(raw)
        number = checker.text("employee_number", required=True)
        if number and number in first_line_of_number:
            checker.problem(
                "employee_number",
                f"Employee number {number} is also on line {first_line_of_number[number]}",
            )
        first_line_of_number.setdefault(number, raw.line)
        given_name = checker.text("given_name", required=True)
        family_name = checker.text("family_name", required=True)
        email = checker.email()
        if email and email in first_line_of_email:
            checker.problem(
                "work_email", f"This email address is also on line {first_line_of_email[email]}"
            )
        first_line_of_email.setdefault(email, raw.line)
        job_title = checker.text("job_title", required=True)
        start_date = checker.date("start_date", required=True)
        grade = checker.choice(
            "grade", grades, "is not in your organisation's grade table: add it there first"
        )
        manager = checker.text("line_manager")
        if manager and manager == number:
            checker.problem("line_manager", "Someone cannot be their own line manager")
        elif (
            manager and manager not in numbers_in_file and manager not in existing_employee_numbers
        ):
            checker.problem(
                "line_manager",
                f"No one with employee number {manager} is in the file or works here now",
            )
        end_date = checker.date("end_date")
        if start_date and end_date and end_date < start_date:
            checker.problem("end_date", "The end date must be on or after the start date")
        destination = checker.choice(
            "destination",
            DESTINATION_NAMES,
            "is not a destination: use one of " + ", ".join(DESTINATIONS.values()),
        )
        destination_organisation = checker.choice(
            "destination_organisation",
            partner_organisations,
            "is not a partner organisation: give its name or official code",
        )
        if destination_organisation and not destination:
            destination = PARTNER_DESTINATION
        if destination_organisation and destination != PARTNER_DESTINATION:
            checker.problem(
                "destination_organisation",
                "Leave this blank unless the destination is a partner organisation",
            )
        if destination == PARTNER_DESTINATION and not destination_organisation:
            checker.problem(
                "destination_organisation", "Give the partner organisation they moved to"
            )
        if destination and not end_date and not checker.has_problem("end_date"):
            checker.problem("end_date", "Enter the date they left, or leave the destination blank")
        if end_date and not destination and not checker.has_problem("destination"):
            checker.problem(
                "destination",
                "Enter where this leaver went, or “Unknown”: use one of "
                + ", ".join(DESTINATIONS.values()),
            )
        kind = checker.choice(
            "kind",
            KIND_NAMES,
            "is not a kind of employment: use one of " + ", ".join(KINDS.values()),
        )
        if checker.problems or start_date is None:
            problems.extend(checker.problems)
            continue
        rows.append(
            StaffRow(
                line=raw.line,
                employee_number=number,
                given_name=given_name,
                family_name=family_name,
                work_email=email,
                job_title=job_title,
                start_date=start_date,
                grade=str(grade or ""),
                line_manager=manager,
                end_date=end_date,
                destination=str(destination or ""),
                destination_organisation=(
                    int(destination_organisation) if destination_organisation else None
                ),
                kind=str(kind or ""),
            )
        )
    order = {column.label: position for position, column in enumerate(COLUMNS)}
    problems.sort(key=lambda problem: (problem.line, order.get(problem.column, 0)))
    return CheckedFile(columns=columns, rows=tuple(rows), problems=tuple(problems))


def _text(cell: Cell) -> str:
    return cell.isoformat() if isinstance(cell, dt.date) else cell.strip()


class _RowChecker:
    """Reads one raw row's cells, noting each problem against its line and column."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(line=self.raw.line, column=LABEL[key], message=message))

    def has_problem(self, key: str) -> bool:
        return any(problem.column == LABEL[key] for problem in self.problems)

    def text(self, key: str, *, required: bool = False) -> str:
        value = _text(self.raw.cells.get(key, ""))
        column = COLUMN_BY_KEY[key]
        if required and not value:
            self.problem(key, f"Enter the {column.label.lower()}")
        elif len(value) > column.max_length:
            self.problem(key, f"Must be {column.max_length} characters or fewer")
        elif CONTROL_CHARACTERS.search(value) or "\n" in value or "\r" in value:
            self.problem(key, "Remove the line breaks and other control characters")
        else:
            return value
        return ""

    def email(self) -> str:
        value = self.text("work_email", required=True).lower()
        if value and not EMAIL.match(value):
            self.problem("work_email", "Enter an email address like name@example.org")
            return ""
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        cell = self.raw.cells.get(key, "")
        if isinstance(cell, dt.date):
            value: dt.date | None = cell
        else:
            text = self.text(key, required=required)
            if not text:
                return None
            value = _parse_date(text)
        if value is None or not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            label = COLUMN_BY_KEY[key].label.lower()
            self.problem(key, f"Enter the {label} as a real date, like 2024-04-01 or 01/04/2024")
            return None
        return value

    def choice(self, key: str, names: Mapping[str, Any], complaint: str) -> Any:
        """The value the cell names in `names` (by squashed name); None when blank or unknown."""
        text = self.text(key)
        if not text:
            return None
        value = names.get(squash(text))
        if value is None:
            self.problem(key, f"“{text[:60]}” {complaint}")
        return value


def _parse_date(text: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
