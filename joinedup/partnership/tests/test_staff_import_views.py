"""The staff import pages: upload, preview with problems by line and column, apply, progress."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from joinedup.partnership.models import AuditEvent, Employment, Grade, Person, StaffImport
from joinedup.partnership.staff_import import preview_staff_import
from joinedup.partnership.tests.import_helpers import (
    DEFAULT_COLUMNS,
    new_rows,
    own_staff_rows,
    staff_csv,
    upload,
)
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for

LEAVER_COLUMNS = (*DEFAULT_COLUMNS, "end_date", "destination")


def upload_url(world) -> str:
    return reverse("partnership:staff-import", args=[world.own.pk])


def checked_import(world, rows=None, *, full_import=False) -> StaffImport:
    return preview_staff_import(
        actor=world.actor("own_admin"),
        uploaded_file=upload(staff_csv(rows if rows is not None else new_rows(2))),
        full_import=full_import,
    )


def post_file(client, world, content: bytes, name: str = "staff.csv", **data):
    return client.post(upload_url(world), {"file": upload(content, name), **data})


def xlsx_with(parts: dict[str, bytes]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Employee number"])
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(plain)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item, source.read(item.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>'
    b"</worksheet>"
)


# --- Who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("own_ld_lead", 403),
        ("partner_admin", 403),
        ("partnership_lead", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("name", ["staff-import", "staff-import-template"])
def test_upload_and_template_are_for_the_organisation_admin_only(
    world, client_for, persona, expected, name
):
    response = client_for(persona).get(reverse(f"partnership:{name}", args=[world.own.pk]))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("own_ld_lead", 403),
        ("partner_admin", 404),
        ("partnership_lead", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("name", ["staff-import-detail", "staff-import-progress"])
def test_an_import_is_seen_only_by_its_organisation_admin(
    world, client_for, persona, expected, name
):
    checked = checked_import(world)
    response = client_for(persona).get(reverse(f"partnership:{name}", args=[checked.pk]))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 302),
        ("own_staff", 403),
        ("partner_admin", 404),
        ("partnership_lead", 404),
        ("outsider", 404),
    ],
)
def test_only_the_organisation_admin_may_apply_an_import(world, client_for, persona, expected):
    checked = checked_import(world)
    response = client_for(persona).post(
        reverse("partnership:staff-import-apply", args=[checked.pk])
    )
    assert response.status_code == expected
    applied = Employment.objects.filter(employee_number="N0001").exists()
    assert applied is (persona == "own_admin")


def test_anonymous_visitors_applying_are_sent_to_sign_in(world, client_for):
    checked = checked_import(world)
    response = client_for("anonymous").post(
        reverse("partnership:staff-import-apply", args=[checked.pk])
    )
    assert_status(response, 302)
    assert not Employment.objects.filter(employee_number="N0001").exists()


def test_apply_answers_only_post(world, client_for):
    checked = checked_import(world)
    response = client_for("own_admin").get(
        reverse("partnership:staff-import-apply", args=[checked.pk])
    )
    assert response.status_code == 405


def test_a_missing_import_is_not_found(world, client_for):
    response = client_for("own_admin").get(reverse("partnership:staff-import-detail", args=[999]))
    assert response.status_code == 404


# --- Uploading and previewing ---------------------------------------------------------------


def test_the_manage_page_links_to_the_import(world, client_for):
    response = client_for("own_admin").get(reverse("partnership:manage", args=[world.own.pk]))
    assert upload_url(world) in response.content.decode()


def test_the_upload_page_explains_the_columns_and_offers_the_template(world, client_for):
    page = client_for("own_admin").get(upload_url(world)).content.decode()
    assert "Line manager employee number" in page
    assert reverse("partnership:staff-import-template", args=[world.own.pk]) in page
    assert "smaller than 20 MB" in page


def test_a_good_file_goes_to_a_preview_of_the_changes(world, client_for):
    client = client_for("own_admin")
    response = post_file(client, world, staff_csv(own_staff_rows(world) + new_rows(2)))
    checked = StaffImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partnership:staff-import-detail", args=[checked.pk])
    page = client.get(response.url).content.decode()
    assert "Check the changes before applying them" in page
    assert "Apply the changes" in page
    assert not Employment.objects.filter(employee_number="N0001").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "staff.csv", "The selected file is empty"),
        (b"\x00\x01\x02 junk \x03", "staff.csv", "characters that are not text"),
        (b"\x81\x8d\x8f\x90\x9d" * 50, "staff.csv", "character encoding could not be recognised"),
        (b"Name,Email\r\nAnn,ann@x.test\r\n", "staff.csv", "These are missing: Employee number"),
        (b"anything", "staff.pdf", "must be a CSV or XLSX file"),
        (b"PK\x03\x04garbage", "staff.xlsx", "is not an XLSX workbook"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_file_field_and_writes_nothing(
    world, client_for, content, name, message
):
    response = post_file(client_for("own_admin"), world, content, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_file"' in page
    assert message in page
    assert not StaffImport.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_workbook_bomb_or_external_entity_is_refused_with_a_message(world, client_for):
    client = client_for("own_admin")
    bomb = xlsx_with({"xl/media/bomb.bin": bytes(5 << 20)})
    assert "compressed too much" in post_file(client, world, bomb, "s.xlsx").content.decode()
    entity = xlsx_with({"xl/worksheets/sheet1.xml": XXE})
    assert "could not be read" in post_file(client, world, entity, "s.xlsx").content.decode()
    assert not StaffImport.objects.exists()


def test_a_file_over_the_limit_is_refused(world, client_for, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 1024 * 1024
    response = post_file(client_for("own_admin"), world, b"x" * (1024 * 1024 + 1))
    assert "must be smaller than 1 MB" in response.content.decode()


def test_submitting_without_a_file_asks_for_one(world, client_for):
    response = client_for("own_admin").post(upload_url(world), {})
    assert "Select a staff file" in response.content.decode()


def test_every_problem_is_listed_by_line_and_column_and_nothing_can_be_applied(world, client_for):
    rows = new_rows(6, manager="")
    for row in rows:
        row.update(end_date="", destination="")
    rows[1]["employee_number"] = "N0001"
    rows[2]["start_date"] = "31/02/2024"
    rows[3]["grade"] = "Band 99"
    rows[4]["line_manager"] = "X404"
    rows[5]["end_date"] = "2025-03-31"
    people = Person.objects.count()
    client = client_for("own_admin")
    response = post_file(client, world, staff_csv(rows, LEAVER_COLUMNS))
    page = client.get(response.url).content.decode()
    assert "Fix the problems in the file" in page
    assert "Apply the changes" not in page
    for line, column in [
        (3, "Employee number"),
        (4, "Start date"),
        (5, "Grade"),
        (6, "Line manager employee number"),
        (7, "Destination"),
    ]:
        assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{line}</td>' in page
        assert f'<td class="govuk-table__cell">{column}</td>' in page
    assert Person.objects.count() == people
    checked = StaffImport.objects.get()
    response = client.post(reverse("partnership:staff-import-apply", args=[checked.pk]))
    assert "Fix the problems in the file and upload it again" in response.content.decode()
    assert Person.objects.count() == people


def test_someone_with_an_account_elsewhere_gets_a_problem_saying_to_invite_them(world, client_for):
    row = new_rows(1)[0] | {"work_email": world.person("partner_staff").email}
    client = client_for("own_admin")
    response = post_file(client, world, staff_csv([row]))
    page = client.get(response.url).content.decode()
    assert "invite them from “Add a person”" in page


# --- Applying -------------------------------------------------------------------------------


def test_applying_saves_everything_and_shows_the_result(world, client_for):
    checked = checked_import(world)
    client = client_for("own_admin")
    response = client.post(reverse("partnership:staff-import-apply", args=[checked.pk]))
    assert response.url == reverse("partnership:staff-import-detail", args=[checked.pk])
    page = client.get(response.url).content.decode()
    assert "Staff import applied" in page
    assert Employment.objects.filter(organisation=world.own, employee_number="N0002").exists()
    again = client.post(reverse("partnership:staff-import-apply", args=[checked.pk]))
    assert again.status_code == 302
    assert Employment.objects.filter(employee_number="N0002").count() == 1


def test_uploading_the_same_file_again_previews_everything_unchanged(world, client_for):
    client = client_for("own_admin")
    content = staff_csv(own_staff_rows(world) + new_rows(3))
    first = post_file(client, world, content)
    client.post(first.url.rstrip("/") + "/apply/")
    second = post_file(client, world, content)
    page = client.get(second.url).content.decode()
    latest = StaffImport.objects.order_by("-pk").first()
    assert latest.summary["counts"] == {
        "new": 0,
        "changed": 0,
        "unchanged": 9,
        "leavers": 0,
        "missing": 0,
    }
    assert "Unchanged" in page


def test_missing_staff_are_marked_as_leavers_only_when_the_box_is_ticked(world, client_for):
    rows = own_staff_rows(world)[:4]
    client = client_for("own_admin")
    first = post_file(client, world, staff_csv(rows), full_import="on")
    page = client.get(first.url).content.decode()
    assert "Mark the people missing from the file as leavers" in page
    client.post(first.url + "apply/")
    levy = world.employments["own_levy_officer"]
    levy.refresh_from_db()
    assert levy.end_date is None

    second = post_file(client, world, staff_csv(rows), full_import="on")
    client.post(second.url + "apply/", {"mark_missing_as_leavers": "on"})
    levy.refresh_from_db()
    assert levy.end_date is not None


# --- Progress -------------------------------------------------------------------------------


def test_progress_of_a_running_import_is_an_accessible_bar_with_a_refresh_link(world, client_for):
    checked = checked_import(world, new_rows(40))
    StaffImport.objects.filter(pk=checked.pk).update(
        status=StaffImport.Status.APPLYING, processed_rows=10
    )
    client = client_for("own_admin")
    partial = client.get(reverse("partnership:staff-import-progress", args=[checked.pk]))
    html = partial.content.decode()
    assert '<progress class="jup-progress" max="100" value="25"' in html
    assert 'aria-labelledby="import-progress-label"' in html
    assert "Checked 10 of 40 rows" in html
    assert 'hx-trigger="every 2s"' in html
    assert f'href="{reverse("partnership:staff-import-detail", args=[checked.pk])}"' in html
    assert "<html" not in html
    page = client.get(reverse("partnership:staff-import-detail", args=[checked.pk]))
    assert "Applying the staff import" in page.content.decode()
    assert "jup-progress" in page.content.decode()


def test_polling_a_finished_import_reloads_the_page(world, client_for):
    checked = checked_import(world)
    StaffImport.objects.filter(pk=checked.pk).update(status=StaffImport.Status.APPLIED)
    response = client_for("own_admin").get(
        reverse("partnership:staff-import-progress", args=[checked.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


# --- The template ---------------------------------------------------------------------------


def test_the_template_has_the_headings_an_example_row_and_no_formulas(world, client_for):
    Grade.objects.filter(organisation=world.own).delete()
    Grade.objects.create(organisation=world.own, name="=HYPERLINK(1)", seniority=2)
    response = client_for("own_admin").get(
        reverse("partnership:staff-import-template", args=[world.own.pk])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Employee number,Given name,Family name,Work email")
    assert "'=HYPERLINK(1)" in lines[1]
    assert len(lines) == 2


# --- Query counts ---------------------------------------------------------------------------


def test_the_preview_page_makes_the_same_queries_however_many_problems(world, client_for):
    client = client_for("own_admin")

    def bad_import(count: int) -> StaffImport:
        rows = new_rows(count)
        for row in rows:
            row["start_date"] = "not a date"
        return checked_import(world, rows)

    few, many = bad_import(2), bad_import(40)
    assert len(many.summary["problems"]) == 40
    assert queries_for(
        client, reverse("partnership:staff-import-detail", args=[few.pk])
    ) == queries_for(client, reverse("partnership:staff-import-detail", args=[many.pk]))


def test_the_preview_of_changes_makes_the_same_queries_however_many_rows(world, client_for):
    client = client_for("own_admin")
    few, many = checked_import(world, new_rows(2)), checked_import(world, new_rows(60))
    assert queries_for(
        client, reverse("partnership:staff-import-detail", args=[few.pk])
    ) == queries_for(client, reverse("partnership:staff-import-detail", args=[many.pk]))


def test_the_upload_page_makes_the_same_queries_however_many_recent_imports(world, client_for):
    client = client_for("own_admin")
    checked_import(world)
    one = queries_for(client, upload_url(world))
    for _ in range(5):
        checked_import(world)
    assert queries_for(client, upload_url(world)) == one


def test_a_large_file_shows_its_check_in_progress_until_the_worker_is_done(
    world, client_for, settings
):
    settings.STAFF_IMPORT_BACKGROUND_BYTES = 200
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for("own_admin")
    response = post_file(client, world, staff_csv(new_rows(10)))
    page = client.get(response.url).content.decode()
    assert "Checking the file" in page
    assert "Reading the file." in page
    assert '<progress class="jup-progress"' in page
    assert "Apply the changes" not in page


def test_a_large_file_checked_by_the_worker_goes_on_to_the_preview(world, client_for, settings):
    settings.STAFF_IMPORT_BACKGROUND_BYTES = 200
    client = client_for("own_admin")
    response = post_file(client, world, staff_csv(new_rows(10)))
    page = client.get(response.url).content.decode()
    assert "Check the changes before applying them" in page


def test_the_downloaded_template_uploads_as_one_new_person(world, client_for):
    client = client_for("own_admin")
    template = client.get(reverse("partnership:staff-import-template", args=[world.own.pk]))
    response = post_file(client, world, template.content, "staff-import-template.csv")
    checked = StaffImport.objects.get()
    assert response.status_code == 302
    assert checked.summary["problem_count"] == 0
    assert checked.summary["counts"]["new"] == 1


def test_an_xlsx_from_excel_and_a_windows_csv_are_previewed_alike(world, client_for):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Employee number", "Given name", "Family name", "Work email"])
    workbook.active["E1"], workbook.active["F1"] = "Job title", "Start date"
    workbook.active.append([2001, "Siân", "O’Brien", "sian@barnet.test", "Carer"])
    workbook.active["F2"] = openpyxl.utils.datetime.from_excel(45383)
    buffer = io.BytesIO()
    workbook.save(buffer)
    windows = (
        "Employee number,Given name,Family name,Work email,Job title,Start date\r\n"
        "2001,Siân,O’Brien,sian@barnet.test,Carer,01/04/2024\r\n"
    ).encode("cp1252")
    client = client_for("own_admin")
    for content, name in ((buffer.getvalue(), "staff.xlsx"), (windows, "staff.csv")):
        assert post_file(client, world, content, name).status_code == 302
    first, second = StaffImport.objects.order_by("pk")
    assert first.rows == second.rows
    assert first.rows[0]["family_name"] == "O’Brien"
    assert first.rows[0]["start_date"] == "2024-04-01"
