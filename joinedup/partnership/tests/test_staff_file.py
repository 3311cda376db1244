"""Reading and checking staff files: plain Python, no database."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.partnership.staff_file import (
    COLUMNS,
    Problem,
    StaffFileError,
    StaffRow,
    check_rows,
    read_staff_file,
    squash,
)

HEADINGS = "Employee number,Given name,Family name,Work email,Job title,Start date"
GOOD_ROW = "E1,Siân,O’Brien,sian.obrien@barnet.test,Social worker,01/04/2024"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_xlsx(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some of its parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in replace:
                target.writestr(item, source.read(item.filename))
        for name, content in replace.items():
            target.writestr(name, content)
    return buffer.getvalue()


def check(data: bytes, filename: str = "staff.csv", **facts):
    return check_rows(
        read_staff_file(data, filename),
        grades=facts.get("grades", {squash("PO3"): "PO3"}),
        existing_employee_numbers=facts.get("existing", {"M1"}),
        partner_organisations=facts.get("partners", {squash("R1K"): 7}),
    )


# --- Reading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252"]
)
def test_csv_is_read_in_each_encoding_spreadsheets_save(encoding):
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
        data = bom + csv_bytes(HEADINGS, GOOD_ROW, encoding=codec)
    else:
        data = csv_bytes(HEADINGS, GOOD_ROW, encoding=encoding)
    staff_file = read_staff_file(data, "staff.csv")
    assert staff_file.rows[0].cells["given_name"] == "Siân"
    assert staff_file.rows[0].cells["family_name"] == "O’Brien"


def test_headings_may_come_in_any_order_under_their_usual_other_names():
    data = csv_bytes(
        "Surname,First name,Email,Job title,Start date,Payroll number,Notes",
        "Okafor,Ade,ade@barnet.test,Carer,2024-04-01,E9,likes tea",
    )
    staff_file = read_staff_file(data, "STAFF.CSV")
    assert staff_file.rows[0].cells["employee_number"] == "E9"
    assert staff_file.ignored_columns == ("Notes",)


def test_semicolon_separated_files_are_read():
    data = csv_bytes(HEADINGS.replace(",", ";"), GOOD_ROW.replace(",", ";"))
    assert read_staff_file(data, "staff.csv").rows[0].cells["job_title"] == "Social worker"


def test_line_numbers_are_as_a_spreadsheet_shows_them_skipping_blank_rows():
    data = csv_bytes(HEADINGS, GOOD_ROW, ",,,,,", GOOD_ROW.replace("E1", "E2"))
    assert [row.line for row in read_staff_file(data, "staff.csv").rows] == [2, 4]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "staff.csv", "The selected file is empty"),
        (b"  \r\n\r\n", "staff.csv", "The selected file is empty"),
        (csv_bytes(HEADINGS), "staff.csv", "column headings but no rows"),
        (
            csv_bytes("Name,Email", "Ann,ann@x.test"),
            "staff.csv",
            "These are missing: Employee number, Given name, Family name",
        ),
        (
            csv_bytes(HEADINGS + ",Surname", GOOD_ROW + ",X"),
            "staff.csv",
            "The column “Family name” appears more than once",
        ),
        (csv_bytes(HEADINGS, GOOD_ROW), "staff.txt", "must be a CSV or XLSX file"),
        (csv_bytes(HEADINGS, GOOD_ROW), "staff", "must be a CSV or XLSX file"),
        (b"\x00\x01\x02\x03binary", "staff.csv", "characters that are not text"),
        (b"\x00\x01\x02\x03binary\xff\xfe\x00", "staff.csv", "character encoding could not be"),
        (codecs.BOM_UTF16_LE + b"a\x00b", "staff.csv", "character encoding could not be"),
        (b"PK\x03\x04 not really", "staff.csv", "is a spreadsheet workbook, not CSV text"),
        (b"not a zip at all", "staff.xlsx", "is not an XLSX workbook"),
        (b"PK\x03\x04 broken zip", "staff.xlsx", "is not an XLSX workbook"),
    ],
)
def test_bad_files_are_refused_with_a_message(data, filename, message):
    with pytest.raises(StaffFileError, match=message):
        read_staff_file(data, filename)


def test_files_over_the_size_limit_are_refused_before_reading():
    with pytest.raises(StaffFileError, match="smaller than 0.001 MB"):
        read_staff_file(csv_bytes(HEADINGS, GOOD_ROW) * 20, "staff.csv", max_bytes=1049)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(StaffFileError, match="is not an XLSX workbook"):
        read_staff_file(buffer.getvalue(), "staff.xlsx")


def test_xlsx_is_read_with_dates_and_whole_numbers_as_typed():
    data = xlsx_bytes(
        [
            [
                "Employee number",
                "Given name",
                "Family name",
                "Work email",
                "Job title",
                "Start date",
            ],
            [1234, "Ade", "Okafor", "ade@barnet.test", "Carer", dt.datetime(2024, 4, 1)],
        ]
    )
    row = read_staff_file(data, "staff.xlsx").rows[0]
    assert row.cells["employee_number"] == "1234"
    assert row.cells["start_date"] == dt.date(2024, 4, 1)


def test_xlsx_that_unpacks_to_far_more_than_its_size_is_refused_as_a_zip_bomb():
    bomb = rewrite_xlsx(xlsx_bytes([["Employee number"]]), {"xl/media/bomb.bin": bytes(5 << 20)})
    assert len(bomb) < 100_000
    with pytest.raises(StaffFileError, match="compressed too much"):
        read_staff_file(bomb, "staff.xlsx")


def test_xlsx_larger_than_the_unpacked_limit_is_refused_before_decompressing():
    data = xlsx_bytes([["Employee number"], *[[f"E{n}"] for n in range(2000)]])
    with pytest.raises(StaffFileError, match="larger than 0.01 MB when unpacked"):
        read_staff_file(data, "staff.xlsx", max_uncompressed_bytes=10_486)


XXE_SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData>
</worksheet>"""

