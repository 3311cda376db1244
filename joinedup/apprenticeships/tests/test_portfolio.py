"""The portfolio service: adding evidence of each kind (with the safe upload service), editing
while it awaits the tutor or is queried, signing off or asking for more, who may do each, and the
KSB coverage."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from joinedup.apprenticeships import portfolio
from joinedup.apprenticeships.models import (
    CheckState,
    EnrolmentStatus,
    Evidence,
    Ksb,
    KsbKind,
    Standard,
)
from joinedup.lib import uploads
from joinedup.partnership.models import AuditEvent

from .portfolio_scene import add_text, build_portfolio_scene, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def ps():
    return build_portfolio_scene()


@pytest.fixture
def stored_files(settings, tmp_path):
    """The names of the files in this test's own private store, as a function."""
    settings.PRIVATE_FILES_ROOT = root = tmp_path / "private-files"

    def names() -> set[str]:
        return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()

    return names


def _add(ps, **given):
    values = {"title": "Evidence", "kind": "text", "ksbs": [ps.ksbs["K1"].pk], **given}
    return portfolio.add_evidence(actor=ps.apprentice, enrolment=ps.enrolment, **values)


def _refusal(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


def test_the_apprentice_adds_a_written_account_awaiting_the_tutor(ps):
    item = add_text(ps, "K1", "S1")
    item.refresh_from_db()
    assert item.state == CheckState.AWAITING
    assert item.text == "I chaired the meeting and agreed the plan."
    assert {k.code for k in item.ksbs.all()} == {"K1", "S1"}
    event = AuditEvent.objects.get(action="evidence.added", object_id=str(item.pk))
    assert event.changes["ksbs"] == sorted([ps.ksbs["K1"].pk, ps.ksbs["S1"].pk])


def test_a_link_must_be_a_web_address(ps):
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="link", url="javascript:alert(1)")
    assert "starts with https://" in _refusal(error)["url"][0]
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="link", url="")
    assert "url" in _refusal(error)
    made = _add(ps, kind="link", url="http://example.org/plan")
    assert made.url == "http://example.org/plan"


def test_each_kind_holds_only_its_own_content(ps):
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="text", text="An account", url="https://example.org")
    assert "url" in _refusal(error)
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="link", url="https://example.org", upload=text_file())
    assert "file" in _refusal(error)
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="file")
    assert _refusal(error)["file"] == ["Choose the file to upload"]
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="text", text="  ")
    assert "text" in _refusal(error)
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="video", text="An account")
    assert "kind" in _refusal(error)
    assert not Evidence.objects.exists()


def test_evidence_shows_at_least_one_ksb_of_the_standard(ps):
    with pytest.raises(ValidationError) as error:
        _add(ps, text="An account", ksbs=[])
    assert _refusal(error)["ksbs"] == ["Choose at least one KSB this evidence shows"]
    elsewhere = Ksb.objects.create(
        standard=Standard.objects.exclude(reference_code="ST0480").first(),
        code="K9",
        kind=KsbKind.KNOWLEDGE,
        number=9,
        description="Another standard's",
    )
    with pytest.raises(ValidationError) as error:
        _add(ps, text="An account", ksbs=[elsewhere.pk])
    assert "standard" in _refusal(error)["ksbs"][0]


def test_a_file_goes_through_the_upload_service_and_is_kept_with_its_metadata(ps, stored_files):
    item = _add(ps, kind="file", upload=text_file())
    assert item.file_name == "notes.txt"
    assert item.content_type.startswith("text/plain")
    assert item.size_bytes == len(b"Notes from the team meeting\n")
    assert len(item.sha256) == 64
    assert stored_files() == {item.storage_name.split("/")[-1]}


def test_a_refused_upload_names_the_file_field_and_stores_nothing(ps, stored_files):
    page = text_file("page.html", b"<!doctype html><script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        _add(ps, kind="file", upload=page)
    assert "looks like a script" in _refusal(error)["file"][0]
    with override_settings(UPLOAD_MAX_BYTES=10), pytest.raises(ValidationError) as error:
        _add(ps, kind="file", upload=text_file())
    assert _refusal(error)["file"][0].startswith("The selected file must be smaller than")
    assert not Evidence.objects.exists()
    assert stored_files() == set()


def test_the_stored_file_is_deleted_again_when_saving_fails(ps, stored_files, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(portfolio, "_record", fail)
    with pytest.raises(RuntimeError):
        _add(ps, kind="file", upload=text_file())
    assert not Evidence.objects.exists()
    assert stored_files() == set()


def test_only_the_apprentice_adds_evidence(ps):
    for actor in (ps.tutor, ps.provider, ps.employer, ps.line_manager):
        with pytest.raises(PermissionDenied):
            portfolio.add_evidence(
                actor=actor, enrolment=ps.enrolment, title="x", kind="text", text="y", ksbs=[1]
            )


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (EnrolmentStatus.AWAITING_COMMITMENT, "has not started"),
        (EnrolmentStatus.WITHDRAWN, "is withdrawn"),
        (EnrolmentStatus.COMPLETED, "is completed"),
        (EnrolmentStatus.IN_EPA, "is in end-point assessment"),
    ],
)
def test_the_portfolio_changes_only_while_the_apprenticeship_runs(ps, status, says):
    item = add_text(ps, "K1")
    ps.enrolment.status = status
    ps.enrolment.save(update_fields=["status"])
    with pytest.raises(ValidationError) as error:
        add_text(ps, "K1")
    assert says in error.value.messages[0]
    with pytest.raises(ValidationError):
        portfolio.check_evidence(actor=ps.tutor, evidence=item, decision="sign_off")


