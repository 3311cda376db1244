"""A host adds programmes and runs: who may, the defaults filled in, and bad input refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.learning.models import (
    DeliveryMode,
    Programme,
    ProgrammeKind,
    ReleaseMode,
    Run,
    SharingPolicy,
)
from joinedup.learning.services import add_run, create_programme
from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, OrganisationRole
from joinedup.partnership.tests.factories import OrganisationRoleFactory

LONDON = ZoneInfo("Europe/London")
FIRST_DAY = dt.date(2027, 3, 15)


def new_programme(world, persona: str = "own_ld_lead", **fields) -> Programme:
    values = {
        "title": "Safeguarding adults level 3",
        "kind": ProgrammeKind.COURSE,
        "delivery_mode": DeliveryMode.IN_PERSON,
        "partner_price": Decimal("95.50"),
        "cost_per_place": "180",
        "topics": ["Safeguarding", "Adult social care"],
    }
    values.update(fields)
    return create_programme(actor=world.actor(persona), **values)


def session(day: dt.date = FIRST_DAY, starts=dt.time(9, 30), ends=dt.time(16, 30)) -> dict:
    return {"date": day, "starts_at": starts, "ends_at": ends, "venue": "Barnet House"}


def errors_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict:
    return caught.value.message_dict


# --- Creating a programme ------------------------------------------------------------------


def test_an_ld_lead_creates_a_programme_hosted_by_their_organisation_with_an_audit_entry(world):
    programme = new_programme(world)

    assert programme.host == world.own
    assert programme.partner_price == Decimal("95.50")
    assert programme.cost_per_place == Decimal("180")
    assert sorted(programme.topics.values_list("name", flat=True)) == [
        "Adult social care",
        "Safeguarding",
    ]
    event = AuditEvent.objects.get(action="programme.created", object_id=str(programme.pk))
    assert event.organisation == world.own


def test_a_programme_leader_may_create_a_programme_too(world):
    OrganisationRoleFactory(
        person=world.person("own_staff"),
        organisation=world.own,
        role=OrganisationRole.PROGRAMME_LEADER,
    )

    programme = new_programme(world, "own_staff", title="Motivational interviewing")

    assert programme.host == world.own


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "partnership_lead", "outsider"])
def test_people_without_a_host_role_may_not_create_a_programme(world, persona):
    with pytest.raises(PermissionDenied):
        new_programme(world, persona)

    assert not Programme.objects.exists()


def test_an_anonymous_actor_may_not_create_a_programme(world):
    with pytest.raises(PermissionDenied):
        create_programme(
            actor=Actor(person=None, organisation=None),
            title="Leading through change",
            kind=ProgrammeKind.LEADERSHIP,
            delivery_mode=DeliveryMode.BLENDED,
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "lecture"}, "kind"),
        ({"delivery_mode": "by post"}, "delivery_mode"),
        ({"sharing_policy": "everyone"}, "sharing_policy"),
        ({"seniority_min": 0}, "seniority_min"),
        ({"seniority_max": 10}, "seniority_max"),
        ({"seniority_min": "three"}, "seniority_min"),
        ({"seniority_min": 6, "seniority_max": 4}, "seniority_max"),
        ({"partner_price": "-1"}, "partner_price"),
        ({"partner_price": "12.345"}, "partner_price"),
        ({"cost_per_place": "lots"}, "cost_per_place"),
        ({"cost_per_place": "NaN"}, "cost_per_place"),
        ({"hours": "-3"}, "hours"),
        ({"partner_price": "1e12"}, "partner_price"),
    ],
)
def test_bad_programme_input_is_refused_naming_the_field(world, fields, field):
    with pytest.raises(ValidationError) as caught:
        new_programme(world, **fields)

    assert field in errors_of(caught)
    assert not Programme.objects.exists()


def test_a_seniority_range_of_one_grade_is_allowed(world):
    programme = new_programme(world, seniority_min=5, seniority_max=5)

    assert (programme.seniority_min, programme.seniority_max) == (5, 5)


# --- Adding a run ----------------------------------------------------------------------------


def test_a_run_gets_the_default_cut_off_bookings_close_and_partner_price(world):
    programme = new_programme(world)

    run = add_run(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        sessions=[session(FIRST_DAY + dt.timedelta(days=7)), session()],
        capacity=16,
    )

    assert run.cut_off_at == dt.datetime(2027, 2, 22, 17, 0, tzinfo=LONDON)
    assert run.bookings_close_at == dt.datetime(2027, 3, 15, 9, 30, tzinfo=LONDON)
    assert run.partner_price == Decimal("95.50")
    assert run.sessions.count() == 2
    assert run.default_cut_off() == run.cut_off_at
    assert AuditEvent.objects.filter(action="run.added", object_id=str(run.pk)).exists()


def test_the_cut_off_is_17_00_london_time_in_summer_too(world):
    programme = new_programme(world)

    run = add_run(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        sessions=[session(dt.date(2027, 7, 12))],
        capacity=8,
    )

    assert run.cut_off_at == dt.datetime(2027, 6, 21, 16, 0, tzinfo=dt.UTC)


def test_a_run_keeps_the_cut_off_price_and_rules_it_is_given(world):
    programme = new_programme(world)
    cut_off = dt.datetime(2027, 3, 1, 12, 0, tzinfo=LONDON)

    run = add_run(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        sessions=[session()],
        capacity=12,
        cut_off_at=cut_off,
        partner_price="0",
        partner_cap=2,
        release_mode=ReleaseMode.OFFER,
        offer_window_hours=24,
        charge_late_cancellations=True,
        late_cancellation_days=5,
    )

    assert run.cut_off_at == cut_off
    assert run.partner_price == Decimal("0")
    assert (run.partner_cap, run.release_mode, run.offer_window_hours) == (2, "offer", 24)
    assert run.late_cancellation_days == 5


def test_a_self_paced_run_needs_no_sessions_but_a_deadline_and_cut_off(world):
    programme = new_programme(
        world,
        title="Information governance",
        kind=ProgrammeKind.E_LEARNING,
        delivery_mode=DeliveryMode.SELF_PACED,
    )
    actor = world.actor("own_ld_lead")

    with pytest.raises(ValidationError) as caught:
        add_run(actor=actor, programme=programme, sessions=[], capacity=100)
    run = add_run(
        actor=actor,
        programme=programme,
        sessions=[],
        capacity=100,
        completion_deadline=dt.date(2027, 6, 30),
        cut_off_at=dt.datetime(2027, 4, 1, 17, 0),
    )

    assert set(errors_of(caught)) == {"completion_deadline", "cut_off_at"}
    assert run.cut_off_at == dt.datetime(2027, 4, 1, 17, 0, tzinfo=LONDON)
    assert not run.sessions.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"sessions": []}, "sessions"),
        ({"sessions": [session(starts=dt.time(14, 0), ends=dt.time(13, 0))]}, "sessions"),
        ({"sessions": [{"date": "tomorrow"}]}, "sessions"),
        ({"cut_off_at": dt.datetime(2027, 3, 15, 10, 0, tzinfo=LONDON)}, "cut_off_at"),
        ({"bookings_close_at": dt.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON)}, "bookings_close_at"),
        ({"partner_price": "-5"}, "partner_price"),
        ({"partner_price": "5.001"}, "partner_price"),
        ({"partner_cap": -1}, "partner_cap"),
        ({"offer_window_hours": 0}, "offer_window_hours"),
        ({"release_mode": "lottery"}, "release_mode"),
        ({"charge_late_cancellations": True}, "late_cancellation_days"),
    ],
)
def test_bad_run_input_is_refused_naming_the_field(world, fields, field):
    programme = new_programme(world)
    values = {"sessions": [session()], "capacity": 10, **fields}

    with pytest.raises(ValidationError) as caught:
        add_run(actor=world.actor("own_ld_lead"), programme=programme, **values)

    assert field in errors_of(caught)
    assert not Run.objects.exists()


@pytest.mark.parametrize("persona", ["own_staff", "partner_ld_lead", "outsider"])
def test_only_the_hosts_ld_lead_or_programme_leader_adds_a_run(world, persona):
    programme = ProgrammeFactory(host=world.own, sharing_policy=SharingPolicy.PARTNERS_FROM_START)

    with pytest.raises(PermissionDenied):
        add_run(actor=world.actor(persona), programme=programme, sessions=[session()], capacity=5)

    assert not Run.objects.exists()