LAUGHS_SHEET = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""


@pytest.mark.parametrize("sheet", [XXE_SHEET, LAUGHS_SHEET], ids=["external-entity", "laughs"])
def test_xlsx_with_xml_entities_is_refused_without_resolving_them(sheet):
    data = rewrite_xlsx(xlsx_bytes([["Employee number"]]), {"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(StaffFileError, match="The workbook could not be read") as refused:
        read_staff_file(data, "staff.xlsx")
    assert "root" not in str(refused.value)


def test_xlsx_with_an_entity_in_its_shared_strings_is_refused():
    workbook = xlsx_bytes([["Employee number"], ["E1"]])
    strings = XXE_SHEET.replace(b"worksheet", b"sst")
    data = rewrite_xlsx(workbook, {"xl/sharedStrings.xml": strings})
    with pytest.raises(StaffFileError):
        read_staff_file(data, "staff.xlsx")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
        st.text(max_size=500).map(lambda text: (HEADINGS + "\n" + text).encode("utf-8")),
    ),
    filename=st.sampled_from(["staff.csv", "staff.xlsx", "staff.CSV", "staff"]),
)
def test_any_bytes_either_read_or_raise_only_staff_file_error(data, filename):
    try:
        staff_file = read_staff_file(data, filename)
    except StaffFileError as error:
        assert str(error)
    else:
        assert staff_file.rows


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(st.lists(st.text(max_size=30), min_size=12, max_size=12), min_size=1, max_size=8)
)
def test_checking_any_cells_gives_rows_or_problems_and_never_raises(cells):
    headings = ",".join(column.label for column in COLUMNS)
    lines = [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in cells]
    try:
        staff_file = read_staff_file(("\n".join([headings, *lines])).encode("utf-8"), "s.csv")
    except StaffFileError:
        return
    checked = check_rows(
        staff_file, grades={}, existing_employee_numbers=set(), partner_organisations={}
    )
    lines_with_problems = {problem.line for problem in checked.problems}
    assert {row.line for row in checked.rows}.isdisjoint(lines_with_problems)
    assert len(checked.rows) + len(lines_with_problems) == len(staff_file.rows)


# --- Checking -------------------------------------------------------------------------------


