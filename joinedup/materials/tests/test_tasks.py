"""The background task that reads a version's text: status, search document, failures, queueing
only once the transaction commits; and the e-mail task for reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from joinedup.materials import access, documents, jobs, reading, search, services, tasks
from joinedup.materials.extraction import ExtractionFailed
from joinedup.materials.models import ExtractionStatus, Licence, MaterialVersion, ReportReason
from joinedup.materials.tests.service_helpers import (
    counts,
    new_material,
    private_folder,
    stored_files,
    text_file,
)
from joinedup.partnership import audit
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

SUMMARY_AND_TOPICS = "A half-day session plan for supervisors.\nSupervision"


@pytest.fixture
def files_root(settings, tmp_path):
    return private_folder(settings, tmp_path)


def _pending(world, upload=None):
    """A material whose first version's text has not been read (its task not run yet)."""
    material = new_material(world.actor("own_ld_lead"), upload=upload or text_file())
    material.refresh_from_db()
    assert material.current_version.extraction_status == ExtractionStatus.PENDING
    return material


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("guide.pdf", documents.pdf([["Debrief after a serious incident on the ward."]])),
        ("guide.docx", documents.docx("Debrief after a serious incident on the ward.")),
        ("guide.odt", documents.odt("Debrief after a serious incident on the ward.")),
        ("deck.pptx", documents.pptx([(["Debrief after a serious incident on the ward."], None)])),
        ("deck.odp", documents.odp([(["Debrief after a serious incident on the ward."], None)])),
    ],
)
def test_the_task_reads_the_text_and_search_finds_a_phrase_inside(world, files_root, name, content):
    material = new_material(
        world.actor("own_ld_lead"),
        upload=SimpleUploadedFile(name, content),
        title="Incident guide",
    )
    version_id = material.current_version_id
    visible = access.visible_materials(world.actor("partner_ld_lead"))
    assert search.search_materials(visible, text='"serious incident"').hits == []

    assert tasks.extract_version_text.call(version_id) == ExtractionStatus.DONE

    version = MaterialVersion.objects.get(pk=version_id)
    assert "Debrief after a serious incident on the ward." in version.extracted_text
    material.refresh_from_db()
    assert material.search_document == f"{SUMMARY_AND_TOPICS}\n{version.extracted_text}"
    hits = search.search_materials(visible, text='"serious incident"').hits
    assert [hit.material for hit in hits] == [material]
    event = AuditEvent.objects.get(action="material_version.text_read")
    assert event.actor is None
    assert event.changes["status"] == "done"


def test_a_file_whose_text_cannot_be_read_is_marked_failed(world, files_root):
    locked = documents.pdf([["Secret"]], user_password="open sesame")
    material = _pending(world, SimpleUploadedFile("locked.pdf", locked))
    assert tasks.extract_version_text.call(material.current_version_id) == "failed"
    version = MaterialVersion.objects.get(pk=material.current_version_id)
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_error == "The PDF is password-protected, so its text cannot be read."
    material.refresh_from_db()
    assert material.search_document == SUMMARY_AND_TOPICS


def test_reading_is_stopped_after_its_time_limit():
    with pytest.raises(ExtractionFailed, match="took longer than 0.01 seconds, so it was stopped"):
        reading.read_text_limited(b"Plain words", "text/plain", seconds=0.01)


def test_reading_is_stopped_past_its_memory_limit():
    with pytest.raises(ExtractionFailed, match="needed too much memory"):
        reading.read_text_limited(b"word " * 10_000_000, "text/plain", memory=64 * 1024**2)


def test_the_readers_answer_comes_back_from_its_own_process():
    with pytest.raises(ExtractionFailed, match="damaged"):
        reading.read_text_limited(b"%PDF-1.7 nothing more", "application/pdf")
    assert reading.read_text_limited("Plain words, café".encode(), "text/plain") == (
        "Plain words, café"
    )


