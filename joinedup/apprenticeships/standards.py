"""Standards and their KSBs: editing a standard's details, adding, changing and deleting its KSBs,
and importing KSBs from a CSV file (code, type, description).

Standards are reference data for the whole installation: those `access.may_edit_standards`
allows (programme leaders and L&D leads) change them. Every write is one transaction with one
audit entry per change; refusals are `ValidationError`s naming the field, and `PermissionDenied`
for someone who may not edit. A KSB's code (K1, S3, B2) decides its kind and number.

The import reads the file as the staff import does (UTF-8 with or without a byte order mark,
UTF-16 with one, or Windows-1252; comma, semicolon or tab), checks every line and writes nothing
unless the whole file is good. Importing again updates the descriptions of codes already there;
KSBs the file leaves out are kept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import reduce
from operator import and_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.staff_file import StaffFileError, megabytes, squash
from joinedup.partnership.staff_file import _decode as decode_text

from . import access
from .models import Ksb, KsbKind, Standard

STANDARD = "apprenticeship_standard"
KSB = "apprenticeship_ksb"

LEVELS = range(2, 8)
VERSION_LIMIT = 10
MONTHS_LIMIT = 120
HOURS_LIMIT = 10_000
BAND_LIMIT = Decimal("1000000")
ASSESSMENT_LIMIT = 5_000
GRADES_LIMIT = 200
SOURCE_LIMIT = 200
DESCRIPTION_LIMIT = 2_000
CODE_NUMBER_LIMIT = 999
SEARCH_WORDS = 8

IMPORT_MAX_BYTES = 256 * 1024
IMPORT_MAX_ROWS = 2_000
COLUMNS = ("code", "type", "description")
OPTIONAL_COLUMNS = ("illustrative",)

CODE = re.compile(r"^([KSB])0*([0-9]{1,3})$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TYPES = {
    "k": KsbKind.KNOWLEDGE,
    "knowledge": KsbKind.KNOWLEDGE,
    "s": KsbKind.SKILL,
    "skill": KsbKind.SKILL,
    "skills": KsbKind.SKILL,
    "b": KsbKind.BEHAVIOUR,
    "behaviour": KsbKind.BEHAVIOUR,
    "behaviours": KsbKind.BEHAVIOUR,
    "behavior": KsbKind.BEHAVIOUR,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
KIND_WORD = {KsbKind.KNOWLEDGE: "knowledge", KsbKind.SKILL: "skill", KsbKind.BEHAVIOUR: "behaviour"}

CODE_HELP = "Enter a code like K1, S3 or B2: K, S or B, then a number from 1 to 999"


def _may_edit(actor: Actor) -> None:
    if not access.may_edit_standards(actor):
        raise PermissionDenied


# --- Reading ------------------------------------------------------------------------------------


def search_standards(found: QuerySet[Standard], text: str, level: str) -> QuerySet[Standard]:
    """Standards whose code is the text, or whose title has every word of it; of one level."""
    words = text.split()[:SEARCH_WORDS]
    if words:
        in_title = reduce(and_, (Q(title__icontains=word) for word in words))
        found = found.filter(Q(reference_code__iexact=text.strip()) | in_title)
    if level:
        found = found.filter(level=int(level))
    return found


def ksb_groups(standard: Standard) -> list[tuple[str, list[Ksb]]]:
    """The standard's KSBs by kind (knowledge, skills, behaviours), each in number order."""
    ksbs = list(standard.ksbs.order_by("number", "code"))
    names = {
        KsbKind.KNOWLEDGE: "Knowledge",
        KsbKind.SKILL: "Skills",
        KsbKind.BEHAVIOUR: "Behaviours",
    }
    return [(names[kind], [ksb for ksb in ksbs if ksb.kind == kind]) for kind in KsbKind]


# --- Standards ----------------------------------------------------------------------------------