@pytest.mark.parametrize("status", [EnrolmentStatus.ON_BREAK, EnrolmentStatus.AT_GATEWAY])
def test_evidence_is_still_added_on_a_break_and_at_the_gateway(ps, status):
    ps.enrolment.status = status
    ps.enrolment.save(update_fields=["status"])
    assert add_text(ps, "K1").pk


def test_the_tutor_asks_for_more_with_a_note_and_an_edit_sends_it_back(ps):
    item = add_text(ps, "K1")
    with pytest.raises(ValidationError) as error:
        portfolio.check_evidence(actor=ps.tutor, evidence=item, decision="ask_for_more")
    assert _refusal(error)["note"] == ["Say what more the apprentice needs to show"]
    portfolio.check_evidence(
        actor=ps.tutor, evidence=item, decision="ask_for_more", note="Say what you decided"
    )
    item.refresh_from_db()
    assert (item.state, item.tutor_note, item.checked_by) == (
        CheckState.QUERIED,
        "Say what you decided",
        ps.tutor.person,
    )
    portfolio.edit_evidence(
        actor=ps.apprentice,
        evidence=item,
        title="Team meeting and the plan",
        kind="link",
        url="https://example.org/plan",
        ksbs=[ps.ksbs["K1"].pk, ps.ksbs["K2"].pk],
    )
    item.refresh_from_db()
    assert item.state == CheckState.AWAITING
    assert (item.kind, item.text, item.url) == ("link", "", "https://example.org/plan")
    assert item.ksbs.count() == 2


def test_a_programme_leader_of_the_provider_signs_off_and_then_it_never_changes(ps):
    item = add_text(ps, "K1")
    portfolio.check_evidence(actor=ps.provider, evidence=item, decision="sign_off")
    item.refresh_from_db()
    assert item.state == CheckState.ACCEPTED
    with pytest.raises(ValidationError) as error:
        portfolio.check_evidence(actor=ps.tutor, evidence=item, decision="sign_off")
    assert error.value.messages == ["This evidence has already been signed off"]
    with pytest.raises(ValidationError) as error:
        portfolio.edit_evidence(
            actor=ps.apprentice, evidence=item, title="New", kind="text", text="x", ksbs=[1]
        )
    assert "signed off" in error.value.messages[0]


def test_a_stale_copy_cannot_sign_off_what_was_just_signed_off(ps):
    item = add_text(ps, "K1")
    stale = Evidence.objects.select_related("enrolment__cohort__programme").get(pk=item.pk)
    portfolio.check_evidence(actor=ps.tutor, evidence=item, decision="sign_off")
    with pytest.raises(ValidationError):
        portfolio.check_evidence(
            actor=ps.provider, evidence=stale, decision="ask_for_more", note="More"
        )
    assert Evidence.objects.get(pk=item.pk).checked_by == ps.tutor.person


def test_only_the_tutor_and_the_providers_leaders_check_evidence(ps):
    item = add_text(ps, "K1")
    for actor in (ps.apprentice, ps.employer, ps.line_manager, ps.outsider):
        with pytest.raises(PermissionDenied):
            portfolio.check_evidence(actor=actor, evidence=item, decision="sign_off")


def test_replacing_a_file_deletes_the_old_one_once_saved(
    ps, stored_files, django_capture_on_commit_callbacks
):
    item = _add(ps, kind="file", upload=text_file())
    old = item.storage_name.split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        portfolio.edit_evidence(
            actor=ps.apprentice,
            evidence=item,
            title="Notes, corrected",
            kind="file",
            upload=text_file("notes-2.txt", b"Corrected notes\n"),
            ksbs=[ps.ksbs["K1"].pk],
        )
    item.refresh_from_db()
    assert item.file_name == "notes-2.txt"
    assert stored_files() == {item.storage_name.split("/")[-1]}
    assert old not in stored_files()


def test_an_edit_without_a_new_file_keeps_the_file(ps):
    item = _add(ps, kind="file", upload=text_file())
    portfolio.edit_evidence(
        actor=ps.apprentice, evidence=item, title="Renamed", kind="file", ksbs=[ps.ksbs["S1"].pk]
    )
    item.refresh_from_db()
    assert (item.title, item.file_name) == ("Renamed", "notes.txt")
    assert uploads.open_stored(item.storage_name).read() == b"Notes from the team meeting\n"


def test_coverage_counts_each_state_per_ksb_in_kind_order(ps, django_assert_num_queries):
    signed = add_text(ps, "K1", "S1")
    portfolio.check_evidence(actor=ps.tutor, evidence=signed, decision="sign_off")
    queried = add_text(ps, "S1", "B1")
    portfolio.check_evidence(
        actor=ps.tutor, evidence=queried, decision="ask_for_more", note="Which behaviour?"
    )
    add_text(ps, "B1")
    with django_assert_num_queries(2):
        rows = portfolio.coverage(ps.enrolment)
    found = {row.ksb.code: (row.signed_off, row.awaiting, row.queried, row.covered) for row in rows}
    assert [row.ksb.code for row in rows][:4] == ["K1", "K2", "S1", "B1"]
    assert found["K1"] == (1, 0, 0, True)
    assert found["K2"] == (0, 0, 0, False)
    assert found["S1"] == (1, 0, 1, True)
    assert found["B1"] == (0, 1, 1, False)
    summary = portfolio.summarise(rows)
    assert (summary.covered, summary.total) == (2, len(rows))
    assert [row.ksb.code for row in summary.gaps][:2] == ["K2", "B1"]
    assert not summary.complete
