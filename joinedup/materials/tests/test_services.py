"""The materials services: every rule and refusal, nothing stored on a refusal, the audit entry,
the search document after each write, lineage, publication, reuse, reports and hiding."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.learning.models import SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.lib import uploads
from joinedup.materials import services
from joinedup.materials.models import (
    ExtractionStatus,
    Licence,
    Material,
    MaterialKind,
    MaterialReport,
    ReportReason,
    ReportStatus,
)
from joinedup.materials.services import MaterialRefused
from joinedup.materials.tests.factories import MaterialReportFactory
from joinedup.materials.tests.service_helpers import (
    GUIDE_TEXT,
    counts,
    last_audit,
    ld_lead_at,
    new_material,
    private_folder,
    stored_files,
    text_file,
)
from joinedup.partnership import audit
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def files_root(settings, tmp_path):
    return private_folder(settings, tmp_path)


BAD_PDF = b"Not a PDF at all, only words."


def _personal_values(world) -> list[str]:
    people = world.people.values()
    return [value for p in people for value in (p.email, p.given_name, p.family_name)]


def assert_no_personal_data(event: AuditEvent, world) -> None:
    text = json.dumps(event.changes)
    for value in _personal_values(world):
        assert value not in text


def refused(call, field: str | None, words: str) -> MaterialRefused:
    with pytest.raises(MaterialRefused) as caught:
        call()
    assert caught.value.field == field
    assert words in caught.value.message
    return caught.value


# --- Creating a material ------------------------------------------------------------------------


def test_ld_lead_adds_a_file_material_whose_text_is_read_and_searchable(
    world, files_root, django_capture_on_commit_callbacks
):
    actor = world.actor("own_ld_lead")
    programme = ProgrammeFactory(host=world.own)
    with django_capture_on_commit_callbacks(execute=True):
        material = new_material(
            actor,
            upload=text_file(),
            topics=["Supervision", "Trauma informed practice", " "],
            programmes=[programme],
            authors=[(world.own_ld_lead, True), (world.own_staff, False)],
            change_note="",
        )
    material.refresh_from_db()
    version = material.current_version
    assert material.family_root_id == material.pk
    assert material.adapted_from_id is None
    assert version.number == 1
    assert version.change_note == "First version."
    assert version.file_name == "guide.txt"
    assert version.content_type.startswith("text/plain")
    assert version.size_bytes == len(GUIDE_TEXT.encode())
    assert (files_root / version.storage_name).read_text() == GUIDE_TEXT
    assert version.extraction_status == ExtractionStatus.DONE
    assert "trauma informed practice" in version.extracted_text
    assert material.search_document == (
        "A half-day session plan for supervisors.\n"
        "Supervision Trauma informed practice\n" + version.extracted_text
    )
    assert list(material.programmes.all()) == [programme]
    assert [(a.person, a.show_name_publicly) for a in material.authors.all()] == [
        (world.own_ld_lead, True),
        (world.own_staff, False),
    ]
    events = AuditEvent.objects.filter(object_kind="materials.Material", object_id=material.pk)
    assert [event.action for event in events] == ["material.created"]
    assert events[0].changes["authors"] == [
        [world.own_ld_lead.pk, True],
        [world.own_staff.pk, False],
    ]
    assert_no_personal_data(events[0], world)


def test_search_document_waits_for_the_text_until_the_task_has_read_it(world, files_root):
    material = new_material(world.actor("own_ld_lead"), upload=text_file())
    material.refresh_from_db()
    assert material.current_version.extraction_status == ExtractionStatus.PENDING
    assert material.search_document == "A half-day session plan for supervisors.\nSupervision"


def test_a_link_material_has_no_text_to_read(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        material = new_material(world.actor("own_admin"))
    assert callbacks == []
    version = material.current_version
    assert version.external_url == "https://learning.example.test/guide"
    assert version.storage_name == ""
    assert version.extraction_status == ExtractionStatus.NOT_APPLICABLE


@pytest.mark.parametrize("persona", ["own_staff", "own_levy_officer", "partner_staff"])
def test_only_creators_of_the_owner_add_materials(world, persona):
    before = counts()
    with pytest.raises(PermissionDenied):
        new_material(world.actor(persona))
    assert counts() == before


def test_nobody_adds_a_material_for_another_organisation(world):
    actor = world.actor("own_ld_lead")
    with pytest.raises(PermissionDenied):
        services.create_material(
            actor=actor,
            owner=world.partner,
            title="Guide",
            summary="",
            kind=MaterialKind.HANDOUT,
            licence=Licence.PARTNERSHIP,
            topics=[],
            programmes=[],
            authors=[],
            external_url="https://example.org/x",
        )


BAD_FIELDS = [
    ({"title": "  "}, "title", "Enter a title"),
    ({"title": "x" * 201}, "title", "200 characters or fewer"),
    ({"summary": "x" * 5001}, "summary", "5,000 characters or fewer"),
    ({"kind": "poster"}, "kind", "Select what kind"),
    ({"licence": "mit"}, "licence", "Select a licence"),
    ({"topics": ["x" * 101]}, "topics", "100 characters or fewer"),
    ({"topics": [f"Topic {n}" for n in range(21)]}, "topics", "no more than 20"),
    ({"external_url": "javascript:alert(1)"}, "external_url", "starts with https://"),
    ({"external_url": "https://example.org/" + "x" * 500}, "external_url", "500 characters"),
    ({"external_url": ""}, "upload", "Choose a file to upload or give a link"),
    ({"change_note": "x" * 2001}, "change_note", "2,000 characters or fewer"),
]


@pytest.mark.parametrize(("fields", "field", "words"), BAD_FIELDS)
def test_bad_details_are_refused_naming_the_field_and_nothing_is_written(
    world, files_root, fields, field, words
):
    before = counts()
    refused(lambda: new_material(world.actor("own_ld_lead"), **fields), field, words)
    assert counts() == before
    assert stored_files(files_root) == []


def test_a_file_and_a_link_together_are_refused_and_the_file_is_not_stored(world, files_root):
    before = counts()
    refused(
        lambda: new_material(
            world.actor("own_ld_lead"), upload=text_file(), external_url="https://example.org/"
        ),
        "upload",
        "not both",
    )
    assert counts() == before
    assert stored_files(files_root) == []


def test_a_refused_upload_stores_nothing(world, files_root):
    before = counts()
    error = refused(
        lambda: new_material(world.actor("own_ld_lead"), upload=text_file("x", "guide.pdf")),
        "upload",
        "",
    )
    assert error.message
    assert counts() == before
    assert stored_files(files_root) == []


def test_a_refused_detail_never_reads_or_stores_the_upload(world, files_root, monkeypatch):
    def must_not_check(upload):
        raise AssertionError("checked an upload of a refused request")

    monkeypatch.setattr(uploads, "check_upload", must_not_check)
    refused(
        lambda: new_material(world.actor("own_ld_lead"), upload=text_file(), title=""),
        "title",
        "Enter a title",
    )
    assert stored_files(files_root) == []


def test_a_failed_transaction_deletes_the_file_it_stored(world, files_root, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        new_material(world.actor("own_ld_lead"), upload=text_file())
    assert counts() == before
    assert stored_files(files_root) == []


def test_every_problem_is_reported_at_once(world):
    error = refused(
        lambda: new_material(world.actor("own_ld_lead"), title="", kind="poster"),
        "title",
        "Enter a title",
    )
    assert error.errors == {"title": "Enter a title", "kind": "Select what kind of material it is"}


def test_programmes_must_be_in_the_catalogue_the_actor_sees(world):
    hidden = ProgrammeFactory(host=world.partner, sharing_policy=SharingPolicy.OWN_ONLY)
    elsewhere = ProgrammeFactory(host=world.outsider_org)
    for programme in (hidden, elsewhere):
        before = counts()
        refused(
            lambda p=programme: new_material(world.actor("own_ld_lead"), programmes=[p]),
            "programmes",
            "catalogue you can see",
        )
        assert counts() == before
    shared = ProgrammeFactory(host=world.partner)
    material = new_material(world.actor("own_ld_lead"), programmes=[shared.pk])
    assert list(material.programmes.all()) == [shared]


def test_authors_are_the_owners_staff_credited_once(world):
    actor = world.actor("own_ld_lead")
    refused(
        lambda: new_material(actor, authors=[(world.partner_staff, False)]),
        "authors",
        "is not on the staff of London Borough of Barnet",
    )
    refused(
        lambda: new_material(actor, authors=[(world.own_staff, False), (world.own_staff, False)]),
        "authors",
        "Credit each author once",
    )
    assert Material.objects.count() == 0


def test_only_the_author_chooses_to_show_their_name_publicly(world):
    before = counts()
    refused(
        lambda: new_material(world.actor("own_ld_lead"), authors=[(world.own_staff, True)]),
        "authors",
        "can choose to show their name publicly",
    )
    assert counts() == before


def test_topics_are_made_once_and_shared(world):
    first = new_material(world.actor("own_ld_lead"), topics=["Supervision", "Coaching"])
    second = new_material(world.actor("own_ld_lead"), topics=["Coaching"])
    assert first.topics.get(name="Coaching") == second.topics.get()


# --- New versions -------------------------------------------------------------------------------


def test_a_new_version_becomes_current_and_earlier_ones_stay(
    world, files_root, django_capture_on_commit_callbacks
):
    ld_lead = world.actor("own_ld_lead")
    with django_capture_on_commit_callbacks(execute=True):
        material = new_material(ld_lead, upload=text_file())
        first = material.current_version
        second = services.add_version(
            actor=ld_lead,
            material=material,
            upload=text_file("Version two covers restorative practice.", "guide-2.txt"),
            change_note="Adds restorative practice.",
        )
    material.refresh_from_db()
    second.refresh_from_db()
    assert material.current_version == second
    assert second.number == 2
    assert second.extraction_status == ExtractionStatus.DONE
    assert list(material.versions.order_by("number")) == [first, second]
    assert len(stored_files(files_root)) == 2
    assert "restorative practice" in material.search_document
    assert "trauma informed" not in material.search_document
    event = AuditEvent.objects.get(action="material.version_added")
    assert event.changes["number"] == 2


def test_a_credited_author_adds_a_link_version_and_the_old_text_leaves_the_search_document(
    world, files_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        material = new_material(
            world.actor("own_ld_lead"),
            upload=text_file(),
            authors=[(world.own_staff, False)],
        )
    services.add_version(
        actor=world.actor("own_staff"),
        material=material,
        external_url="https://video.example.test/guide",
        change_note="Now a video.",
    )
    material.refresh_from_db()
    assert material.current_version.is_link
    assert material.search_document == "A half-day session plan for supervisors.\nSupervision"


@pytest.mark.parametrize("persona", ["own_staff", "partner_ld_lead", "partnership_lead"])
def test_only_editors_add_versions(world, persona):
    material = new_material(world.actor("own_ld_lead"))
    before = counts()
    with pytest.raises(PermissionDenied):
        services.add_version(
            actor=world.actor(persona),
            material=material,
            external_url="https://example.org/2",
            change_note="x",
        )
    assert counts() == before


def test_a_version_needs_a_change_note_and_a_good_upload(world, files_root):
    material = new_material(world.actor("own_ld_lead"))
    before = counts()
    refused(
        lambda: services.add_version(
            actor=world.actor("own_ld_lead"),
            material=material,
            upload=text_file(),
            change_note=" ",
        ),
        "change_note",
        "Enter a change note",
    )
    refused(
        lambda: services.add_version(
            actor=world.actor("own_ld_lead"),
            material=material,
            upload=text_file(BAD_PDF.decode(), "guide.pdf"),
            change_note="Fixed",
        ),
        "upload",
        "",
    )
    assert counts() == before
    assert stored_files(files_root) == []
    material.refresh_from_db()
    assert material.current_version.number == 1


def test_a_new_version_withdraws_open_publication_until_confirmed_again(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.CC_BY_4)
    services.publish_openly(
        actor=actor, material=material, licence_confirmed=True, content_confirmed=True
    )
    services.add_version(
        actor=actor, material=material, external_url="https://example.org/2", change_note="New"
    )
    material.refresh_from_db()
    assert material.published_openly_at is None
    assert last_audit().changes["open_publication_withdrawn"] is True


# --- Changing the details -----------------------------------------------------------------------


def test_update_changes_details_and_keeps_the_search_document(
    world, files_root, django_capture_on_commit_callbacks
):
    actor = world.actor("own_ld_lead")
    with django_capture_on_commit_callbacks(execute=True):
        material = new_material(actor, upload=text_file())
    material.refresh_from_db()
    text = material.current_version.extracted_text
    assert text
    services.update_material(
        actor=actor,
        material=material,
        title="Supervision guide",
        summary="For new supervisors.",
        topics=["Coaching"],
    )
    material.refresh_from_db()
    assert material.title == "Supervision guide"
    assert material.search_document == "For new supervisors.\nCoaching\n" + text
    event = last_audit()
    assert event.action == "material.updated"
    assert event.changes == {
        "title": "Supervision guide",
        "summary": True,
        "topics": ["Coaching"],
        "open_publication_withdrawn": False,
    }


def test_an_update_that_changes_nothing_writes_nothing(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor)
    before = counts()
    services.update_material(
        actor=actor,
        material=material,
        title=material.title,
        summary=material.summary,
        kind=material.kind,
        licence=material.licence,
        topics=["Supervision"],
        programmes=[],
        authors=[],
    )
    assert counts() == before


def test_a_licence_that_is_not_open_withdraws_open_publication(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.OGL_3)
    services.publish_openly(
        actor=actor, material=material, licence_confirmed=True, content_confirmed=True
    )
    services.update_material(actor=actor, material=material, licence=Licence.PARTNERSHIP)
    material.refresh_from_db()
    assert material.published_openly_at is None
    assert last_audit().changes == {"licence": "partnership", "open_publication_withdrawn": True}


def test_another_open_licence_keeps_open_publication(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.OGL_3)
    services.publish_openly(
        actor=actor, material=material, licence_confirmed=True, content_confirmed=True
    )
    services.update_material(actor=actor, material=material, licence=Licence.CC_BY_4)
    material.refresh_from_db()
    assert material.published_openly_at is not None


def test_an_adaptations_licence_still_follows_its_source(world):
    source = new_material(world.actor("own_ld_lead"), licence=Licence.CC_BY_SA_4)
    adaptation = _adapt(world, source.current_version, licence=Licence.CC_BY_SA_4)
    before = counts()
    refused(
        lambda: services.update_material(
            actor=world.actor("partner_ld_lead"), material=adaptation, licence=Licence.OGL_3
        ),
        "licence",
        "ShareAlike",
    )
    assert counts() == before


def test_the_author_may_show_their_own_name_and_an_editor_may_hide_it(world):
    ld_lead = world.actor("own_ld_lead")
    material = new_material(ld_lead, authors=[(world.own_staff, False)])
    refused(
        lambda: services.update_material(
            actor=ld_lead, material=material, authors=[(world.own_staff, True)]
        ),
        "authors",
        "can choose",
    )
    services.update_material(
        actor=world.actor("own_staff"), material=material, authors=[(world.own_staff, True)]
    )
    assert material.authors.get().show_name_publicly is True
    services.update_material(actor=ld_lead, material=material, authors=[(world.own_staff, True)])
    services.update_material(actor=ld_lead, material=material, authors=[(world.own_staff, False)])
    assert material.authors.get().show_name_publicly is False


def test_an_author_who_left_and_a_programme_no_longer_shared_stay_on_an_edit(world):
    actor = world.actor("own_ld_lead")
    programme = ProgrammeFactory(host=world.partner)
    material = new_material(actor, authors=[(world.own_staff, False)], programmes=[programme])
    world.employments["own_staff"].end_date = timezone.localdate() - dt.timedelta(days=1)
    world.employments["own_staff"].save()
    programme.sharing_policy = SharingPolicy.OWN_ONLY
    programme.save()
    services.update_material(actor=actor, material=material, title="Renamed")
    material.refresh_from_db()
    assert material.title == "Renamed"
    assert [a.person for a in material.authors.all()] == [world.own_staff]
    assert list(material.programmes.all()) == [programme]
    other = ProgrammeFactory(host=world.partner, sharing_policy=SharingPolicy.OWN_ONLY)
    refused(
        lambda: services.update_material(
            actor=actor, material=material, programmes=[programme, other]
        ),
        "programmes",
        "catalogue you can see",
    )


@pytest.mark.parametrize("persona", ["own_staff", "partner_ld_lead", "outsider"])
def test_only_editors_change_details(world, persona):
    material = new_material(world.actor("own_ld_lead"))
    with pytest.raises(PermissionDenied):
        services.update_material(actor=world.actor(persona), material=material, title="Mine")
    material.refresh_from_db()
    assert material.title != "Mine"


# --- Adapting -----------------------------------------------------------------------------------


def _adapt(world, version, persona: str = "partner_ld_lead", **fields):
    actor = world.actor(persona)
    values = {
        "title": "Supervision guide (adapted)",
        "summary": "Adapted for ward managers.",
        "licence": Licence.PARTNERSHIP,
        "kind": MaterialKind.FACILITATOR_GUIDE,
        "topics": ["Supervision"],
        "programmes": [],
        "authors": [],
    }
    values.update(fields)
    return services.adapt_material(
        actor=actor, source_version=version, owner=actor.organisation, **values
    )


def test_an_adaptation_records_the_exact_version_and_shares_its_file(
    world, files_root, django_capture_on_commit_callbacks
):
    ld_lead = world.actor("own_ld_lead")
    with django_capture_on_commit_callbacks(execute=True):
        source = new_material(ld_lead, upload=text_file(), licence=Licence.CC_BY_4)
        first = source.current_version
        services.add_version(
            actor=ld_lead, material=source, external_url="https://example.org/2", change_note="2"
        )
        adaptation = _adapt(world, first, authors=[(world.partner_ld_lead, True)])
    adaptation.refresh_from_db()
    first.refresh_from_db()
    assert first.extracted_text
    assert adaptation.owner == world.partner
    assert adaptation.adapted_from == first
    assert adaptation.family_root == source
    version = adaptation.current_version
    assert version.number == 1
    assert version.storage_name == first.storage_name
    assert version.sha256 == first.sha256
    assert version.extracted_text == first.extracted_text
    assert version.change_note == f"Adapted from {source.title}, version 1."
    assert len(stored_files(files_root)) == 1
    assert adaptation.search_document == (
        "Adapted for ward managers.\nSupervision\n" + first.extracted_text
    )
    event = AuditEvent.objects.get(action="material.adapted")
    assert event.changes["source_version"] == first.pk
    assert event.changes["source_owner"] == world.own.pk
    assert event.organisation == world.partner
    assert_no_personal_data(event, world)


def test_a_third_generation_keeps_the_original_as_family_root(world):
    original = new_material(world.actor("own_ld_lead"), licence=Licence.OGL_3)
    child = _adapt(world, original.current_version, licence=Licence.CC_BY_4)
    icb_lead = ld_lead_at(world.icb, "ivy.learning@icb.test")
    grandchild = services.adapt_material(
        actor=icb_lead,
        source_version=child.current_version,
        owner=world.icb,
        title="ICB guide",
        summary="",
        licence=Licence.PARTNERSHIP,
        kind=MaterialKind.HANDOUT,
        topics=[],
        programmes=[],
        authors=[],
    )
    assert grandchild.family_root == original
    assert grandchild.adapted_from == child.current_version


def test_an_adaptation_with_its_own_upload_reads_its_own_text(
    world, files_root, django_capture_on_commit_callbacks
):
    source = new_material(world.actor("own_ld_lead"))
    with django_capture_on_commit_callbacks(execute=True):
        adaptation = _adapt(
            world,
            source.current_version,
            upload=text_file("Ward huddle version.", "huddle.txt"),
            change_note="Shortened for huddles.",
        )
    adaptation.refresh_from_db()
    assert adaptation.current_version.storage_name
    assert adaptation.current_version.change_note == "Shortened for huddles."
    assert adaptation.search_document.endswith("Ward huddle version.")


def test_an_adaptation_of_a_link_keeps_the_link(world):
    source = new_material(world.actor("own_ld_lead"))
    adaptation = _adapt(world, source.current_version)
    assert adaptation.current_version.external_url == "https://learning.example.test/guide"


def test_an_adaptation_of_a_file_still_being_read_reads_it_too(world, files_root):
    source = new_material(world.actor("own_ld_lead"), upload=text_file())
    adaptation = _adapt(world, source.current_version)
    assert adaptation.current_version.extraction_status == ExtractionStatus.PENDING


LICENCE_REFUSALS = [
    (Licence.CC_BY_SA_4, Licence.CC_BY_4, "ShareAlike"),
    (Licence.CC_BY_SA_4, Licence.PARTNERSHIP, "ShareAlike"),
    (Licence.CC_BY_NC_4, Licence.OGL_3, "non-commercial"),
    (Licence.PARTNERSHIP, Licence.CC_BY_4, "members only or narrower"),
]


@pytest.mark.parametrize(("source_licence", "chosen", "words"), LICENCE_REFUSALS)
def test_an_adaptations_licence_must_follow_its_source(
    world, files_root, source_licence, chosen, words
):
    source = new_material(world.actor("own_ld_lead"), licence=source_licence)
    before = counts()
    refused(
        lambda: _adapt(world, source.current_version, licence=chosen, upload=text_file()),
        "licence",
        words,
    )
    assert counts() == before
    assert stored_files(files_root) == []


@pytest.mark.parametrize(
    ("source_licence", "chosen"),
    [
        (Licence.CC_BY_SA_4, Licence.CC_BY_SA_4),
        (Licence.CC_BY_NC_4, Licence.PARTNERSHIP),
        (Licence.PARTNERSHIP, Licence.OWNER_ONLY),
        (Licence.OGL_3, Licence.CC_BY_NC_4),
    ],
)
def test_an_adaptation_may_take_a_licence_its_source_allows(world, source_licence, chosen):
    source = new_material(world.actor("own_ld_lead"), licence=source_licence)
    assert _adapt(world, source.current_version, licence=chosen).licence == chosen


def test_an_owner_only_material_is_adapted_only_inside_the_owner(world):
    source = new_material(world.actor("own_ld_lead"), licence=Licence.OWNER_ONLY)
    before = counts()
    with pytest.raises(PermissionDenied):
        _adapt(world, source.current_version, licence=Licence.OWNER_ONLY)
    assert counts() == before
    refused(
        lambda: _adapt(world, source.current_version, "own_ld_lead", licence=Licence.PARTNERSHIP),
        "licence",
        "must stay owner organisation only",
    )
    inside = _adapt(world, source.current_version, "own_ld_lead", licence=Licence.OWNER_ONLY)
    assert inside.owner == world.own


def test_nobody_adapts_for_another_organisation_or_what_they_cannot_see(world):
    source = new_material(world.actor("own_ld_lead"))
    before = counts()
    with pytest.raises(PermissionDenied):
        services.adapt_material(
            actor=world.actor("partner_ld_lead"),
            source_version=source.current_version,
            owner=world.own,
            title="x",
            summary="",
            licence=Licence.PARTNERSHIP,
            kind=MaterialKind.HANDOUT,
            topics=[],
            programmes=[],
            authors=[],
        )
    outsider_lead = ld_lead_at(world.outsider_org, "olly.learning@manchester.test")
    with pytest.raises(PermissionDenied):
        services.adapt_material(
            actor=outsider_lead,
            source_version=source.current_version,
            owner=world.outsider_org,
            title="x",
            summary="",
            licence=Licence.PARTNERSHIP,
            kind=MaterialKind.HANDOUT,
            topics=[],
            programmes=[],
            authors=[],
        )
    with pytest.raises(PermissionDenied):
        _adapt(world, source.current_version, "partner_staff")
    assert counts() == before


def test_a_hidden_material_is_not_adapted(world):
    source = new_material(world.actor("own_ld_lead"))
    services.hide_material(actor=world.actor("own_ld_lead"), material=source, reason="Wrong")
    before = counts()
    with pytest.raises(PermissionDenied):
        _adapt(world, source.current_version)
    assert counts() == before


# --- Publishing openly --------------------------------------------------------------------------


def test_the_owners_ld_lead_publishes_an_openly_licensed_material(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.CC_BY_4)
    services.publish_openly(
        actor=actor, material=material, licence_confirmed=True, content_confirmed=True
    )
    material.refresh_from_db()
    assert material.is_published_openly
    assert material.published_openly_by == world.own_ld_lead
    event = last_audit()
    assert event.action == "material.published_openly"
    assert event.changes["licence_confirmed"] is True
    assert event.changes["content_confirmed"] is True


@pytest.mark.parametrize(
    ("licence_confirmed", "content_confirmed", "field"),
    [(False, True, "licence_confirmed"), (True, False, "content_confirmed")],
)
def test_publishing_openly_needs_both_confirmations(
    world, licence_confirmed, content_confirmed, field
):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.OGL_3)
    before = counts()
    refused(
        lambda: services.publish_openly(
            actor=actor,
            material=material,
            licence_confirmed=licence_confirmed,
            content_confirmed=content_confirmed,
        ),
        field,
        "Confirm",
    )
    assert counts() == before
    material.refresh_from_db()
    assert not material.is_published_openly


@pytest.mark.parametrize("licence", [Licence.PARTNERSHIP, Licence.OWNER_ONLY])
def test_only_open_licences_are_published_openly(world, licence):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=licence)
    refused(
        lambda: services.publish_openly(
            actor=actor, material=material, licence_confirmed=True, content_confirmed=True
        ),
        "licence",
        "Only a material under an open licence",
    )
    material.refresh_from_db()
    assert not material.is_published_openly


def test_a_published_or_hidden_material_is_not_published_again(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.OGL_3)
    publish = lambda: services.publish_openly(  # noqa: E731
        actor=actor, material=material, licence_confirmed=True, content_confirmed=True
    )
    publish()
    refused(publish, None, "already published openly")
    services.withdraw_open_publication(actor=actor, material=material)
    services.hide_material(actor=actor, material=material, reason="Error on slide 4")
    refused(publish, None, "hidden")


@pytest.mark.parametrize(
    "persona", ["own_admin", "own_staff", "partner_ld_lead", "partnership_lead"]
)
def test_only_the_owners_ld_lead_publishes_or_withdraws(world, persona):
    material = new_material(world.actor("own_ld_lead"), licence=Licence.OGL_3)
    with pytest.raises(PermissionDenied):
        services.publish_openly(
            actor=world.actor(persona),
            material=material,
            licence_confirmed=True,
            content_confirmed=True,
        )
    services.publish_openly(
        actor=world.actor("own_ld_lead"),
        material=material,
        licence_confirmed=True,
        content_confirmed=True,
    )
    with pytest.raises(PermissionDenied):
        services.withdraw_open_publication(actor=world.actor(persona), material=material)
    material.refresh_from_db()
    assert material.is_published_openly


def test_withdrawing_takes_a_material_off_the_public_pages(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor, licence=Licence.OGL_3)
    refused(
        lambda: services.withdraw_open_publication(actor=actor, material=material),
        None,
        "not published openly",
    )
    services.publish_openly(
        actor=actor, material=material, licence_confirmed=True, content_confirmed=True
    )
    services.withdraw_open_publication(actor=actor, material=material)
    material.refresh_from_db()
    assert material.published_openly_at is None
    assert last_audit().action == "material.open_publication_withdrawn"


# --- Reuse --------------------------------------------------------------------------------------


def _reuse(world, material, persona: str = "partner_ld_lead", **fields):
    actor = world.actor(persona)
    values = {
        "used_on": timezone.localdate() - dt.timedelta(days=3),
        "context": "Ward managers' away day",
        "learners_reached": 18,
        "hours_saved": "12.5",
        "cost_saved": "900.50",
    }
    values.update(fields)
    return services.record_reuse(
        actor=actor, material=material, organisation=actor.organisation, **values
    )


def test_a_partner_records_its_reuse_with_the_savings(world):
    material = new_material(world.actor("own_ld_lead"))
    reuse = _reuse(world, material)
    reuse.refresh_from_db()
    assert reuse.organisation == world.partner
    assert reuse.version == material.current_version
    assert reuse.learners_reached == 18
    assert reuse.hours_saved == Decimal("12.5")
    assert reuse.cost_saved == Decimal("900.50")
    assert reuse.recorded_by == world.partner_ld_lead
    event = last_audit()
    assert event.action == "material.reuse_recorded"
    assert event.changes["cost_saved"] == "900.50"
    assert event.changes["owner"] == world.own.pk
    assert event.organisation == world.partner


def test_a_reuse_on_a_run_the_partner_sees_needs_no_words(world):
    material = new_material(world.actor("own_ld_lead"))
    run = RunFactory(programme__host=world.partner)
    reuse = _reuse(world, material, run=run, context="")
    assert reuse.run == run
    shared = RunFactory(programme__host=world.own)
    assert _reuse(world, material, run=shared, context="").run == shared


def test_a_reuse_on_a_run_the_partner_cannot_see_is_refused(world):
    material = new_material(world.actor("own_ld_lead"))
    own_only = RunFactory(
        programme__host=world.own, programme__sharing_policy=SharingPolicy.OWN_ONLY
    )
    elsewhere = RunFactory(programme__host=world.outsider_org)
    for run in (own_only, elsewhere):
        before = counts()
        refused(lambda r=run: _reuse(world, material, run=r), "run", "Choose a run")
        assert counts() == before


def _today():
    return timezone.localdate()


REUSE_REFUSALS = [
    ({"used_on": None}, "used_on", "Enter the date"),
    ({"used_on": "2026-01-01"}, "used_on", "Enter the date"),
    ({"used_on": "tomorrow"}, "used_on", "Enter the date"),
    ({"used_on": dt.datetime(2026, 1, 1, 9, 0)}, "used_on", "Enter the date"),
    ({"used_on": dt.date(1999, 12, 31)}, "used_on", "2000 or later"),
    ({"context": ""}, "context", "Choose the run you used it on"),
    ({"context": "x" * 301}, "context", "300 characters or fewer"),
    ({"learners_reached": -1}, "learners_reached", "0 or more"),
    ({"learners_reached": "12.5"}, "learners_reached", "whole number"),
    ({"learners_reached": True}, "learners_reached", "0 or more"),
    ({"learners_reached": 100_001}, "learners_reached", "100,000 or fewer"),
    ({"hours_saved": "-1"}, "hours_saved", "0 or more"),
    ({"hours_saved": "1.25"}, "hours_saved", "no more than 1 decimal place"),
    ({"hours_saved": "lots"}, "hours_saved", "must be a number"),
    ({"hours_saved": "NaN"}, "hours_saved", "must be a number"),
    ({"hours_saved": "100000.1"}, "hours_saved", "100,000 or less"),
    ({"cost_saved": "-0.01"}, "cost_saved", "0 or more"),
    ({"cost_saved": "10.001"}, "cost_saved", "no more than 2 decimal places"),
    ({"cost_saved": "Infinity"}, "cost_saved", "must be a number"),
    ({"cost_saved": 12.5}, "cost_saved", "must be a number"),
    ({"cost_saved": "10000000.01"}, "cost_saved", "10,000,000 or less"),
]


@pytest.mark.parametrize(("fields", "field", "words"), REUSE_REFUSALS)
def test_bad_reuse_is_refused_naming_the_field_and_nothing_is_written(world, fields, field, words):
    material = new_material(world.actor("own_ld_lead"))
    before = counts()
    refused(lambda: _reuse(world, material, **fields), field, words)
    assert counts() == before


def test_a_reuse_in_the_future_is_refused(world):
    material = new_material(world.actor("own_ld_lead"))
    refused(
        lambda: _reuse(world, material, used_on=_today() + dt.timedelta(days=1)),
        "used_on",
        "today or in the past",
    )
    assert _reuse(world, material, used_on=_today()).used_on == _today()


def test_an_organisation_does_not_record_reuse_of_its_own_material(world):
    material = new_material(world.actor("own_ld_lead"))
    before = counts()
    refused(lambda: _reuse(world, material, "own_ld_lead"), None, "own material")
    assert counts() == before


@pytest.mark.parametrize("persona", ["partner_staff", "partner_admin", "outsider"])
def test_only_ld_leads_and_programme_leaders_who_see_it_record_reuse(world, persona):
    material = new_material(world.actor("own_ld_lead"))
    before = counts()
    with pytest.raises(PermissionDenied):
        _reuse(world, material, persona)
    outsider_lead = ld_lead_at(world.outsider_org, "olly.learning@manchester.test")
    with pytest.raises(PermissionDenied):
        services.record_reuse(
            actor=outsider_lead,
            material=material,
            organisation=world.outsider_org,
            used_on=_today(),
            context="x",
            learners_reached=1,
            hours_saved="1",
            cost_saved="1",
        )
    assert counts() == before


def test_reuse_is_recorded_only_for_the_acting_organisation(world):
    material = new_material(world.actor("own_ld_lead"))
    with pytest.raises(PermissionDenied):
        services.record_reuse(
            actor=world.actor("partner_ld_lead"),
            material=material,
            organisation=world.icb,
            used_on=_today(),
            context="x",
            learners_reached=1,
            hours_saved="1",
            cost_saved="1",
        )


# --- Reports, hiding and dismissing -------------------------------------------------------------


def test_a_report_reaches_the_owners_ld_leads_and_the_partnership_lead(
    world, django_capture_on_commit_callbacks
):
    material = new_material(world.actor("own_ld_lead"))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_material(
            actor=world.actor("partner_staff"),
            material=material,
            reason=ReportReason.ERROR,
            details="Slide 4 gives the old safeguarding number.",
        )
    assert report.status == ReportStatus.OPEN
    assert report.reporter_organisation == world.partner
    assert sorted(message.to[0] for message in mail.outbox) == [
        world.own_ld_lead.email,
        world.partnership_lead.email,
    ]
    message = mail.outbox[0]
    assert material.title in message.subject
    assert "Slide 4 gives the old safeguarding number." in message.body
    assert world.partner.name in message.body
    assert world.partner_staff.family_name not in message.body
    assert f"/materials/{material.pk}/" in message.body
    assert "/materials/reports/" in message.body
    event = last_audit()
    assert event.action == "material.reported"
    assert event.changes == {"material": material.pk, "reason": "error"}


def test_a_refused_report_writes_and_sends_nothing(world, django_capture_on_commit_callbacks):
    material = new_material(world.actor("own_ld_lead"))
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: services.report_material(
                actor=world.actor("partner_staff"), material=material, reason="spam", details="x"
            ),
            "reason",
            "Select why",
        )
        refused(
            lambda: services.report_material(
                actor=world.actor("partner_staff"),
                material=material,
                reason=ReportReason.HARM,
                details=" ",
            ),
            "details",
            "Enter what is wrong",
        )
        with pytest.raises(PermissionDenied):
            services.report_material(
                actor=world.actor("outsider"),
                material=material,
                reason=ReportReason.HARM,
                details="x",
            )
    assert counts() == before
    assert mail.outbox == []


def test_the_partnership_lead_hides_a_reported_material_and_closes_its_reports(world):
    material = new_material(world.actor("own_ld_lead"))
    report = MaterialReportFactory(material=material)
    other = MaterialReportFactory(material=material, reason=ReportReason.HARM)
    services.hide_material(
        actor=world.actor("partnership_lead"),
        material=material,
        reason="Breaches the source's licence.",
        report=report,
    )
    material.refresh_from_db()
    assert material.is_hidden
    assert material.hidden_by == world.partnership_lead
    assert material.hidden_reason == "Breaches the source's licence."
    for row in (report, other):
        row.refresh_from_db()
        assert row.status == ReportStatus.HIDDEN
        assert row.resolved_by == world.partnership_lead
    event = last_audit()
    assert event.action == "material.hidden"
    assert event.changes == {
        "reason": "Breaches the source's licence.",
        "report": report.pk,
        "reports_closed": sorted([report.pk, other.pk]),
    }


def test_hiding_needs_a_reason_and_a_shown_material(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor)
    elsewhere = MaterialReportFactory(material=new_material(actor))
    before = counts()
    refused(
        lambda: services.hide_material(actor=actor, material=material, reason=""),
        "reason",
        "Enter why you are hiding it",
    )
    refused(
        lambda: services.hide_material(
            actor=actor, material=material, reason="x", report=elsewhere
        ),
        "report",
        "another material",
    )
    assert counts() == before
    services.hide_material(actor=actor, material=material, reason="Out of date")
    refused(
        lambda: services.hide_material(actor=actor, material=material, reason="Again"),
        None,
        "already hidden",
    )


@pytest.mark.parametrize("persona", ["own_staff", "partner_ld_lead", "partner_staff", "outsider"])
def test_only_the_owners_keepers_and_the_partnership_lead_hide(world, persona):
    material = new_material(world.actor("own_ld_lead"))
    with pytest.raises(PermissionDenied):
        services.hide_material(actor=world.actor(persona), material=material, reason="x")
    report = MaterialReportFactory(material=material)
    with pytest.raises(PermissionDenied):
        services.dismiss_report(actor=world.actor(persona), report=report, note="x")
    material.refresh_from_db()
    assert not material.is_hidden


def test_unhiding_shows_the_material_again_and_the_audit_keeps_the_reason(world):
    actor = world.actor("own_admin")
    material = new_material(world.actor("own_ld_lead"))
    refused(lambda: services.unhide_material(actor=actor, material=material), None, "not hidden")
    services.hide_material(actor=actor, material=material, reason="Checking the licence")
    services.unhide_material(actor=actor, material=material)
    material.refresh_from_db()
    assert not material.is_hidden
    assert material.hidden_reason == ""
    actions = list(
        AuditEvent.objects.filter(object_kind="materials.Material", object_id=material.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["material.created", "material.hidden", "material.unhidden"]
    with pytest.raises(PermissionDenied):
        services.unhide_material(actor=world.actor("partner_ld_lead"), material=material)


def test_dismissing_a_report_closes_it_with_a_note(world):
    material = new_material(world.actor("own_ld_lead"))
    report = MaterialReportFactory(material=material)
    actor = world.actor("partnership_lead")
    refused(
        lambda: services.dismiss_report(actor=actor, report=report, note=" "),
        "note",
        "Enter why you are dismissing it",
    )
    services.dismiss_report(actor=actor, report=report, note="The number is still right.")
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert report.resolution_note == "The number is still right."
    assert last_audit().action == "material_report.dismissed"
    refused(
        lambda: services.dismiss_report(actor=actor, report=report, note="Again"),
        None,
        "already been dealt with",
    )
    material.refresh_from_db()
    assert not material.is_hidden
    assert MaterialReport.objects.get(pk=report.pk).status == ReportStatus.DISMISSED


# --- One audit entry per write ------------------------------------------------------------------


def test_every_write_adds_exactly_one_audit_entry(world):
    ld_lead, partner = world.actor("own_ld_lead"), world.actor("partner_ld_lead")

    def one_entry(call):
        before = AuditEvent.objects.count()
        result = call()
        assert AuditEvent.objects.count() == before + 1
        return result

    material = one_entry(lambda: new_material(ld_lead, licence=Licence.CC_BY_4))
    one_entry(
        lambda: services.add_version(
            actor=ld_lead, material=material, external_url="https://example.org/2", change_note="2"
        )
    )
    one_entry(lambda: services.update_material(actor=ld_lead, material=material, title="New"))
    one_entry(
        lambda: services.publish_openly(
            actor=ld_lead, material=material, licence_confirmed=True, content_confirmed=True
        )
    )
    one_entry(lambda: services.withdraw_open_publication(actor=ld_lead, material=material))
    one_entry(lambda: _adapt(world, material.current_version))
    one_entry(lambda: _reuse(world, material))
    report = one_entry(
        lambda: services.report_material(
            actor=partner, material=material, reason=ReportReason.ERROR, details="Typo"
        )
    )
    one_entry(lambda: services.dismiss_report(actor=ld_lead, report=report, note="Fixed"))
    one_entry(lambda: services.hide_material(actor=ld_lead, material=material, reason="Old"))
    one_entry(lambda: services.unhide_material(actor=ld_lead, material=material))
