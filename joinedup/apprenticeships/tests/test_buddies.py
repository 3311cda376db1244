"""Buddies and module discussion spaces through the services, pages and API: pairing a cohort
across employers, re-pairing the buddy left behind by a withdrawal, and the spaces' members after
an enrolment starts and after a withdrawal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.apprenticeships import buddies, enrolments, module_spaces, programmes
from joinedup.apprenticeships.models import (
    BuddyPair,
    CohortModule,
    CommitmentStatement,
    EnrolmentStatus,
    Party,
    ProgrammeRole,
    ProgrammeStaff,
    Signature,
)
from joinedup.apprenticeships.tests.factories import EnrolmentFactory
from joinedup.network.models import Space, SpaceMember
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationRole
from joinedup.partnership.services import create_personal_token
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
)

from .statement_scene import Scene, _staff, build_scene

ACTIVE = EnrolmentStatus.ACTIVE


@pytest.fixture
def scene(db) -> Scene:
    """The statement scene's cohort (two modules) with Amara (Brent) active, the provider and
    the council in the programme's partnership."""
    made = build_scene(status=ACTIVE)
    partnership = made.enrolment.cohort.programme.partnership
    for organisation in (made.enrolment.employer, made.enrolment.provider):
        MembershipFactory(partnership=partnership, organisation=organisation)
    return made


def apprentice(scene: Scene, employer, name: str, status=ACTIVE):
    """Another apprentice on the scene's cohort, tutored by its tutor."""
    actor = _staff(employer, given_name=name, family_name="Apprentice")
    return EnrolmentFactory(
        cohort=scene.enrolment.cohort,
        employment=actor.person.employments.get(),
        practice_tutor=scene.tutor.person,
        status=status,
    )


def active_pairs(cohort) -> set[tuple[int, int]]:
    rows = BuddyPair.objects.filter(cohort=cohort, ended_on__isnull=True)
    return set(rows.values_list("first_id", "second_id"))


