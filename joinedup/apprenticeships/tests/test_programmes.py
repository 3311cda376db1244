"""Programme and cohort services: the rules and the messages a programme leader reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.apprenticeships import programmes
from joinedup.apprenticeships.models import (
    Cohort,
    CohortDeadline,
    CohortModule,
    Module,
    ProgrammeRole,
    Term,
)
from joinedup.apprenticeships.tests.factories import EnrolmentFactory
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db

# The usual Senior Leader pattern: six blended modules, one each autumn, spring and early summer
# over two years (six weeks online, then two days on campus).
SENIOR_LEADER = [
    ("Leading strategically", Term.AUTUMN),
    ("Leading people and culture", Term.SPRING),
    ("Finance and resources", Term.SUMMER),
    ("Leading change", Term.AUTUMN),
    ("Partnerships and collaboration", Term.SPRING),
    ("Strategic project", Term.SUMMER),
]
MODULE_STARTS = [
    dt.date(2026, 9, 14),
    dt.date(2027, 1, 11),
    dt.date(2027, 4, 19),
    dt.date(2027, 9, 13),
    dt.date(2028, 1, 10),
    dt.date(2028, 4, 17),
]


def leader(world):
    return world.actor("programme_leader")


def make_programme(world, **fields):
    values = {"standard": "ST0480", "title": "Senior Leader MBA", "summary": "Two years."}
    return programmes.create_programme(actor=leader(world), **(values | fields))


def senior_leader_programme(world):
    programme = make_programme(world)
    for title, term in SENIOR_LEADER:
        module = programmes.add_module(
            actor=leader(world),
            programme=programme,
            title=title,
            online_weeks=6,
            campus_days=2,
            term=term,
        )
        programmes.add_assignment(
            actor=leader(world), module=module, title=f"{title} essay", weighting=100
        )
    return programme


def dates_for(programme, starts=MODULE_STARTS, weeks_to_deadline=10):
    modules = list(programme.modules.order_by("order"))
    module_starts = {m.pk: day for m, day in zip(modules, starts, strict=True)}
    deadlines = {
        a.pk: module_starts[m.pk] + dt.timedelta(weeks=weeks_to_deadline)
        for m in modules
        for a in m.assignments.all()
    }
    campus = {m.pk: module_starts[m.pk] + dt.timedelta(weeks=6) for m in modules}
    return {"module_starts": module_starts, "deadlines": deadlines, "campus_from": campus}


def audit_count() -> int:
    return AuditEvent.objects.filter(action__startswith="apprenticeships.").count()


# --- Programmes ----------------------------------------------------------------------------------


def test_leader_sets_up_a_programme_their_organisation_provides(world):
    before = audit_count()
    programme = make_programme(world)
    assert programme.provider == world.partner
    assert programme.partnership == world.partnership
    assert programme.standard.reference_code == "ST0480"
    assert programme.created_by == world.programme_leader
    assert audit_count() == before + 1


def test_standard_may_be_chosen_by_its_exact_title(world):
    programme = make_programme(world, standard="senior leader (DEGREE)")
    assert programme.standard.reference_code == "ST0480"


def test_unknown_standard_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as refused:
        make_programme(world, standard="ST9999")
    assert "No standard has the code or title" in refused.value.message_dict["standard"][0]


def test_blank_title_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        make_programme(world, title="  ")
    assert refused.value.message_dict == {"title": ["Enter the title"]}


def test_someone_who_is_not_a_programme_leader_may_not_set_up_a_programme(world):
    with pytest.raises(PermissionDenied):
        programmes.create_programme(
            actor=world.actor("partner_ld_lead"), standard="ST0480", title="Mine"
        )


def test_changing_a_programme_records_the_fields_changed(world):
    programme = make_programme(world)
    before = audit_count()
    changed = programmes.change_programme(
        actor=leader(world), programme=programme, standard="ST0480", title="New", summary=""
    )
    assert changed == ["title", "summary"]
    assert audit_count() == before + 1
    assert (
        programmes.change_programme(
            actor=leader(world), programme=programme, standard="ST0480", title="New", summary=""
        )
        == []
    )
    assert audit_count() == before + 1


# --- Modules -------------------------------------------------------------------------------------


def test_modules_are_added_in_order_and_can_be_reordered(world):
    programme = senior_leader_programme(world)
    ids = list(programme.modules.order_by("order").values_list("pk", flat=True))
    assert list(programme.modules.values_list("order", flat=True)) == [1, 2, 3, 4, 5, 6]
    before = audit_count()
    programmes.reorder_modules(actor=leader(world), programme=programme, module_ids=ids[::-1])
    assert list(programme.modules.order_by("order").values_list("pk", flat=True)) == ids[::-1]
    assert audit_count() == before + 1


def test_reordering_must_name_every_module_once(world):
    programme = senior_leader_programme(world)
    ids = list(programme.modules.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        programmes.reorder_modules(actor=leader(world), programme=programme, module_ids=ids[:-1])
    assert "Name every module" in refused.value.message_dict["modules"][0]


def test_moving_a_module_swaps_it_with_its_neighbour(world):
    programme = senior_leader_programme(world)
    first, second = programme.modules.order_by("order")[:2]
    assert programmes.move_module(actor=leader(world), module=second, up=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.order, first.order) == (1, 2)
    assert not programmes.move_module(actor=leader(world), module=second, up=True)


def test_a_module_needs_a_term_and_sensible_weeks_and_days(world):
    programme = make_programme(world)
    add = {"actor": leader(world), "programme": programme, "title": "M", "campus_days": 2}
    with pytest.raises(ValidationError) as refused:
        programmes.add_module(**add, online_weeks=6, term="winter")
    assert refused.value.message_dict == {"term": ["Choose the term: autumn, spring or summer"]}
    with pytest.raises(ValidationError) as refused:
        programmes.add_module(**add, online_weeks=-1, term=Term.AUTUMN)
    assert refused.value.message_dict == {"online_weeks": ["Online weeks must be between 0 and 52"]}


def test_removing_a_module_closes_the_gap_and_takes_its_cohort_dates(world):
    programme = senior_leader_programme(world)
    cohort = programmes.create_cohort(
        actor=leader(world),
        programme=programme,
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        **dates_for(programme),
    )
    second = programme.modules.get(order=2)
    before = audit_count()
    programmes.remove_module(actor=leader(world), module=second)
    assert list(programme.modules.order_by("order").values_list("order", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert CohortModule.objects.filter(cohort=cohort).count() == 5
    assert CohortDeadline.objects.filter(cohort=cohort).count() == 5
    assert audit_count() == before + 1


def test_a_module_of_a_programme_with_enrolments_cannot_be_removed(world):
    programme = senior_leader_programme(world)
    cohort = programmes.create_cohort(
        actor=leader(world),
        programme=programme,
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        **dates_for(programme),
    )
    EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    module = programme.modules.get(order=1)
    with pytest.raises(ValidationError) as refused:
        programmes.remove_module(actor=leader(world), module=module)
    assert refused.value.messages == [
        "Leading strategically cannot be removed: 1 apprentice is enrolled on cohorts of this "
        "programme, whose training plans include it"
    ]
    assert Module.objects.filter(pk=module.pk).exists()


# --- Assignments ---------------------------------------------------------------------------------


def test_weighting_must_be_from_1_to_100(world):
    programme = senior_leader_programme(world)
    module = programme.modules.first()
    for bad in (0, 101, "ten"):
        with pytest.raises(ValidationError) as refused:
            programmes.add_assignment(actor=leader(world), module=module, title="X", weighting=bad)
        assert "weighting" in refused.value.message_dict


def test_weightings_that_do_not_add_up_to_100_are_pointed_out(world):
    programme = make_programme(world)
    module = programmes.add_module(
        actor=leader(world),
        programme=programme,
        title="Leading change",
        online_weeks=6,
        campus_days=2,
        term=Term.AUTUMN,
    )
    assert programmes.weighting_warning(module) == (
        "Leading change has no assignments yet: its weightings must add up to 100%"
    )
    essay = programmes.add_assignment(
        actor=leader(world), module=module, title="Essay", weighting=60
    )
    assert programmes.weighting_warning(module) == (
        "The weightings of Leading change's assignments add up to 60%, not 100%: add 40%"
    )
    programmes.add_assignment(actor=leader(world), module=module, title="Report", weighting=50)
    assert "add up to 110%, not 100%: take away 10%" in programmes.weighting_warning(module)
    programmes.change_assignment(
        actor=leader(world), assignment=essay, title="Essay", brief="", weighting=50
    )
    assert programmes.weighting_warning(module) is None


# --- Staff ---------------------------------------------------------------------------------------


def test_current_provider_staff_are_named_by_work_email(world):
    programme = make_programme(world)
    EmploymentFactory(
        organisation=world.partner,
        person__email="home@example.org",
        work_email="tutor.two@lnwh.test",
    )
    before = audit_count()
    named = programmes.name_staff(
        actor=leader(world),
        programme=programme,
        email="Tutor.Two@lnwh.test",
        role=ProgrammeRole.TUTOR,
    )
    assert named.person.email == "home@example.org"
    assert audit_count() == before + 1
    programmes.remove_staff(actor=leader(world), staff=named)
    assert not programme.staff.exists()
    assert audit_count() == before + 2


def test_someone_not_working_for_the_provider_cannot_be_named(world):
    programme = make_programme(world)
    with pytest.raises(ValidationError) as refused:
        programmes.name_staff(
            actor=leader(world),
            programme=programme,
            email="sam.staff@barnet.test",
            role=ProgrammeRole.LEADER,
        )
    assert refused.value.message_dict == {
        "email": [
            "No one currently working at London North West University Healthcare NHS Trust "
            "has this email address"
        ]
    }


def test_no_one_is_named_twice_in_the_same_role(world):
    programme = make_programme(world)
    args = {"actor": leader(world), "programme": programme, "email": "tess.tutor@lnwh.test"}
    programmes.name_staff(**args, role=ProgrammeRole.TUTOR)
    with pytest.raises(ValidationError) as refused:
        programmes.name_staff(**args, role=ProgrammeRole.TUTOR)
    assert "is already a practice tutor here" in refused.value.message_dict["email"][0]
    programmes.name_staff(**args, role=ProgrammeRole.LEADER)


# --- Cohorts -------------------------------------------------------------------------------------


def test_the_senior_leader_pattern_is_expressible_as_a_cohort(world):
    programme = senior_leader_programme(world)
    before = audit_count()
    cohort = programmes.create_cohort(
        actor=leader(world),
        programme=programme,
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        **dates_for(programme),
    )
    rows = list(
        CohortModule.objects.filter(cohort=cohort).select_related("module").order_by("starts_on")
    )
    assert [row.module.term for row in rows] == [term for _, term in SENIOR_LEADER]
    assert [row.starts_on for row in rows] == MODULE_STARTS
    assert rows[0].campus_from == dt.date(2026, 10, 26)
    assert cohort.deadlines.count() == 6
    assert audit_count() == before + 1


def test_every_module_and_assignment_needs_a_date_within_the_cohort(world):
    programme = senior_leader_programme(world)
    dates = dates_for(programme)
    first = programme.modules.get(order=1)
    last_assignment = programme.modules.get(order=6).assignments.get()
    del dates["module_starts"][first.pk]
    dates["deadlines"][last_assignment.pk] = dt.date(2028, 9, 30)
    with pytest.raises(ValidationError) as refused:
        programmes.create_cohort(
            actor=leader(world),
            programme=programme,
            name="September 2026",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2028, 8, 31),
            **dates,
        )
    errors = refused.value.message_dict
    assert errors[f"module_{first.pk}"] == ["Enter the date module 1 starts"]
    assert errors[f"deadline_{last_assignment.pk}"] == [
        "The deadline for Strategic project essay must be between 1 September 2026 and "
        "31 August 2028"
    ]
    assert not Cohort.objects.exists()


def test_a_deadline_may_not_come_before_its_module_starts(world):
    programme = senior_leader_programme(world)
    dates = dates_for(programme, weeks_to_deadline=-1)
    with pytest.raises(ValidationError) as refused:
        programmes.create_cohort(
            actor=leader(world),
            programme=programme,
            name="September 2026",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2028, 8, 31),
            **dates,
        )
    assert any(
        "must not be before its module starts" in message
        for messages in refused.value.message_dict.values()
        for message in messages
    )


def test_a_cohort_ends_after_it_starts(world):
    programme = make_programme(world)
    with pytest.raises(ValidationError) as refused:
        programmes.create_cohort(
            actor=leader(world),
            programme=programme,
            name="Bad",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 9, 1),
            module_starts={},
            deadlines={},
        )
    assert refused.value.message_dict == {
        "ends_on": ["The planned end date must be after the start date"]
    }


def test_changing_a_cohort_replaces_its_dates(world):
    programme = senior_leader_programme(world)
    args = {"actor": leader(world), "name": "September 2026", "ends_on": dt.date(2028, 8, 31)}
    cohort = programmes.create_cohort(
        programme=programme, starts_on=dt.date(2026, 9, 1), **args, **dates_for(programme)
    )
    later = [day + dt.timedelta(days=7) for day in MODULE_STARTS]
    programmes.change_cohort(
        cohort=cohort, starts_on=dt.date(2026, 9, 8), **args, **dates_for(programme, later)
    )
    assert sorted(cohort.module_dates.values_list("starts_on", flat=True)) == later
    assert cohort.starts_on == dt.date(2026, 9, 8)


def test_a_cohort_with_enrolments_cannot_be_removed(world):
    programme = senior_leader_programme(world)
    cohort = programmes.create_cohort(
        actor=leader(world),
        programme=programme,
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        **dates_for(programme),
    )
    EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    EnrolmentFactory(cohort=cohort, employment=world.employments["own_staff"])
    with pytest.raises(ValidationError) as refused:
        programmes.remove_cohort(actor=leader(world), cohort=cohort)
    assert refused.value.messages == [
        "September 2026 cannot be removed: 2 apprentices are enrolled on it"
    ]


def test_an_empty_cohort_is_removed_with_its_dates(world):
    programme = senior_leader_programme(world)
    cohort = programmes.create_cohort(
        actor=leader(world),
        programme=programme,
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        **dates_for(programme),
    )
    before = audit_count()
    programmes.remove_cohort(actor=leader(world), cohort=cohort)
    assert not Cohort.objects.exists()
    assert not CohortModule.objects.exists()
    assert audit_count() == before + 1
