"""`joinedup demo`: the demo partnership, its workforce, its personas, and re-running it."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import Client, override_settings
from django.utils import timezone

from joinedup.partnership import demo_plan
from joinedup.partnership.demo_plan import DEMO_PASSWORD, PERSONAS, make_plan, normal_case
from joinedup.partnership.models import (
    Destination,
    EmailAddress,
    Employment,
    EmploymentKind,
    Grade,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRoleGrant,
    Person,
    Sector,
)
from joinedup.partnership.workforce import WORKFORCE_OF_KIND

DEMO_MODELS = (
    Partnership,
    Organisation,
    Membership,
    Grade,
    Person,
    EmailAddress,
    Employment,
    OrganisationRoleGrant,
    PartnershipRoleGrant,
)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


def organisation(code: str) -> Organisation:
    return Organisation.objects.get(official_code=code)


# --- Pure parts ---------------------------------------------------------------------------------


def test_normal_case_keeps_nhs_upper_case_and_small_words_lower_case():
    assert (
        normal_case("CHELSEA AND WESTMINSTER HOSPITAL NHS FOUNDATION TRUST")
        == "Chelsea and Westminster Hospital NHS Foundation Trust"
    )
    assert normal_case("UNIVERSITY OF LEEDS") == "University of Leeds"
    assert normal_case("AND OF NHS") == "And of NHS"
    assert normal_case("STOKE-ON-TRENT CARE") == "Stoke-On-Trent Care"


def test_plan_is_the_same_every_time():
    assert make_plan() == make_plan()


def test_every_job_in_the_grade_tables_names_a_grade_of_its_own_table():
    for workforce in WORKFORCE_OF_KIND.values():
        for job in workforce.jobs:
            assert job.grade in workforce.grades, job


def test_missing_trust_in_the_reference_data_is_an_error(monkeypatch):
    monkeypatch.setattr(demo_plan, "TRUSTS", (*demo_plan.TRUSTS, "ZZZ"))
    with pytest.raises(ValueError, match="NHS trust ZZZ"):
        demo_plan.plan_organisations()


def test_demo_refuses_to_run_in_production(db, settings):
    before = row_counts()
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded into a production"):
        call_command("demo", stdout=StringIO())
    assert row_counts() == before


# --- The loaded demo ----------------------------------------------------------------------------


def test_first_run_creates_every_kind_of_row(demo):
    assert demo.created["organisations"] == 29
    assert 2_900 <= demo.created["people"] <= 3_300
    assert all(demo.created.values())


def test_demo_builds_the_partnership_with_the_icb_boroughs_and_trusts(demo, db):
    partnership = Partnership.objects.get(name="West and North London")
    members = Organisation.objects.filter(memberships__partnership=partnership)
    codes = set(members.exclude(official_code="").values_list("official_code", flat=True))
    boroughs = {f"E090000{n:02d}" for n in (3, 5, 7, 9, 10, 13, 14, 15, 17, 18, 19, 20, 33)}
    trusts = {"R1K", "RYJ", "RQM", "RV3", "RKL", "RAL", "RKE", "G6V2S"}
    assert codes == boroughs | trusts | {"Z9B2Z"}
    assert organisation("Z9B2Z").name == "NHS West and North London Integrated Care Board"
    assert organisation("Z9B2Z").kind == OrganisationKind.INTEGRATED_CARE_BOARD
    assert organisation("E09000013").name == "London Borough of Hammersmith & Fulham"
    assert organisation("E09000033").name == "City of Westminster"
    assert organisation("E09000020").sector == Sector.LOCAL_GOVERNMENT


def test_trust_names_are_in_normal_capitalisation_with_the_right_kind(demo, db):
    assert organisation("RQM").name == "Chelsea and Westminster Hospital NHS Foundation Trust"
    assert organisation("RQM").kind == OrganisationKind.NHS_FOUNDATION_TRUST
    assert organisation("R1K").name == "London North West University Healthcare NHS Trust"
    assert organisation("R1K").kind == OrganisationKind.NHS_TRUST
    assert organisation("G6V2S").name == "North London NHS Foundation Trust"
    assert organisation("RKE").sector == Sector.HEALTH


def test_fictional_police_fire_voluntary_and_university_are_marked_fictional(demo, db):
    fictional = Organisation.objects.filter(
        is_fictional=True, memberships__partnership__name="West and North London"
    )
    assert Counter(fictional.values_list("kind", flat=True)) == {
        OrganisationKind.POLICE: 1,
        OrganisationKind.FIRE: 1,
        OrganisationKind.VCSE: 2,
        OrganisationKind.EDUCATION: 1,
    }
    assert not fictional.exclude(official_code="").exists()
    assert not Organisation.objects.filter(is_fictional=True, official_code__gt="").exists()


def test_large_employers_pay_the_levy_and_small_charities_do_not(demo, db):
    payers = set(Organisation.objects.filter(is_levy_payer=True).values_list("kind", flat=True))
    assert OrganisationKind.INTEGRATED_CARE_BOARD in payers
    assert OrganisationKind.VCSE not in payers
    levy_officers = OrganisationRoleGrant.objects.filter(role="levy_officer")
    # Every levy payer has one; so does the charity that receives transfers (a persona).
    payers_officers = levy_officers.filter(organisation__is_levy_payer=True)
    assert payers_officers.count() == Organisation.objects.filter(is_levy_payer=True).count()
    assert list(
        levy_officers.filter(organisation__is_levy_payer=False).values_list(
            "organisation__name", flat=True
        )
    ) == ["Canalside Carers Network"]


def test_about_three_thousand_current_staff_with_job_titles_and_grades(demo, db):
    current = Employment.objects.current().filter(
        organisation__memberships__partnership__name="West and North London"
    )
    staff = current.values("person").distinct().count()
    assert 2_700 <= staff <= 3_300
    assert not current.filter(Q(job_title="") | Q(grade__isnull=True)).exists()
    assert not current.exclude(seniority=F("grade__seniority")).exists()
    nurse = current.filter(organisation__official_code="R1K", job_title="Staff nurse").first()
    assert nurse.grade.name == "Band 5" and nurse.seniority == 5


def test_grade_tables_follow_agenda_for_change_and_police_ranks(demo, db):
    trust_grades = dict(
        Grade.objects.filter(organisation__official_code="R1K").values_list("name", "seniority")
    )
    assert {trust_grades[band] for band in ("Band 8a", "Band 8b", "Band 8c", "Band 8d")} == {8}
    assert trust_grades["Band 2"] == 2 and trust_grades["Band 9"] == 9
    police = dict(
        Grade.objects.filter(organisation__kind=OrganisationKind.POLICE).values_list(
            "name", "seniority"
        )
    )
    assert [police[rank] for rank in ("Constable", "Sergeant", "Inspector", "Chief inspector")] == [
        3,
        4,
        5,
        6,
    ]
    assert [
        police[rank] for rank in ("Superintendent", "Chief superintendent", "Chief constable")
    ] == [7, 8, 9]
    assert Grade.objects.filter(organisation__official_code="E09000003", name="PO1").exists()


def test_line_managers_work_at_the_same_organisation_and_are_more_senior(demo, db):
    managed = Employment.objects.current().filter(line_manager__isnull=False)
    assert managed.count() > 2_500
    assert not managed.exclude(line_manager__organisation=F("organisation")).exists()
    assert not managed.filter(line_manager__seniority__lt=F("seniority")).exists()
    heads = Employment.objects.current().filter(line_manager__isnull=True)
    assert heads.values("organisation").distinct().count() == Organisation.objects.count()


def test_joint_posts_are_two_current_employments_at_two_organisations(demo, db):
    joint = (
        Employment.objects.current()
        .filter(kind=EmploymentKind.JOINT_POST)
        .values("person")
        .annotate(organisations=Count("organisation", distinct=True))
    )
    assert len(joint) >= 10
    assert {row["organisations"] for row in joint} == {2}


def test_some_people_moved_from_a_partner_in_another_sector(demo, db):
    moves = Employment.objects.filter(
        end_date__isnull=False,
        destination=Destination.PARTNER,
        destination_organisation__isnull=False,
    ).exclude(destination_organisation__sector=F("organisation__sector"))
    assert moves.count() >= 150
    move = moves.first()
    assert (
        Employment.objects.current()
        .filter(person=move.person, organisation=move.destination_organisation)
        .exists()
    )
    assert EmailAddress.objects.filter(person=move.person, email=move.work_email).exists()


def test_leavers_have_a_destination_from_the_vocabulary_and_no_current_employment(demo, db):
    leavers = Person.objects.exclude(pk__in=Employment.objects.current().values("person"))
    assert leavers.count() >= 100
    destinations = set(
        Employment.objects.filter(person__in=leavers).values_list("destination", flat=True)
    )
    assert destinations <= set(Destination.values) - {Destination.PARTNER}
    assert len(destinations) >= 5
    assert not Employment.objects.filter(
        person__in=leavers, end_date__gte=timezone.localdate()
    ).exists()


def test_every_organisation_has_an_admin_and_an_ld_lead(demo, db):
    for role in ("org_admin", "ld_lead"):
        holders = OrganisationRoleGrant.objects.filter(role=role).values("organisation").distinct()
        assert holders.count() == Organisation.objects.count()


@pytest.mark.parametrize("index", range(len(PERSONAS)), ids=[p.key for p in PERSONAS])
def test_each_persona_signs_in_with_the_demo_password(demo, db, index):
    login = demo.logins[index]
    client = Client()
    response = client.post("/accounts/login/", {"username": login.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, login
    home = client.get("/")
    assert home.status_code == 200
    assert login.organisation in home.content.decode()


def test_staff_who_are_not_personas_cannot_sign_in(demo, db):
    someone = Person.objects.exclude(email__in=[login.email for login in demo.logins]).first()
    response = Client().post(
        "/accounts/login/", {"username": someone.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert not someone.has_usable_password()


def test_personas_hold_their_roles(demo, db):
    emails = {login.persona: login.email for login in demo.logins}
    assert (
        OrganisationRoleGrant.objects.get(person__email=emails["Own organisation admin"]).role
        == "org_admin"
    )
    assert (
        OrganisationRoleGrant.objects.get(
            person__email=emails["Partner L&D lead"]
        ).organisation.official_code
        == "R1K"
    )
    lead = PartnershipRoleGrant.objects.get(person__email=emails["Partnership lead"])
    assert (lead.role, lead.partnership.name) == ("partnership_lead", "West and North London")
    own_staff = Employment.objects.get(person__email=emails["Own-organisation staff"])
    assert own_staff.line_manager.person.email == emails["Own line manager"]
    outsider = Employment.objects.get(person__email=emails["Outsider (another partnership)"])
    assert outsider.organisation.memberships.get().partnership.name == "Greater Manchester (demo)"


def test_second_run_adds_nothing_and_prints_the_logins(demo, db):
    before = row_counts()
    output = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo", stdout=output)
    assert row_counts() == before
    text = output.getvalue()
    assert "nothing to add" in text
    for login in demo.logins:
        assert login.email in text
    assert "Own L&D lead" in text and DEMO_PASSWORD in text
