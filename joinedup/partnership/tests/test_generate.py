"""`joinedup generate`: synthetic people at scale (COPY on PostgreSQL, bulk inserts elsewhere)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from joinedup.partnership.generate import (
    GenerateRefused,
    generate,
    seniority_at,
    staff_sizes,
)
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
)
from joinedup.partnership.tests.factories import PersonFactory


def test_staff_are_shared_evenly_or_around_the_largest_organisation():
    assert staff_sizes(10, 3, None) == [4, 3, 3]
    assert staff_sizes(100, 4, 70) == [70, 10, 10, 10]
    assert staff_sizes(5, 1, 5) == [5]


@pytest.mark.parametrize(
    ("people", "organisations", "largest"), [(2, 3, None), (10, 0, None), (10, 3, 9), (10, 1, 4)]
)
def test_impossible_sizes_are_refused(people, organisations, largest):
    with pytest.raises(GenerateRefused):
        staff_sizes(people, organisations, largest)


def test_seniority_falls_one_step_per_level_of_line_management():
    assert seniority_at(0) == 9
    assert {seniority_at(position) for position in range(1, 9)} == {8}
    assert {seniority_at(position) for position in range(9, 73)} == {7}
    assert seniority_at(10**7) == 2


@pytest.fixture
def generated(db):
    return generate(people=400, organisations=5, largest=150, seed=3, progress=False)


def test_generate_adds_the_people_and_one_organisation_of_the_largest_size(generated):
    assert Person.objects.count() == 400
    assert generated.partnership.name == "Scale test"
    assert len(generated.organisations) == 5
    current = Employment.objects.current()
    staff = dict(current.values_list("organisation").annotate(n=Count("id")))
    largest = generated.organisations[0]
    assert staff[largest.pk] == 150 == Organisation.objects.get(pk=largest.pk).headcount
    assert sum(staff.values()) == 400 - 12  # 3% have left
    assert Organisation.objects.filter(memberships__partnership=generated.partnership).count() == 5


def test_every_current_member_of_staff_works_in_one_place_with_a_grade(generated):
    current = Employment.objects.current()
    assert current.values("person").distinct().count() == current.count()
    assert not current.filter(grade__isnull=True).exists()
    assert not current.exclude(grade__organisation=F("organisation")).exists()
    assert not current.exclude(seniority=F("grade__seniority")).exists()


def test_line_managers_are_in_the_same_organisation_and_only_heads_have_none(generated):
    current = Employment.objects.current()
    assert current.filter(line_manager__isnull=True).count() == 5
    managed = current.filter(line_manager__isnull=False)
    assert not managed.exclude(line_manager__organisation=F("organisation")).exists()
    assert not managed.filter(line_manager__seniority__lt=F("seniority")).exists()


def test_some_people_have_history_elsewhere_and_leavers_have_destinations(generated):
    ended = Employment.objects.filter(end_date__isnull=False)
    works_at = dict(Employment.objects.current().values_list("person_id", "organisation_id"))
    moved = ended.filter(person__in=works_at).values_list("person_id", "organisation_id")
    assert len(moved) >= 20
    assert all(works_at[person] != organisation for person, organisation in moved)
    leavers = Person.objects.exclude(pk__in=Employment.objects.current().values("person"))
    assert leavers.count() == 12
    assert not Employment.objects.filter(person__in=leavers, destination="").exists()


def test_each_organisation_has_an_ld_lead_and_the_partnership_a_lead(generated):
    for organisation in generated.organisations:
        assert OrganisationRoleGrant.objects.filter(
            organisation=organisation, role=OrganisationRole.LD_LEAD
        ).exists()
    lead = PartnershipRoleGrant.objects.get(role=PartnershipRole.PARTNERSHIP_LEAD)
    assert (
        Employment.objects.current().get(person=lead.person).organisation
        == generated.organisations[1]
    )


def test_new_rows_after_generating_get_fresh_ids(generated):
    person = PersonFactory()
    assert person.pk > Person.objects.exclude(pk=person.pk).order_by("-pk").first().pk


def test_generating_again_adds_to_the_same_partnership(generated):
    again = generate(people=20, organisations=2, progress=False)
    assert again.partnership == generated.partnership
    assert Person.objects.count() == 420
    assert again.organisations[0].name.endswith(" 6")


def test_generate_command_reports_what_it_added(db):
    output = StringIO()
    call_command("generate", "--people", "60", "--organisations", "3", verbosity=0, stdout=output)
    assert "Added 60 people" in output.getvalue()
    assert '"Scale test"' in output.getvalue()


def test_generate_command_refuses_an_impossible_largest_organisation(db):
    with pytest.raises(CommandError, match="--largest"):
        call_command(
            "generate", "--people", "10", "--organisations", "3", "--largest", "10", verbosity=0
        )
    assert not Person.objects.exists()


def test_generate_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("generate", "--people", "10", "--organisations", "2", verbosity=0)
    assert not Person.objects.exists()