def test_a_missing_file_is_marked_failed(world, files_root):
    material = _pending(world)
    for path in stored_files(files_root):
        path.unlink()
    assert tasks.extract_version_text.call(material.current_version_id) == "failed"
    version = MaterialVersion.objects.get(pk=material.current_version_id)
    assert version.extraction_error == "The stored file is missing."


def test_text_of_a_version_no_longer_current_stays_out_of_the_search_document(world, files_root):
    material = _pending(world)
    first_id = material.current_version_id
    services.add_version(
        actor=world.actor("own_ld_lead"),
        material=material,
        external_url="https://example.org/v2",
        change_note="Now a link",
    )
    assert tasks.extract_version_text.call(first_id) == "done"
    assert MaterialVersion.objects.get(pk=first_id).extracted_text
    material.refresh_from_db()
    assert material.search_document == SUMMARY_AND_TOPICS


def test_a_version_read_already_or_gone_is_left_alone(world, files_root):
    material = _pending(world)
    version_id = material.current_version_id
    tasks.extract_version_text.call(version_id)
    before = counts()
    assert tasks.extract_version_text.call(version_id) == "done"
    assert tasks.extract_version_text.call(version_id + 1000) == "missing"
    assert counts() == before


def test_the_task_is_queued_only_when_the_transaction_commits(
    world, files_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        material = new_material(world.actor("own_ld_lead"), upload=text_file())
    assert len(callbacks) == 1
    version = MaterialVersion.objects.get(pk=material.current_version_id)
    assert version.extraction_status == ExtractionStatus.PENDING
    callbacks[0]()
    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE


def test_a_rolled_back_upload_queues_nothing(
    world, files_root, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        new_material(world.actor("own_ld_lead"), upload=text_file())
    assert callbacks == []
    assert stored_files(files_root) == []


def test_with_the_database_queue_the_worker_gets_one_task_row(
    world, files_root, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        material = new_material(world.actor("own_ld_lead"), upload=text_file())
    row = DBTaskResult.objects.get()
    assert row.task_path == "joinedup.materials.tasks.extract_version_text"
    assert row.args_kwargs["args"] == [material.current_version_id]


def test_the_report_task_sends_nothing_for_a_report_gone(world):
    assert tasks.send_report_notices.call(report_id=123456) == 0
    assert mail.outbox == []


def test_the_report_task_skips_people_who_left_or_are_inactive(
    world, django_capture_on_commit_callbacks
):
    material = new_material(world.actor("own_ld_lead"))
    world.partnership_lead.is_active = False
    world.partnership_lead.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_material(
            actor=world.actor("partner_staff"),
            material=material,
            reason=ReportReason.LICENCE_BREACH,
            details="Copied from a paid course.",
        )
    assert [message.to for message in mail.outbox] == [[world.own_ld_lead.email]]


def test_the_job_reads_versions_left_waiting_and_leaves_recent_ones_to_their_task(
    world, files_root
):
    old = _pending(world)
    recent = _pending(world)
    MaterialVersion.objects.filter(pk=old.current_version_id).update(
        created_at=timezone.now() - jobs.WAITING_TOO_LONG - dt.timedelta(minutes=1)
    )
    assert jobs.read_text_left_waiting() == 1
    statuses = dict(MaterialVersion.objects.values_list("pk", "extraction_status"))
    assert statuses[old.current_version_id] == ExtractionStatus.DONE
    assert statuses[recent.current_version_id] == ExtractionStatus.PENDING
    assert jobs.read_text_left_waiting() == 0


def test_a_report_on_an_owner_only_material_stays_inside_the_owner(
    world, django_capture_on_commit_callbacks
):
    material = new_material(world.actor("own_ld_lead"), licence=Licence.OWNER_ONLY)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_material(
            actor=world.actor("own_staff"),
            material=material,
            reason=ReportReason.ERROR,
            details="Out of date.",
        )
    assert [message.to for message in mail.outbox] == [[world.own_ld_lead.email]]
