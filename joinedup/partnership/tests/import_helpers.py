"""Helpers for the staff import tests: staff files built from rows, and the world's own staff."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.partnership.staff_file import LABEL

DEFAULT_COLUMNS = (
    "employee_number",
    "given_name",
    "family_name",
    "work_email",
    "job_title",
    "start_date",
    "grade",
    "line_manager",
)


def staff_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = DEFAULT_COLUMNS) -> bytes:
    """A UTF-8 CSV staff file with the given columns (keys of staff_file.COLUMNS)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([LABEL[key] for key in columns])
    for row in rows:
        writer.writerow([row.get(key, "") for key in columns])
    return buffer.getvalue().encode("utf-8")


def upload(content: bytes, name: str = "staff.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def own_staff_rows(world) -> list[dict[str, str]]:
    """Rows for the own organisation's current staff exactly as the records hold them."""
    rows = []
    for persona in (
        "own_line_manager",
        "own_staff",
        "own_admin",
        "own_ld_lead",
        "own_levy_officer",
        "apprentice",
    ):
        employment = world.employments[persona]
        manager = employment.line_manager
        rows.append(
            {
                "employee_number": employment.employee_number,
                "given_name": employment.person.given_name,
                "family_name": employment.person.family_name,
                "work_email": employment.person.email,
                "job_title": employment.job_title,
                "start_date": employment.start_date.isoformat(),
                "grade": "",
                "line_manager": manager.employee_number if manager else "",
            }
        )
    return rows


def new_rows(count: int, *, manager: str = "") -> list[dict[str, str]]:
    """Rows for people new to Joined Up, numbered N0001 upwards."""
    return [
        {
            "employee_number": f"N{n:04d}",
            "given_name": f"Nia{n}",
            "family_name": "Newton",
            "work_email": f"nia.newton{n}@barnet.test",
            "job_title": "Care worker",
            "start_date": "2024-04-01",
            "grade": "Scale 6",
            "line_manager": manager,
        }
        for n in range(1, count + 1)
    ]