def client_of(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def test_pairing_puts_each_apprentice_with_someone_from_another_employer(scene):
    amara = scene.enrolment
    trust = OrganisationFactory(name="North Trust Example")
    ben = apprentice(scene, amara.employer, "Ben")
    tia = apprentice(scene, trust, "Tia")
    apprentice(scene, trust, "Waiting", status=EnrolmentStatus.AWAITING_COMMITMENT)

    pairing = buddies.pair_cohort(amara.cohort, scene.provider)

    # Amara and Ben (Brent) each get Tia (the trust): Tia is Ben's second buddy.
    assert active_pairs(amara.cohort) == {(amara.pk, tia.pk), (ben.pk, tia.pk)}
    assert len(pairing.made) == 2 and pairing.unpaired == []
    # A second press changes nothing.
    assert buddies.pair_cohort(amara.cohort, scene.provider).made == []


def test_only_the_providers_programme_leaders_pair(scene):
    with pytest.raises(PermissionDenied):
        buddies.pair_cohort(scene.enrolment.cohort, scene.employer)
    with pytest.raises(PermissionDenied):
        buddies.pair_cohort(scene.enrolment.cohort, scene.tutor)


def test_a_cohort_from_one_employer_is_left_unpaired_with_the_reason(scene):
    apprentice(scene, scene.enrolment.employer, "Ben")
    pairing = buddies.pair_cohort(scene.enrolment.cohort, scene.provider)
    assert pairing.made == []
    assert {reason for _, reason in pairing.unpaired} == {
        "Everyone else on the cohort works for the same employer"
    }


@pytest.mark.parametrize(
    ("before", "leaving", "reason"),
    [
        (ACTIVE, EnrolmentStatus.WITHDRAWN, buddies.WITHDRAWN_REASON),
        (EnrolmentStatus.IN_EPA, EnrolmentStatus.COMPLETED, buddies.COMPLETED_REASON),
    ],
)
def test_a_withdrawal_or_completion_ends_the_pair_and_re_pairs_the_buddy_across_employers(
    scene, before, leaving, reason
):
    amara = scene.enrolment
    trust = OrganisationFactory(name="North Trust Example")
    tia = apprentice(scene, trust, "Tia", status=before)
    ben = apprentice(scene, amara.employer, "Ben")
    una = apprentice(scene, trust, "Una")
    buddies.pair_cohort(amara.cohort, scene.provider)
    assert active_pairs(amara.cohort) == {(amara.pk, tia.pk), (ben.pk, una.pk)}

    enrolments.change_status(
        actor=scene.provider,
        enrolment=tia,
        status=leaving,
        effective_on=timezone.localdate(),
        reason="Tia leaves the cohort",
    )

    ended = BuddyPair.objects.get(first=amara, second=tia)
    assert ended.ended_on is not None and ended.ended_reason == reason
    # Amara (Brent) is left behind and joins Una (the trust), not her colleague Ben.
    assert active_pairs(amara.cohort) == {(ben.pk, una.pk), (amara.pk, una.pk)}


def _move(scene: Scene, enrolment, employer) -> None:
    """The provider records the apprentice's move to `employer` (a partner) today."""
    enrolment.date_of_birth = dt.date(1990, 5, 1)  # the funding rules look at the age
    job = EmploymentFactory(
        person=enrolment.apprentice, organisation=employer, start_date=enrolment.start_on
    )
    enrolments.change_employer(
        actor=scene.provider,
        enrolment=enrolment,
        new_employment=job,
        effective_on=timezone.localdate(),
        reason="Moved",
    )


def test_a_move_that_puts_a_pair_inside_one_employer_re_pairs_both_across_employers(scene):
    amara = scene.enrolment
    trust, harrow = (OrganisationFactory(name=f"{n} Example") for n in ("North Trust", "Harrow"))
    for organisation in (trust, harrow):
        MembershipFactory(partnership=amara.cohort.programme.partnership, organisation=organisation)
    tia = apprentice(scene, trust, "Tia")
    ben = apprentice(scene, amara.employer, "Ben")
    una = apprentice(scene, trust, "Una")
    buddies.pair_cohort(amara.cohort, scene.provider)
    assert active_pairs(amara.cohort) == {(amara.pk, tia.pk), (ben.pk, una.pk)}

    # Ben moves to a third employer: still not Una's, so their pair stays.
    _move(scene, ben, harrow)
    assert active_pairs(amara.cohort) == {(amara.pk, tia.pk), (ben.pk, una.pk)}

    # Tia moves to Amara's council: their pair ends, and each joins someone from elsewhere with
    # the fewest buddies: Amara joins Ben (now Harrow), Tia joins Una (the trust).
    _move(scene, tia, amara.employer)
    ended = BuddyPair.objects.get(first=amara, second=tia)
    assert ended.ended_on is not None and ended.ended_reason == buddies.SAME_EMPLOYER_REASON
    assert active_pairs(amara.cohort) == {(ben.pk, una.pk), (amara.pk, ben.pk), (tia.pk, una.pk)}


def _module_members(cohort) -> dict[int, set[tuple[int, int, bool]]]:
    """Each module space's members as (person, organisation, moderator), by cohort module."""
    rows = CohortModule.objects.filter(cohort=cohort)
    found = {}
    for row in rows:
        space = Space.objects.get(context_kind="apprenticeships.module", context_id=str(row.pk))
        found[row.pk] = set(
            SpaceMember.objects.filter(space=space).values_list(
                "person_id", "organisation_id", "is_moderator"
            )
        )
    return found


def test_module_spaces_hold_the_cohorts_apprentices_tutors_and_leaders(scene):
    amara = scene.enrolment
    trust = OrganisationFactory(name="North Trust Example")
    tia = apprentice(scene, trust, "Tia")
    waiting = apprentice(scene, trust, "Waiting", status=EnrolmentStatus.AWAITING_COMMITMENT)

    made = module_spaces.open_discussions(amara.cohort, scene.provider)
    assert [space.title for space in made] == [
        "Module 1: Leading people (September 2026 cohort)",
        "Module 2: Strategy (September 2026 cohort)",
    ]
    university = amara.provider_id
    expected = {
        (amara.apprentice_id, amara.employer_id, False),
        (tia.apprentice_id, trust.pk, False),
        (scene.tutor.person.pk, university, False),
        (scene.provider.person.pk, university, True),
    }
    spaces_members = _module_members(amara.cohort)
    assert len(spaces_members) == 2
    assert all(members == expected for members in spaces_members.values())
    assert waiting.apprentice_id not in {p for p, _, _ in expected}

    # The waiting apprentice starts: every module space takes them in.
    statement = CommitmentStatement.objects.create(enrolment=waiting, version=1, content={})
    for party, person in (
        (Party.APPRENTICE, waiting.apprentice),
        (Party.EMPLOYER, scene.employer.person),
        (Party.PROVIDER, scene.provider.person),
    ):
        Signature.objects.create(statement=statement, party=party, person=person)
    enrolments.activate(waiting, actor=scene.provider, on=dt.date(2026, 9, 7))
    joined = expected | {(waiting.apprentice_id, trust.pk, False)}
    assert all(members == joined for members in _module_members(amara.cohort).values())

    # Tia withdraws: every module space lets her go.
    enrolments.change_status(
        actor=scene.provider,
        enrolment=tia,
        status=EnrolmentStatus.WITHDRAWN,
        effective_on=timezone.localdate(),
        reason="Left the trust",
    )
    left = joined - {(tia.apprentice_id, trust.pk, False)}
    assert all(members == left for members in _module_members(amara.cohort).values())


def test_open_module_spaces_follow_moves_tutors_completions_and_leaders(scene):
    amara = scene.enrolment
    programme = amara.cohort.programme
    university = amara.provider
    trust = OrganisationFactory(name="North Trust Example")
    MembershipFactory(partnership=programme.partnership, organisation=trust)
    tia = apprentice(scene, trust, "Tia")
    module_spaces.open_discussions(amara.cohort, scene.provider)

    def members() -> set[tuple[int, int, bool]]:
        found = list(_module_members(amara.cohort).values())
        assert len(found) == 2 and found[0] == found[1]
        return found[0]

    # Tia moves to Amara's council: she is shown with the council.
    _move(scene, tia, amara.employer)
    assert (tia.apprentice_id, amara.employer_id, False) in members()

    # Amara gets a new practice tutor: Nell joins; Tom stays as Tia's tutor.
    nell = _staff(university, OrganisationRole.PRACTICE_TUTOR, given_name="Nell", family_name="T")
    ProgrammeStaff.objects.create(programme=programme, person=nell.person, role=ProgrammeRole.TUTOR)
    standard = programme.standard
    standard.off_the_job_hours = 187  # the rules for starts from August 2025 need it
    standard.save(update_fields=["off_the_job_hours"])
    enrolments.edit_terms(
        actor=scene.provider,
        enrolment=amara,
        price=amara.price,
        planned_end_on=amara.planned_end_on,
        hours_per_week=amara.hours_per_week,
        practice_tutor=nell.person,
        line_manager=amara.line_manager,
        reason="A tutor nearer the council",
    )
    assert {
        (nell.person.pk, university.pk, False),
        (scene.tutor.person.pk, university.pk, False),
    } <= members()

    # Tia completes: she leaves the spaces.
    enrolments.change_status(
        actor=scene.provider,
        enrolment=tia,
        status=EnrolmentStatus.COMPLETED,
        effective_on=timezone.localdate(),
        reason="Passed",
    )
    assert tia.apprentice_id not in {person for person, _, _ in members()}

    # A second leader is named, and moderates; removed, they leave.
    lee = _staff(university, OrganisationRole.PROGRAMME_LEADER, given_name="Lee", family_name="L")
    named = programmes.name_staff(
        actor=scene.provider,
        programme=programme,
        email=lee.person.employments.get().work_email,
        role=ProgrammeRole.LEADER,
    )
    assert (lee.person.pk, university.pk, True) in members()
    programmes.remove_staff(actor=scene.provider, staff=named)
    assert lee.person.pk not in {person for person, _, _ in members()}
    assert (scene.provider.person.pk, university.pk, True) in members()


def test_spaces_are_not_made_until_a_leader_opens_them(scene):
    with pytest.raises(PermissionDenied):
        module_spaces.open_discussions(scene.enrolment.cohort, scene.tutor)
    module_spaces.sync_if_open(scene.enrolment.cohort)
    assert not Space.objects.filter(context_kind="apprenticeships.module").exists()


def test_the_buddies_page_shows_pairs_and_the_unpaired_and_pairs_on_the_button(scene):
    amara = scene.enrolment
    tia = apprentice(scene, OrganisationFactory(name="North Trust Example"), "Tia")
    client = client_of(scene.provider)
    url = reverse("apprenticeships:cohort_buddies", args=[amara.cohort_id])

    page = client.get(url).content.decode()
    assert "Amara Okafor, Brent Council Example: Not paired yet" in page
    assert "Pair apprentices" in page

    response = client.post(reverse("apprenticeships:cohort_buddies_pair", args=[amara.cohort_id]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Tia Apprentice" in page and "North Trust Example" in page
    assert "Everyone on the cohort has a buddy." in page
    assert active_pairs(amara.cohort) == {(amara.pk, tia.pk)}


def test_the_progress_page_shows_the_apprentice_their_buddy_and_module_spaces(scene):
    amara = scene.enrolment
    tia = apprentice(scene, OrganisationFactory(name="North Trust Example"), "Tia")
    buddies.pair_cohort(amara.cohort, scene.provider)
    module_spaces.open_discussions(amara.cohort, scene.provider)
    url = reverse("apprenticeships:progress", args=[amara.pk])

    page = client_of(scene.apprentice).get(url).content.decode()
    assert "Tia Apprentice" in page and "North Trust Example" in page
    assert tia.employment.work_email in page
    assert "Module 1: Leading people (September 2026 cohort)" in page
    # The line manager sees the progress page, but not the buddy from another employer.
    page = client_of(scene.line_manager).get(url).content.decode()
    assert "Tia Apprentice" not in page


def test_the_api_gives_leaders_the_pairs_and_the_apprentice_their_buddy(scene):
    amara = scene.enrolment
    tia = apprentice(scene, OrganisationFactory(name="North Trust Example"), "Tia")
    _, leader = create_personal_token(actor=scene.provider, name="Test")
    _, mine = create_personal_token(actor=scene.apprentice, name="Test")
    _, lead = create_personal_token(actor=scene.employer, name="Test")
    base = f"/api/v1/apprenticeships/buddies/cohorts/{amara.cohort_id}"

    def call(method: str, path: str, token: str):
        return Client().generic(method, path, headers={"Authorization": f"Bearer {token}"})

    assert call("POST", f"{base}/pair", lead).status_code == 403
    made = json.loads(call("POST", f"{base}/pair", leader).content)
    assert [(p["first"]["enrolment"], p["second"]["enrolment"]) for p in made["made"]] == [
        (amara.pk, tia.pk)
    ]
    listed = json.loads(call("GET", base, leader).content)
    assert listed["pairs"][0]["second"]["employer"]["name"] == "North Trust Example"
    me = json.loads(call("GET", "/api/v1/apprenticeships/buddies/me", mine).content)
    assert [(b["name"], b["work_email"]) for b in me] == [
        ("Tia Apprentice", tia.employment.work_email)
    ]


def test_leaders_named_on_the_programme_moderate_even_if_also_tutors(scene):
    ProgrammeStaff.objects.create(
        programme=scene.enrolment.cohort.programme,
        person=scene.tutor.person,
        role=ProgrammeRole.LEADER,
    )
    _staff(scene.enrolment.provider, OrganisationRole.PROGRAMME_LEADER)
    module_spaces.sync_cohort(scene.enrolment.cohort)
    moderators = set(
        SpaceMember.objects.filter(is_moderator=True).values_list("person_id", flat=True)
    )
    assert moderators == {scene.tutor.person.pk, scene.provider.person.pk}


def test_the_demo_pairs_the_council_and_trust_apprentices_and_opens_module_spaces(demo, db):
    pair = BuddyPair.objects.select_related("first__employer", "second__employer").get(
        cohort__name="September 2026", ended_on__isnull=True
    )
    names = {pair.first.apprentice.full_name, pair.second.apprentice.full_name}
    assert names == {"Sam Okafor", "Pat Nwosu"}
    # Both apprentices, the council's and the trust's, have logged time and evidence.
    for enrolment in (pair.first, pair.second):
        assert enrolment.off_the_job.exists() and enrolment.evidence.exists(), enrolment
    assert pair.first.employer_id != pair.second.employer_id
    spaces = Space.objects.filter(context_kind="apprenticeships.module")
    linked = spaces.exclude(context_id__startswith="demo-")
    assert linked.count() == 6
    assert all(
        space.members.filter(person__given_name__in=["Sam", "Pat"]).count() == 2 for space in linked
    )