def _whole(value: object, name: str, label: str, low: int, high: int, errors: dict) -> int | None:
    """A whole number from low to high, or None when blank."""
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[name] = f"{label} must be a whole number, like {low + 1}"
        return None
    if not low <= number <= high:
        errors[name] = f"{label} must be between {low} and {high:,}"
        return None
    return number


def _band(value: object, errors: dict) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        band = Decimal(str(value).strip().replace(",", "").lstrip("£"))
    except InvalidOperation:
        errors["funding_band"] = "Funding band must be an amount in pounds, like 14000"
        return None
    if not band.is_finite() or band <= 0:
        errors["funding_band"] = "Funding band must be more than £0"
    elif band > BAND_LIMIT:
        errors["funding_band"] = f"Funding band must be £{BAND_LIMIT:,} or less"
    elif band != band.quantize(Decimal("0.01")):
        errors["funding_band"] = "Funding band must be in pounds and pence, like 14000.00"
    else:
        return band.quantize(Decimal("0.01"))
    return None


def _text(value: object, name: str, label: str, limit: int, errors: dict) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if "\x00" in text or CONTROL.search(text.replace("\t", " ")):
        errors[name] = f"Remove the control characters from {label.lower()}"
    elif len(text) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer"
    return text


def update_standard(
    *,
    actor: Actor,
    standard: Standard,
    level: int | str | None,
    version: str,
    typical_duration_months: int | str | None,
    funding_band: Decimal | str | None,
    off_the_job_hours: int | str | None,
    assessment_methods: str = "",
    grades: str = "",
    source: str = "",
) -> Standard:
    """Change a standard's details (blank numbers mean not known); one audit entry when anything
    changed."""
    _may_edit(actor)
    errors: dict[str, str] = {}
    values = {
        "level": _whole(level, "level", "Level", 2, 7, errors),
        "version": _text(version, "version", "Version", VERSION_LIMIT, errors),
        "typical_duration_months": _whole(
            typical_duration_months,
            "typical_duration_months",
            "Typical duration",
            1,
            MONTHS_LIMIT,
            errors,
        ),
        "funding_band": _band(funding_band, errors),
        "off_the_job_hours": _whole(
            off_the_job_hours, "off_the_job_hours", "Off-the-job hours", 1, HOURS_LIMIT, errors
        ),
        "assessment_methods": _text(
            assessment_methods,
            "assessment_methods",
            "Assessment methods",
            ASSESSMENT_LIMIT,
            errors,
        ),
        "grades": _text(grades, "grades", "Grades", GRADES_LIMIT, errors),
        "source": _text(source, "source", "Source", SOURCE_LIMIT, errors),
    }
    if not values["version"] and "version" not in errors:
        errors["version"] = "Enter the version, like 1.0"
    if errors:
        raise ValidationError(errors)
    changes = {
        name: [_plain(getattr(standard, name)), _plain(value)]
        for name, value in values.items()
        if getattr(standard, name) != value
    }
    if not changes:
        return standard
    with transaction.atomic():
        for name, value in values.items():
            setattr(standard, name, value)
        standard.updated_at = timezone.now()
        standard.save(update_fields=[*values, "updated_at"])
        audit.record(
            actor=actor,
            action="standard.changed",
            kind=STANDARD,
            object_id=standard.pk,
            label=str(standard),
            changes=changes,
        )
    return standard


def _plain(value: object) -> object:
    """A value as the audit log keeps it (JSON)."""
    return str(value) if isinstance(value, Decimal) else value


# --- KSBs ---------------------------------------------------------------------------------------


def parse_code(code: object) -> tuple[str, KsbKind, int]:
    """The code written as it is kept (K1), its kind and its number; ValueError with a plain
    message when it is not a KSB code."""
    text = str(code or "").strip().upper().replace(" ", "")
    if not text:
        raise ValueError("Enter the code, like K1, S3 or B2")
    match = CODE.match(text)
    if match is None or not 1 <= int(match.group(2)) <= CODE_NUMBER_LIMIT:
        raise ValueError(f"“{str(code).strip()[:20]}” is not a KSB code. {CODE_HELP}")
    number = int(match.group(2))
    return f"{match.group(1)}{number}", KsbKind(match.group(1)), number