def test_a_good_file_gives_clean_rows_with_dates_and_lower_case_email():
    checked = check(
        csv_bytes(
            HEADINGS + ",Grade,Line manager employee number,Kind",
            "E1,Ade,Okafor,Ade@Barnet.test,Carer,2024-04-01,po3,M1,fixed term",
        )
    )
    assert checked.problems == ()
    (row,) = checked.rows
    assert row.work_email == "ade@barnet.test"
    assert row.start_date == dt.date(2024, 4, 1)
    assert (row.grade, row.line_manager, row.kind) == ("PO3", "M1", "fixed_term")
    assert StaffRow.from_json(row.to_json()) == row


def test_every_problem_is_listed_by_line_and_column():
    checked = check(
        csv_bytes(
            HEADINGS + ",Grade,Line manager employee number,End date,Destination",
            "E1,Ade,Okafor,ade@barnet.test,Carer,2024-04-01,,,,",
            "E1,Bea,Bell,not-an-email,,31/02/2024,Band 9,Z9,,",
            "E3,Cy,Cole,cy@barnet.test,Porter,2024-04-01,,,2025-01-31,",
            "E4,Di,Dunn,ade@barnet.test,Porter,2024-04-01,,E4,2023-01-01,Retired",
        )
    )
    assert [problem.line for problem in checked.rows] == [2]
    assert checked.problems == (
        Problem(3, "Employee number", "Employee number E1 is also on line 2"),
        Problem(3, "Work email", "Enter an email address like name@example.org"),
        Problem(3, "Job title", "Enter the job title"),
        Problem(
            3, "Start date", "Enter the start date as a real date, like 2024-04-01 or 01/04/2024"
        ),
        Problem(
            3, "Grade", "“Band 9” is not in your organisation's grade table: add it there first"
        ),
        Problem(3, "Line manager employee number", checked.problems[5].message),
        Problem(4, "Destination", checked.problems[6].message),
        Problem(5, "Work email", "This email address is also on line 2"),
        Problem(5, "Line manager employee number", "Someone cannot be their own line manager"),
        Problem(5, "End date", "The end date must be on or after the start date"),
    )
    assert "No one with employee number Z9 is in the file or works here now" in (
        checked.problems[5].message
    )
    assert checked.problems[6].message.startswith("Enter where this leaver went, or “Unknown”")


def test_a_line_manager_may_be_later_in_the_file_or_already_work_here():
    checked = check(
        csv_bytes(
            HEADINGS + ",Line manager",
            "E1,Ade,Okafor,ade@barnet.test,Carer,2024-04-01,E2",
            "E2,Bea,Bell,bea@barnet.test,Manager,2024-04-01,M1",
        )
    )
    assert checked.problems == ()


def test_leavers_need_a_date_and_a_destination_and_partners_are_named():
    checked = check(
        csv_bytes(
            HEADINGS + ",End date,Destination,Destination organisation",
            "E1,Ade,Okafor,ade@barnet.test,Carer,2024-04-01,2025-03-31,,r1k",
            "E2,Bea,Bell,bea@barnet.test,Carer,2024-04-01,,Retired,",
            "E3,Cy,Cole,cy@barnet.test,Carer,2024-04-01,2025-03-31,Partner,",
            "E4,Di,Dunn,di@barnet.test,Carer,2024-04-01,2025-03-31,Moon,",
            "E5,Ed,Eve,ed@barnet.test,Carer,2024-04-01,2025-03-31,Private sector,R1K",
        )
    )
    assert checked.rows[0].destination == "partner"
    assert checked.rows[0].destination_organisation == 7
    assert [(problem.line, problem.column) for problem in checked.problems] == [
        (3, "End date"),
        (4, "Destination organisation"),
        (5, "Destination"),
        (6, "Destination organisation"),
    ]


def test_cells_with_line_breaks_or_too_long_are_problems_not_errors():
    checked = check(
        csv_bytes(HEADINGS, 'E1,"Ade\nMore",Okafor,ade@barnet.test,' + "x" * 201 + ",2024-04-01")
    )
    assert [problem.message for problem in checked.problems] == [
        "Remove the line breaks and other control characters",
        "Must be 200 characters or fewer",
    ]
