"""Initiative services: every field saved, the owner is the acting organisation, every bad value
refused naming its field (and its row), who may change an initiative, and the audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.network import initiatives
from joinedup.network.models import Initiative, Mission
from joinedup.network.tests.factories import InitiativeFactory
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def fields(**changes) -> dict:
    values = {
        "title": "Discharge to assess",
        "summary": "People leave hospital to be assessed at home.",
        "problem": "discharge",
        "problem_detail": "Delays waiting for care packages.",
        "missions": [],
        "levels": ["local", "nhs"],
        "sectors": ["health", "local_government"],
        "places": ["E09000003"],
        "partners": [],
        "sponsors": [],
        "started_on": dt.date(2025, 4, 1),
        "ended_on": dt.date(2026, 3, 31),
        "status": "pilot",
        "funding_amount": "250000.50",
        "funding_source": "Better Care Fund",
        "is_public": True,
    }
    return values | changes


def refusal(actor, **changes) -> dict:
    with pytest.raises(ValidationError) as refused:
        initiatives.record(actor, fields(**changes))
    return refused.value.message_dict


def test_every_field_is_saved_and_the_owner_is_the_acting_organisation(world):
    mission = Mission.objects.create(partnership=world.partnership, name="Home first")
    actor = world.actor("own_staff")
    initiative = initiatives.record(
        actor,
        fields(
            missions=[str(mission.pk)],
            partners=[
                {
                    "organisation": str(world.partner.pk),
                    "organisation_name": "",
                    "level": "nhs",
                    "brings": ["staff", "data"],
                    "contribution": "Discharge nurses",
                },
                {"organisation": "", "organisation_name": "", "brings": [], "contribution": ""},
                {
                    "organisation": "",
                    "organisation_name": "Department of Health and Social Care",
                    "level": "central",
                    "brings": ["money", "legitimacy", "expertise"],
                    "contribution": "",
                },
            ],
            sponsors=[
                {
                    "organisation": str(world.own.pk),
                    "organisation_name": "",
                    "person": str(world.own_admin.pk),
                    "role": "Executive sponsor",
                },
                {"organisation": "", "organisation_name": "A funder", "person": "", "role": ""},
            ],
        ),
    )
    initiative = Initiative.objects.get(pk=initiative.pk)
    assert initiative.partnership == world.partnership
    assert initiative.owner_organisation == world.own
    assert initiative.created_by == world.own_staff
    assert (initiative.title, initiative.problem, initiative.status) == (
        "Discharge to assess",
        "discharge",
        "pilot",
    )
    assert initiative.problem_detail == "Delays waiting for care packages."
    assert (initiative.started_on, initiative.ended_on) == (
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
    )
    assert initiative.funding_amount == Decimal("250000.50")
    assert initiative.funding_source == "Better Care Fund"
    assert initiative.is_public
    assert list(initiative.missions.all()) == [mission]
    assert sorted(initiative.levels.values_list("level", flat=True)) == ["local", "nhs"]
    assert sorted(initiative.sectors.values_list("sector", flat=True)) == [
        "health",
        "local_government",
    ]
    assert list(initiative.places.values_list("gss_code", "name")) == [("E09000003", "Barnet")]
    first, second = initiative.partners.all()
    assert (first.organisation, first.level, first.contribution) == (
        world.partner,
        "nhs",
        "Discharge nurses",
    )
    assert (first.brings_staff, first.brings_data, first.brings_money) == (True, True, False)
    assert (second.organisation, second.organisation_name) == (
        None,
        "Department of Health and Social Care",
    )
    assert (second.brings_money, second.brings_legitimacy, second.brings_expertise) == (
        True,
        True,
        True,
    )
    sponsor, named = initiative.sponsors.all()
    assert (sponsor.organisation, sponsor.person, sponsor.role) == (
        world.own,
        world.own_admin,
        "Executive sponsor",
    )
    assert named.display_name == "A funder"
    assert AuditEvent.objects.filter(
        action="network.initiative.recorded", object_id=str(initiative.pk)
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": ""}, "summary"),
        ({"problem": "boredom"}, "problem"),
        ({"status": "finished"}, "status"),
        ({"levels": ["galactic"]}, "levels"),
        ({"sectors": ["pirates"]}, "sectors"),
        ({"places": ["E09000003", "X01"]}, "places"),
        ({"started_on": "2025-02-30"}, "started_on"),
        ({"ended_on": dt.date(2025, 3, 31)}, "ended_on"),
        ({"funding_amount": "-1"}, "funding_amount"),
        ({"funding_amount": "10.123"}, "funding_amount"),
        ({"funding_amount": "lots"}, "funding_amount"),
        ({"funding_amount": "NaN"}, "funding_amount"),
        ({"funding_amount": "1e15"}, "funding_amount"),
        ({"funding_source": "x" * 201}, "funding_source"),
        ({"missions": ["999999"]}, "missions"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(world, changes, field):
    assert field in refusal(world.actor("own_staff"), **changes)
    assert not Initiative.objects.exists()


def test_the_end_date_may_not_come_before_the_start(world):
    assert refusal(world.actor("own_staff"), ended_on=dt.date(2025, 3, 1)) == {
        "ended_on": ["End date must be the same as or after the start date"]
    }


def test_a_retired_mission_or_another_partnerships_is_not_offered(world):
    retired = Mission.objects.create(partnership=world.partnership, name="Old", retired=True)
    elsewhere = Mission.objects.create(partnership=world.other_partnership, name="Theirs")
    actor = world.actor("own_staff")
    assert "missions" in refusal(actor, missions=[retired.pk])
    assert "missions" in refusal(actor, missions=[elsewhere.pk])


def test_a_retired_mission_the_initiative_already_names_may_stay(world):
    mission = Mission.objects.create(partnership=world.partnership, name="Home first")
    actor = world.actor("own_staff")
    initiative = initiatives.record(actor, fields(missions=[mission.pk]))
    Mission.objects.filter(pk=mission.pk).update(retired=True)
    initiatives.change(actor, initiative, fields(missions=[mission.pk], title="Renamed"))
    assert list(initiative.missions.all()) == [mission]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"level": "nhs"}, "Partner 2: choose an organisation from the list or enter the name"),
        ({"organisation": "999999"}, "Partner 2: choose an organisation of the partnership"),
        ({"organisation": "abc"}, "Partner 2: choose an organisation of the partnership"),
        (
            {"organisation": "OUTSIDER"},
            "Partner 2: choose an organisation of the partnership",
        ),
        (
            {"organisation": "PARTNER", "organisation_name": "Also a name"},
            "Partner 2: choose an organisation from the list or enter a name, not both",
        ),
        ({"organisation": "PARTNER"}, "Partner 2: this organisation is already listed"),
        ({"organisation_name": "Funder", "level": "cosmic"}, "Partner 2: choose the level"),
        ({"organisation_name": "Funder", "brings": ["love"]}, "Partner 2: not something"),
        ({"organisation_name": "Funder", "contribution": "x" * 2001}, "Partner 2: Contribution"),
    ],
)
def test_a_bad_partner_line_is_refused_naming_its_row(world, row, message):
    ids = {"PARTNER": str(world.partner.pk), "OUTSIDER": str(world.outsider_org.pk)}
    row = {
        key: ids.get(value, value) if isinstance(value, str) else value
        for key, value in row.items()
    }
    partners = [{"organisation": str(world.partner.pk)}, row]
    errors = refusal(world.actor("own_staff"), partners=partners)
    assert errors["partners"][0].startswith(message)


def test_a_sponsor_person_must_work_for_the_acting_organisation(world):
    sponsors = [{"organisation": str(world.own.pk), "person": str(world.partner_staff.pk)}]
    errors = refusal(world.actor("own_staff"), sponsors=sponsors)
    assert errors == {"sponsors": ["Sponsor 1: choose the person from your organisation's staff"]}


def test_a_sponsor_needs_an_organisation(world):
    errors = refusal(world.actor("own_staff"), sponsors=[{"role": "Sponsor"}])
    assert errors["sponsors"][0].startswith("Sponsor 1: choose an organisation")


def test_an_organisation_outside_the_partnership_is_not_a_partner_to_choose(world):
    stranger = OrganisationFactory()
    errors = refusal(world.actor("own_staff"), partners=[{"organisation": stranger.pk}])
    assert "partners" in errors


def test_a_change_replaces_every_field_and_is_audited_by_field_name(world):
    actor = world.actor("own_staff")
    initiative = initiatives.record(
        actor, fields(partners=[{"organisation_name": "Funder", "brings": ["money"]}])
    )
    changed = initiatives.change(
        actor,
        initiative,
        fields(
            status="scaling",
            places=["E08000003", "E09000003"],
            levels=[],
            partners=[{"organisation": str(world.partner.pk), "brings": ["staff"]}],
            funding_amount="",
        ),
    )
    initiative.refresh_from_db()
    assert changed
    assert initiative.status == "scaling"
    assert initiative.funding_amount is None
    assert sorted(initiative.places.values_list("gss_code", flat=True)) == [
        "E08000003",
        "E09000003",
    ]
    assert not initiative.levels.exists()
    assert [partner.organisation for partner in initiative.partners.all()] == [world.partner]
    event = AuditEvent.objects.get(action="network.initiative.changed")
    assert event.changes == {"fields": ["funding_amount", "levels", "partners", "places", "status"]}


def test_a_change_that_changes_nothing_says_so_and_writes_no_audit(world):
    actor = world.actor("own_staff")
    initiative = initiatives.record(actor, fields())
    assert not initiatives.change(actor, initiative, fields())
    assert not AuditEvent.objects.filter(action="network.initiative.changed").exists()


def test_a_refused_change_changes_nothing(world):
    actor = world.actor("own_staff")
    initiative = initiatives.record(actor, fields())
    with pytest.raises(ValidationError):
        initiatives.change(actor, initiative, fields(title="New", places=["nowhere"]))
    initiative.refresh_from_db()
    assert initiative.title == "Discharge to assess"
    assert initiative.places.count() == 1


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "own_ld_lead", "partnership_lead"])
def test_the_recorder_the_owners_admin_and_ld_lead_and_the_lead_may_change(world, persona):
    initiative = initiatives.record(world.actor("own_staff"), fields())
    assert initiatives.change(world.actor(persona), initiative, fields(title=f"By {persona}"))


@pytest.mark.parametrize(
    "persona",
    ["own_line_manager", "own_levy_officer", "partner_admin", "partner_staff", "outsider"],
)
def test_no_one_else_may_change_an_initiative(world, persona):
    initiative = initiatives.record(world.actor("own_staff"), fields())
    with pytest.raises(PermissionDenied):
        initiatives.change(world.actor(persona), initiative, fields(title="Mine now"))


def test_an_initiative_does_not_move_partnership(world):
    initiative = InitiativeFactory(
        partnership=world.partnership, owner_organisation=world.own, created_by=world.own_staff
    )
    with pytest.raises(ValidationError) as refused:
        initiatives.change(
            world.actor("own_staff"),
            initiative,
            fields(partnership=world.other_partnership.pk),
        )
    assert "partnership" in refused.value.message_dict
