"""Standards services: editing a standard's details and adding, changing and removing KSBs, by
programme leaders and L&D leads only, each refusal naming its field, one audit entry per change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.apprenticeships import standards
from joinedup.apprenticeships.models import Ksb, KsbKind, Standard
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, OrganisationRole
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

DETAILS = {
    "level": 7,
    "version": "1.1",
    "typical_duration_months": 24,
    "funding_band": "14000",
    "off_the_job_hours": 400,
    "assessment_methods": "Project with presentation; professional discussion",
    "grades": "fail, pass, distinction",
    "source": "IfATE, 2025",
}


@pytest.fixture
def standard(db) -> Standard:
    return Standard.objects.create(reference_code="ZZ0001", title="Test standard", level=5)


def programme_leader(world) -> Actor:
    """A programme leader of the partner trust (made here, whatever personas the world has)."""
    employment = EmploymentFactory(organisation=world.partner)
    OrganisationRoleFactory(
        person=employment.person,
        organisation=world.partner,
        role=OrganisationRole.PROGRAMME_LEADER,
    )
    return Actor(person=employment.person, organisation=world.partner)


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_ld_lead_changes_a_standards_details_with_one_audit_entry(world, standard):
    standards.update_standard(actor=world.actor("own_ld_lead"), standard=standard, **DETAILS)

    standard.refresh_from_db()
    assert standard.level == 7
    assert standard.funding_band == Decimal("14000")
    assert standard.off_the_job_hours == 400
    event = AuditEvent.objects.get(action="standard.changed")
    assert event.object_id == str(standard.pk)
    assert event.changes["level"] == [5, 7]
    assert event.changes["funding_band"] == [None, "14000.00"]


def test_programme_leader_may_edit_standards(world, standard):
    standards.update_standard(actor=programme_leader(world), standard=standard, **DETAILS)

    assert Standard.objects.get(pk=standard.pk).version == "1.1"


def test_saving_the_same_details_again_writes_no_audit_entry(world, standard):
    actor = world.actor("own_ld_lead")
    standards.update_standard(actor=actor, standard=standard, **DETAILS)
    standards.update_standard(actor=actor, standard=standard, **DETAILS)

    assert AuditEvent.objects.filter(action="standard.changed").count() == 1


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "partnership_lead", "outsider"])
def test_people_without_the_role_may_not_edit(world, standard, persona):
    with pytest.raises(PermissionDenied):
        standards.update_standard(actor=world.actor(persona), standard=standard, **DETAILS)
    with pytest.raises(PermissionDenied):
        standards.add_ksb(actor=world.actor(persona), standard=standard, code="K1", description="x")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level", 1, "Level must be between 2 and 7"),
        ("level", 8, "Level must be between 2 and 7"),
        ("level", "seven", "Level must be a whole number"),
        ("funding_band", "0", "Funding band must be more than £0"),
        ("funding_band", "-5", "Funding band must be more than £0"),
        ("funding_band", "lots", "Funding band must be an amount in pounds"),
        ("funding_band", "12.345", "pounds and pence"),
        ("typical_duration_months", 0, "Typical duration must be between 1 and 120"),
        ("off_the_job_hours", "-1", "Off-the-job hours must be between 1 and 10,000"),
        ("version", "", "Enter the version, like 1.0"),
        ("grades", "x" * 201, "Grades must be 200 characters or fewer"),
        ("source", "bad\x00", "Remove the control characters from source"),
    ],
)
def test_bad_details_are_refused_naming_the_field(world, standard, field, value, message):
    details = {**DETAILS, field: value}

    errors = refusal(
        lambda: standards.update_standard(
            actor=world.actor("own_ld_lead"), standard=standard, **details
        )
    )

    assert message in errors[field][0]
    assert not AuditEvent.objects.filter(action="standard.changed").exists()


def test_blank_numbers_mean_not_known(world, standard):
    blank = {**DETAILS, "level": "", "funding_band": "", "off_the_job_hours": None}

    standards.update_standard(actor=world.actor("own_ld_lead"), standard=standard, **blank)

    standard.refresh_from_db()
    assert (standard.level, standard.funding_band, standard.off_the_job_hours) == (None, None, None)


@pytest.mark.parametrize(
    ("code", "written", "kind", "number"),
    [
        ("K1", "K1", KsbKind.KNOWLEDGE, 1),
        (" s03 ", "S3", KsbKind.SKILL, 3),
        ("b12", "B12", KsbKind.BEHAVIOUR, 12),
    ],
)
def test_the_codes_letter_decides_the_kind_and_number(world, standard, code, written, kind, number):
    ksb = standards.add_ksb(
        actor=world.actor("own_ld_lead"), standard=standard, code=code, description="Something"
    )

    assert (ksb.code, ksb.kind, ksb.number) == (written, kind, number)


@pytest.mark.parametrize("code", ["X1", "K", "K0", "KK1", "1K", "K1000", "K-1"])
def test_a_code_that_is_not_a_ksb_code_is_refused(world, standard, code):
    errors = refusal(
        lambda: standards.add_ksb(
            actor=world.actor("own_ld_lead"), standard=standard, code=code, description="x"
        )
    )

    assert "Enter a code like K1, S3 or B2" in errors["code"][0]


def test_a_code_the_standard_has_is_refused(world, standard):
    actor = world.actor("own_ld_lead")
    standards.add_ksb(actor=actor, standard=standard, code="K1", description="First")

    errors = refusal(
        lambda: standards.add_ksb(actor=actor, standard=standard, code="k01", description="Again")
    )

    assert errors["code"] == ["ZZ0001 already has a K1: choose another code"]


def test_the_same_code_on_another_standard_is_fine(world, standard):
    other = Standard.objects.create(reference_code="ZZ0002", title="Another")
    actor = world.actor("own_ld_lead")
    standards.add_ksb(actor=actor, standard=standard, code="K1", description="First")

    standards.add_ksb(actor=actor, standard=other, code="K1", description="First")

    assert Ksb.objects.filter(code="K1", standard__in=[standard, other]).count() == 2


def test_a_description_is_required(world, standard):
    errors = refusal(
        lambda: standards.add_ksb(
            actor=world.actor("own_ld_lead"), standard=standard, code="K1", description="   "
        )
    )

    assert errors["description"] == ["Enter a description"]


def test_adding_changing_and_removing_a_ksb_each_write_one_audit_entry(world, standard):
    actor = world.actor("partner_ld_lead")
    ksb = standards.add_ksb(
        actor=actor, standard=standard, code="K1", description="Strategy", illustrative=True
    )
    assert ksb.illustrative

    standards.change_ksb(
        actor=actor, ksb=ksb, code="S1", description="Strategy", illustrative=False
    )
    ksb.refresh_from_db()
    assert (ksb.code, ksb.kind, ksb.illustrative) == ("S1", KsbKind.SKILL, False)

    standards.delete_ksb(actor=actor, ksb=ksb)
    assert not Ksb.objects.filter(pk=ksb.pk).exists()

    actions = list(
        AuditEvent.objects.filter(object_kind=standards.KSB)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["ksb.added", "ksb.changed", "ksb.deleted"]
    changed = AuditEvent.objects.get(action="ksb.changed")
    assert changed.changes["code"] == ["K1", "S1"]


def test_changing_a_ksb_to_a_code_the_standard_has_is_refused(world, standard):
    actor = world.actor("own_ld_lead")
    standards.add_ksb(actor=actor, standard=standard, code="K1", description="One")
    second = standards.add_ksb(actor=actor, standard=standard, code="K2", description="Two")

    errors = refusal(
        lambda: standards.change_ksb(actor=actor, ksb=second, code="K1", description="Two")
    )

    assert errors["code"] == ["ZZ0001 already has a K1: choose another code"]


def test_saving_a_ksb_unchanged_writes_no_audit_entry(world, standard):
    actor = world.actor("own_ld_lead")
    ksb = standards.add_ksb(actor=actor, standard=standard, code="K1", description="One")

    standards.change_ksb(actor=actor, ksb=ksb, code="K1", description="One")

    assert not AuditEvent.objects.filter(action="ksb.changed").exists()


def test_search_finds_a_code_or_every_title_word_and_filters_by_level(db):
    found = standards.search_standards(Standard.objects.all(), "st0480", "")
    assert [s.reference_code for s in found] == ["ST0480"]

    senior = standards.search_standards(Standard.objects.all(), "senior leader", "")
    assert "ST0480" in {s.reference_code for s in senior}
    assert all("senior" in s.title.lower() and "leader" in s.title.lower() for s in senior)

    level_seven = standards.search_standards(Standard.objects.all(), "senior leader", "7")
    assert {s.level for s in level_seven} == {7}