def _description(value: object, errors: dict) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text or CONTROL.search(text):
        errors["description"] = "Remove the control characters from the description"
    elif not text:
        errors["description"] = "Enter a description"
    elif len(text) > DESCRIPTION_LIMIT:
        errors["description"] = f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer"
    return text


def _checked_ksb(
    standard: Standard, code: object, description: object, *, keep: Ksb | None = None
) -> tuple[str, KsbKind, int, str]:
    errors: dict[str, str] = {}
    text = _description(description, errors)
    written, kind, number = "", KsbKind.KNOWLEDGE, 0
    try:
        written, kind, number = parse_code(code)
    except ValueError as error:
        errors["code"] = str(error)
    else:
        taken = standard.ksbs.filter(code=written)
        if keep is not None:
            taken = taken.exclude(pk=keep.pk)
        if taken.exists():
            errors["code"] = _taken(standard, written).message_dict["code"][0]
    if errors:
        raise ValidationError(errors)
    return written, kind, number, text


def _taken(standard: Standard, code: str) -> ValidationError:
    return ValidationError(
        {"code": f"{standard.reference_code} already has a {code}: choose another code"}
    )


def add_ksb(
    *,
    actor: Actor,
    standard: Standard,
    code: str,
    description: str,
    illustrative: bool = False,
) -> Ksb:
    """A new KSB of the standard; its code must be new to the standard."""
    _may_edit(actor)
    written, kind, number, text = _checked_ksb(standard, code, description)
    try:
        with transaction.atomic():
            ksb = Ksb.objects.create(
                standard=standard,
                code=written,
                kind=kind,
                number=number,
                description=text,
                illustrative=bool(illustrative),
            )
            audit.record(
                actor=actor,
                action="ksb.added",
                kind=KSB,
                object_id=ksb.pk,
                label=f"{standard.reference_code} {written}",
                changes={
                    "standard": standard.pk,
                    "code": written,
                    "illustrative": ksb.illustrative,
                },
            )
    except IntegrityError:
        # Someone else added the same code a moment ago.
        raise _taken(standard, written) from None
    return ksb


def change_ksb(
    *, actor: Actor, ksb: Ksb, code: str, description: str, illustrative: bool = False
) -> Ksb:
    """Change a KSB's code (and so its kind), description or illustrative flag."""
    _may_edit(actor)
    standard = ksb.standard
    written, kind, number, text = _checked_ksb(standard, code, description, keep=ksb)
    values = {
        "code": written,
        "kind": kind,
        "number": number,
        "description": text,
        "illustrative": bool(illustrative),
    }
    changes = {
        name: [getattr(ksb, name), value]
        for name, value in values.items()
        if name != "description" and getattr(ksb, name) != value
    }
    if ksb.description != text:
        changes["description"] = "changed"
    if not changes:
        return ksb
    try:
        with transaction.atomic():
            for name, value in values.items():
                setattr(ksb, name, value)
            ksb.updated_at = timezone.now()
            ksb.save(update_fields=[*values, "updated_at"])
            audit.record(
                actor=actor,
                action="ksb.changed",
                kind=KSB,
                object_id=ksb.pk,
                label=f"{standard.reference_code} {written}",
                changes={"standard": standard.pk, **changes},
            )
    except IntegrityError:
        raise _taken(standard, written) from None
    return ksb


def delete_ksb(*, actor: Actor, ksb: Ksb) -> None:
    """Remove a KSB from its standard."""
    _may_edit(actor)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="ksb.deleted",
            kind=KSB,
            object_id=ksb.pk,
            label=f"{ksb.standard.reference_code} {ksb.code}",
            changes={"standard": ksb.standard_id, "code": ksb.code},
        )
        ksb.delete()


