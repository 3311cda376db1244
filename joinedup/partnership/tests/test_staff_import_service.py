"""The staff import service: preview, apply in one transaction, re-import changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.partnership import staff_file, staff_import
from joinedup.partnership.models import (
    AuditEvent,
    Destination,
    EmailAddress,
    Employment,
    EmploymentKind,
    Person,
    StaffImport,
)
from joinedup.partnership.staff_import import (
    ALREADY_HAS_ACCOUNT,
    apply_staff_import,
    check_staff_import,
    preview_staff_import,
    queue_staff_import,
)
from joinedup.partnership.tasks import apply_staff_import_task, check_staff_import_task
from joinedup.partnership.tests.import_helpers import (
    DEFAULT_COLUMNS,
    new_rows,
    own_staff_rows,
    staff_csv,
    upload,
)

LEAVER_COLUMNS = (*DEFAULT_COLUMNS, "end_date", "destination")


def preview(world, rows, columns=DEFAULT_COLUMNS, *, full_import=False) -> StaffImport:
    return preview_staff_import(
        actor=world.actor("own_admin"),
        uploaded_file=upload(staff_csv(rows, columns)),
        full_import=full_import,
    )


def apply(world, checked: StaffImport, *, mark_missing_as_leavers=False) -> StaffImport:
    return apply_staff_import(
        actor=world.actor("own_admin"),
        import_id=checked.pk,
        mark_missing_as_leavers=mark_missing_as_leavers,
    )


def snapshot() -> list[tuple]:
    """Every employment and person as stored, to show that nothing changed."""
    return list(Employment.objects.order_by("pk").values_list()) + list(
        Person.objects.order_by("pk").values_list()
    )


def test_the_vocabularies_in_the_pure_checker_match_the_models():
    assert dict(Destination.choices) == staff_file.DESTINATIONS
    assert dict(EmploymentKind.choices) == staff_file.KINDS


def test_preview_counts_what_would_change_and_writes_only_the_import(world):
    before = snapshot()
    checked = preview(world, own_staff_rows(world) + new_rows(2))
    assert checked.status == StaffImport.Status.PREVIEWED
    assert checked.summary["counts"] == {
        "new": 2,
        "changed": 0,
        "unchanged": 6,
        "leavers": 0,
        "missing": 0,
    }
    assert len(checked.rows) == 8
    assert snapshot() == before
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["staff_import.checked"]


def test_applying_creates_people_employments_and_line_managers_with_audit(world):
    manager = world.employments["own_line_manager"]
    rows = new_rows(2, manager=manager.employee_number)
    rows[1]["line_manager"] = "N0001"
    applied = apply(world, preview(world, rows))
    assert applied.status == StaffImport.Status.APPLIED
    assert applied.rows == []
    first = Employment.objects.get(organisation=world.own, employee_number="N0001")
    second = Employment.objects.get(organisation=world.own, employee_number="N0002")
    assert first.line_manager == manager
    assert second.line_manager == first
    assert (first.grade.name, first.seniority) == ("Scale 6", 3)
    assert first.person.email == "nia.newton1@barnet.test"
    assert not first.person.has_usable_password()
    assert EmailAddress.objects.filter(person=first.person, email=first.work_email).exists()
    added = AuditEvent.objects.filter(action="employment.added")
    assert sorted(added.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    assert all(event.changes["staff_import"] == applied.pk for event in added)
    assert AuditEvent.objects.filter(action="staff_import.applied").count() == 1


def test_reimporting_the_same_file_changes_nothing(world):
    rows = own_staff_rows(world) + new_rows(3, manager="N0003")
    rows[-1]["line_manager"] = ""
    rows[0]["job_title"] = "Head of service"
    apply(world, preview(world, rows, full_import=True))
    before = snapshot()
    events = AuditEvent.objects.count()

    again = preview(world, rows, full_import=True)
    assert again.summary["counts"] == {
        "new": 0,
        "changed": 0,
        "unchanged": 9,
        "leavers": 0,
        "missing": 0,
    }
    applied = apply(world, again, mark_missing_as_leavers=True)
    assert applied.summary["counts"]["unchanged"] == 9
    assert snapshot() == before
    new_events = AuditEvent.objects.order_by("pk")[events:]
    assert [event.action for event in new_events] == [
        "staff_import.checked",
        "staff_import.applied",
    ]


def test_reimporting_leavers_and_new_jobs_also_changes_nothing(world):
    rows = own_staff_rows(world)
    for row in rows:
        row.update(end_date="", destination="")
    rows[1].update(end_date="2025-03-31", destination="Retired")
    rows[2].update(job_title="Head of HR", start_date="2025-01-01", grade="PO3")
    apply(world, preview(world, rows, LEAVER_COLUMNS))
    before = snapshot()
    again = preview(world, rows, LEAVER_COLUMNS)
    assert again.summary["counts"]["unchanged"] == 6
    apply(world, again)
    assert snapshot() == before


def test_a_corrected_job_title_updates_the_employment_in_place(world):
    rows = own_staff_rows(world)
    rows[1]["job_title"] = "Senior social worker"
    checked = preview(world, rows)
    assert checked.summary["counts"]["changed"] == 1
    apply(world, checked)
    employment = world.employments["own_staff"]
    employment.refresh_from_db()
    assert employment.job_title == "Senior social worker"
    event = AuditEvent.objects.get(action="employment.updated")
    assert event.object_id == str(employment.pk)
    assert event.changes["fields"] == ["job_title"]


def test_a_new_job_from_a_later_date_keeps_the_old_one_in_the_history(world):
    rows = own_staff_rows(world)
    rows[0].update(job_title="Head of service", start_date="2025-06-01", grade="PO3")
    apply(world, preview(world, rows))
    old = world.employments["own_line_manager"]
    old.refresh_from_db()
    assert old.end_date == dt.date(2025, 5, 31)
    assert old.leaving_reason == staff_import.CHANGED_JOB_REASON
    new = Employment.objects.get(person=old.person, end_date__isnull=True)
    assert (new.job_title, new.grade.name, new.employee_number) == (
        "Head of service",
        "PO3",
        old.employee_number,
    )
    report = world.employments["own_staff"]
    report.refresh_from_db()
    assert report.line_manager == new
    assert AuditEvent.objects.filter(action="employment.changed", object_id=str(new.pk)).exists()


def test_a_leaver_row_ends_the_employment_with_its_destination(world):
    rows = own_staff_rows(world)
    for row in rows:
        row.update(end_date="", destination="")
    rows[1].update(end_date="31/03/2025", destination="Private sector")
    checked = preview(world, rows, LEAVER_COLUMNS)
    assert checked.summary["counts"]["leavers"] == 1
    apply(world, checked)
    employment = world.employments["own_staff"]
    employment.refresh_from_db()
    assert employment.end_date == dt.date(2025, 3, 31)
    assert employment.destination == Destination.PRIVATE
    assert AuditEvent.objects.filter(
        action="employment.ended", object_id=str(employment.pk)
    ).exists()


def test_people_missing_from_a_full_import_stay_unless_the_admin_confirms(world):
    rows = [row for row in own_staff_rows(world) if row["given_name"] != "Lev"]
    levy = world.employments["own_levy_officer"]
    checked = preview(world, rows, full_import=True)
    assert checked.summary["counts"]["missing"] == 1
    apply(world, checked, mark_missing_as_leavers=False)
    levy.refresh_from_db()
    assert levy.end_date is None

    confirmed = apply(world, preview(world, rows, full_import=True), mark_missing_as_leavers=True)
    assert confirmed.summary["counts"]["missing_marked_as_leavers"] == 1
    levy.refresh_from_db()
    assert levy.end_date is not None
    assert levy.destination == Destination.UNKNOWN
    assert levy.leaving_reason == staff_import.MISSING_LEAVING_REASON
    assert AuditEvent.objects.filter(action="employment.ended", object_id=str(levy.pk)).exists()


def test_a_partial_import_never_marks_anyone_as_a_leaver(world):
    checked = preview(world, new_rows(1), full_import=False)
    applied = apply(world, checked, mark_missing_as_leavers=True)
    assert applied.mark_missing_as_leavers is False
    assert Employment.objects.filter(organisation=world.own, end_date__isnull=False).count() == 0


def test_someone_with_an_account_elsewhere_is_not_made_a_second_person(world):
    partner_staff = world.person("partner_staff")
    row = new_rows(1)[0] | {"work_email": partner_staff.email}
    people = Person.objects.count()
    checked = preview(world, [row])
    assert checked.summary["problems"] == [
        {"line": 2, "column": "Work email", "message": ALREADY_HAS_ACCOUNT}
    ]
    assert checked.rows == []
    with pytest.raises(ValidationError):
        queue_staff_import(
            actor=world.actor("own_admin"), staff_import=checked, mark_missing_as_leavers=False
        )
    assert Person.objects.count() == people
    assert not Employment.objects.filter(person=partner_staff, organisation=world.own).exists()


def test_an_email_of_someone_here_under_another_number_is_a_problem(world):
    row = new_rows(1)[0] | {"work_email": world.person("own_staff").email}
    checked = preview(world, [row])
    (problem,) = checked.summary["problems"]
    assert problem["column"] == "Work email"
    assert world.employments["own_staff"].employee_number in problem["message"]


def test_names_of_someone_also_employed_elsewhere_are_left_alone(world):
    elsewhere = world.employments["partner_staff"].person
    employment = Employment.objects.create(
        person=elsewhere,
        organisation=world.own,
        employee_number="J1",
        work_email="pat.joint@barnet.test",
        job_title="Joint post",
        start_date=dt.date(2023, 1, 1),
        kind=EmploymentKind.JOINT_POST,
    )
    row = {
        "employee_number": "J1",
        "given_name": "Patricia",
        "family_name": "Staff",
        "work_email": "pat.joint@barnet.test",
        "job_title": "Joint post",
        "start_date": "2023-01-01",
    }
    checked = preview(world, [row], DEFAULT_COLUMNS[:6])
    assert checked.summary["counts"]["unchanged"] == 1
    apply(world, checked)
    elsewhere.refresh_from_db()
    assert elsewhere.given_name == "Pat"
    assert EmailAddress.objects.get(email="pat.joint@barnet.test").person == elsewhere
    assert employment.pk


def test_a_bad_file_raises_a_validation_error_on_the_file_and_writes_nothing(world):
    with pytest.raises(ValidationError) as refused:
        preview_staff_import(
            actor=world.actor("own_admin"),
            uploaded_file=upload(b"\x00\x01junk"),
            full_import=False,
        )
    assert "file" in refused.value.error_dict
    assert not StaffImport.objects.exists()
    assert not AuditEvent.objects.exists()


def test_files_over_the_configured_limit_are_refused(world, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="smaller than"):
        preview(world, new_rows(5))


def test_only_the_organisation_admin_may_import(world):
    for persona in ("own_staff", "own_ld_lead", "own_line_manager"):
        with pytest.raises(PermissionDenied):
            preview_staff_import(
                actor=world.actor(persona),
                uploaded_file=upload(staff_csv(new_rows(1))),
                full_import=False,
            )


def test_records_that_changed_since_the_check_fail_the_import_and_write_nothing(world):
    checked = preview(world, new_rows(2))
    Person.objects.create_user(email="nia.newton2@barnet.test", given_name="N", family_name="N")
    before = snapshot()
    failed = apply(world, checked)
    assert failed.status == StaffImport.Status.FAILED
    assert failed.rows == []
    assert failed.summary["problems"][0]["message"] == ALREADY_HAS_ACCOUNT
    assert snapshot() == before


def test_a_failure_while_writing_rolls_back_every_change(world, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(staff_import, "_set_line_managers", explode)
    checked = preview(world, new_rows(3))
    before = snapshot()
    with pytest.raises(RuntimeError):
        apply(world, checked)
    assert snapshot() == before
    checked.refresh_from_db()
    assert checked.status == StaffImport.Status.FAILED
    assert "nothing was changed" in checked.summary["error"]
    assert not AuditEvent.objects.filter(action="employment.added").exists()


def test_an_import_is_applied_only_once(world):
    checked = preview(world, new_rows(1))
    queue_staff_import(
        actor=world.actor("own_admin"), staff_import=checked, mark_missing_as_leavers=False
    )
    checked.refresh_from_db()
    assert checked.status == StaffImport.Status.APPLIED
    with pytest.raises(ValidationError, match="already been applied"):
        apply(world, checked)
    assert Employment.objects.filter(employee_number="N0001").count() == 1


def test_the_task_applies_the_import_saving_progress_chunk_by_chunk(world, monkeypatch):
    monkeypatch.setattr(staff_import, "CHUNK_SIZE", 4)
    checked = preview(world, new_rows(10))
    with CaptureQueriesContext(connection) as captured:
        counts = apply_staff_import_task.call(
            import_id=checked.pk,
            person_id=world.person("own_admin").pk,
            organisation_id=world.own.pk,
            mark_missing_as_leavers=False,
        )
    assert counts["new"] == 10
    progress_updates = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("UPDATE") and "processed_rows" in query["sql"]
    ]
    # The claim, then one per chunk of 4 rows (3), then the final status.
    assert len(progress_updates) == 5
    checked.refresh_from_db()
    assert (checked.processed_rows, checked.total_rows) == (10, 10)
    assert checked.status == StaffImport.Status.APPLIED


def test_checking_makes_the_same_number_of_queries_for_more_rows(world):
    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            preview(world, new_rows(count))
        return len(captured)

    assert queries(3) == queries(30)


# --- Large files: checked in the background -------------------------------------------------


@pytest.fixture
def background(settings):
    settings.STAFF_IMPORT_BACKGROUND_BYTES = 200


def test_a_large_file_is_checked_by_the_worker_and_then_previewed(world, background):
    checked = preview(world, own_staff_rows(world) + new_rows(4))
    checked.refresh_from_db()
    assert checked.status == StaffImport.Status.PREVIEWED
    assert checked.summary["counts"]["new"] == 4
    assert checked.total_rows == 10
    assert bytes(checked.uploaded_file) == b""
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "staff_import.uploaded",
        "staff_import.checked",
    ]


def test_a_large_unreadable_file_fails_with_the_reason_and_no_error(world, background):
    checked = preview_staff_import(
        actor=world.actor("own_admin"),
        uploaded_file=upload(b"Name,Email\r\n" + b"Ann,ann@example.org\r\n" * 20),
        full_import=False,
    )
    checked.refresh_from_db()
    assert checked.status == StaffImport.Status.FAILED
    assert checked.summary["error"].startswith("The first row must name the columns")
    assert bytes(checked.uploaded_file) == b""


def test_the_check_task_saves_progress_and_keeps_the_file_only_until_checked(
    world, background, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(staff_import, "CHUNK_SIZE", 3)
    waiting = preview(world, new_rows(7))
    assert waiting.status == StaffImport.Status.CHECKING
    assert bytes(waiting.uploaded_file)
    problems = check_staff_import_task.call(
        import_id=waiting.pk,
        person_id=world.person("own_admin").pk,
        organisation_id=world.own.pk,
    )
    assert problems == 0
    waiting.refresh_from_db()
    assert (waiting.status, waiting.total_rows) == (StaffImport.Status.PREVIEWED, 7)
    assert bytes(waiting.uploaded_file) == b""
    with pytest.raises(ValidationError, match="already been checked"):
        check_staff_import(actor=world.actor("own_admin"), import_id=waiting.pk)