# --- Importing KSBs -----------------------------------------------------------------------------


class KsbFileError(Exception):
    """The file as a whole cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Problem:
    """What is wrong with one line (line 1 is the column headings, as a spreadsheet shows it)."""

    line: int
    message: str


@dataclass(frozen=True)
class KsbRow:
    line: int
    code: str
    kind: KsbKind
    number: int
    description: str
    illustrative: bool | None  # None: the file has no illustrative column


@dataclass
class KsbFile:
    rows: list[KsbRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


class ImportRefused(Exception):
    """The file has problems: nothing was written. `problems` lists every one by line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the heading line into the most known columns."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    known = {*COLUMNS, *OPTIONAL_COLUMNS}
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        count = sum(squash(part) in known for part in first.split(candidate))
        if count > best_count:
            best, best_count = candidate, count
    return best


def _headings(cells: list[str]) -> dict[str, int]:
    if not any(squash(cell) in COLUMNS for cell in cells):
        raise KsbFileError(
            "Line 1 must be the column headings code, type and description: add them as the "
            "first line of the file"
        )
    positions: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = squash(cell)
        if name in (*COLUMNS, *OPTIONAL_COLUMNS):
            if name in positions:
                raise KsbFileError(f"The column “{name}” appears twice in line 1: keep one")
            positions[name] = position
        elif name:
            raise KsbFileError(
                f"Line 1 has a column “{cell.strip()[:40]}” this import does not know: the "
                "columns are code, type and description (and, if you like, illustrative)"
            )
    missing = [name for name in COLUMNS if name not in positions]
    if missing:
        raise KsbFileError(
            "Line 1 must name the columns code, type and description; it lacks "
            + ", ".join(missing)
            + ". Add a heading line as the first line of the file"
        )
    return positions


def _row(line: int, cells: list[str], positions: dict[str, int], file: KsbFile) -> KsbRow | None:
    def cell(name: str) -> str:
        position = positions.get(name)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    found: list[str] = []
    code, kind, number = "", None, 0
    try:
        code, kind, number = parse_code(cell("code"))
    except ValueError as error:
        found.append(f"code: {error}")
    written_type = cell("type")
    stated = TYPES.get(squash(written_type))
    if not written_type:
        found.append("type: Enter the type: K, S or B (or knowledge, skill or behaviour)")
    elif stated is None:
        found.append(
            f"type: “{written_type[:30]}” is not a type. Write K, S or B (or knowledge, skill or "
            "behaviour)"
        )
    elif kind is not None and stated != kind:
        found.append(
            f"type: {code} is a {KIND_WORD[kind]} code but the type says {KIND_WORD[stated]}: "
            "make the code's letter and the type agree"
        )
    errors: dict[str, str] = {}
    description = _description(cell("description"), errors)
    if errors:
        found.append(f"description: {errors['description']}")
    illustrative: bool | None = None
    if "illustrative" in positions:
        flag = cell("illustrative").lower()
        if flag in YES:
            illustrative = True
        elif flag in NO:
            illustrative = False
        else:
            found.append(
                f"illustrative: “{flag[:20]}” is not yes or no. Write yes, no or leave it empty"
            )
    if found:
        file.problems.extend(Problem(line, message) for message in found)
        return None
    return KsbRow(line, code, kind, number, description, illustrative)


def read_ksb_file(data: bytes) -> KsbFile:
    """Every row of a KSB file and every problem by line; KsbFileError when the file as a whole
    cannot be used (too big, not text, no heading line, too many rows)."""
    if len(data) > IMPORT_MAX_BYTES:
        raise KsbFileError(f"The selected file must be smaller than {megabytes(IMPORT_MAX_BYTES)}")
    if not data.strip():
        raise KsbFileError("The selected file is empty")
    try:
        text = decode_text(data)
    except StaffFileError as error:
        raise KsbFileError(str(error)) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    file = KsbFile()
    positions: dict[str, int] | None = None
    seen: dict[str, int] = {}
    line = data_lines = 0
    try:
        for line, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if positions is None:
                if line != 1:
                    raise KsbFileError("Line 1 is empty: put the column headings on line 1")
                positions = _headings(cells)
                continue
            data_lines += 1
            if data_lines > IMPORT_MAX_ROWS:
                raise KsbFileError(
                    f"The file must have no more than {IMPORT_MAX_ROWS:,} KSBs: split it into "
                    "smaller files"
                )
            row = _row(line, cells, positions, file)
            if row is None:
                continue
            if row.code in seen:
                file.problems.append(
                    Problem(
                        line,
                        f"code: {row.code} is also on line {seen[row.code]}: keep one of the two",
                    )
                )
                continue
            seen[row.code] = line
            file.rows.append(row)
    except csv.Error as error:
        raise KsbFileError(
            f"Line {line + 1} cannot be read as CSV ({error}): check its quotation marks"
        ) from None
    if positions is None:
        raise KsbFileError("The selected file is empty")
    if not file.rows and not file.problems:
        raise KsbFileError("The file has the column headings but no KSBs below them")
    return file


def import_ksbs(*, actor: Actor, standard: Standard, data: bytes) -> ImportResult:
    """Add the file's new codes and update the descriptions of codes the standard has, all in one
    transaction; ImportRefused (nothing written) when any line has a problem, KsbFileError when
    the file cannot be read. One audit entry per KSB added or changed."""
    _may_edit(actor)
    file = read_ksb_file(data)
    if file.problems:
        raise ImportRefused(sorted(file.problems, key=lambda problem: problem.line))
    try:
        with transaction.atomic():
            made, changed, unchanged = _write(standard, file.rows)
            events = [_event("ksb.imported", standard, ksb, {"code": ksb.code}) for ksb in made]
            events += [
                _event("ksb.changed", standard, ksb, {"description": "imported"}) for ksb in changed
            ]
            audit.record_many(actor=actor, organisation=None, events=events)
    except IntegrityError:
        raise KsbFileError(
            "Someone added KSBs to this standard while the file was being imported, so nothing "
            "was saved: upload the file again"
        ) from None
    return ImportResult(added=len(made), updated=len(changed), unchanged=unchanged)


def _write(standard: Standard, rows: list[KsbRow]) -> tuple[list[Ksb], list[Ksb], int]:
    """Create the new codes and update the changed ones (inside the import's transaction)."""
    now = timezone.now()
    existing = {ksb.code: ksb for ksb in standard.ksbs.select_for_update()}
    new: list[Ksb] = []
    changed: list[Ksb] = []
    unchanged = 0
    for row in rows:
        ksb = existing.get(row.code)
        if ksb is None:
            new.append(
                Ksb(
                    standard=standard,
                    code=row.code,
                    kind=row.kind,
                    number=row.number,
                    description=row.description,
                    illustrative=bool(row.illustrative),
                    updated_at=now,
                )
            )
            continue
        flag = ksb.illustrative if row.illustrative is None else row.illustrative
        if ksb.description == row.description and ksb.illustrative == flag:
            unchanged += 1
            continue
        ksb.description, ksb.illustrative, ksb.updated_at = row.description, flag, now
        changed.append(ksb)
    made = Ksb.objects.bulk_create(new)
    Ksb.objects.bulk_update(changed, ["description", "illustrative", "updated_at"])
    if not all(ksb.pk for ksb in made):  # a backend that does not return new ids
        ids = dict(standard.ksbs.values_list("code", "pk"))
        for ksb in made:
            ksb.pk = ids[ksb.code]
    return made, changed, unchanged


def _event(action: str, standard: Standard, ksb: Ksb, changes: dict) -> audit.Event:
    label = f"{standard.reference_code} {ksb.code}"
    return (action, KSB, ksb.pk, {"standard": standard.pk, **changes}, label)
