"""The demo's trainer pool, loaded by `joinedup demo`: the trust's course delivered by accredited
trainers, its cascade with learners reached, and its trainers in the pool for the council."""

from __future__ import annotations

from django.test import override_settings
from django.utils import timezone

from joinedup.learning.models import Programme, Run
from joinedup.materials import access, accreditation_queries, demo_trainers
from joinedup.materials.models import Accreditation, TrainerAvailability, TrainerOffer
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo import build_demo
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import AuditEvent, OrganisationRole, OrganisationRoleGrant

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def course() -> Programme:
    return Programme.objects.get(
        host__official_code=demo_trainers.TRUST, title=demo_trainers.PROGRAMME
    )


def test_the_trusts_course_is_delivered_by_accredited_trainers(demo, db):
    assert course().delivered_by_accredited_trainers
    assert demo.created["accreditations"] == 3
    assert AuditEvent.objects.filter(action="accreditation.given").count() == 3


def test_the_cascade_runs_from_the_trusts_lead_through_two_generations_with_learners(demo, db):
    cascade = accreditation_queries.cascade_of(course())
    (root,) = cascade.roots
    first = cascade.accreditations[root.id]
    lead = OrganisationRoleGrant.objects.filter(
        organisation__official_code=demo_trainers.TRUST, role=OrganisationRole.LD_LEAD
    ).first()
    assert first.trained_by is None
    assert first.accredited_by == lead.person
    assert len(root.children) == 2
    trainees = [cascade.accreditations[child.id] for child in root.children]
    assert {a.accredited_by for a in trainees} == {first.person}
    assert "Pat Nwosu" in {a.person.full_name for a in trainees}
    # Her own run's ten learners and Pat's run's eight
    assert root.learners == 10
    assert root.branch_learners == cascade.total_learners == 18
    assert all(a.is_current(timezone.localdate()) for a in cascade.accreditations.values())


def test_the_runs_they_delivered_name_them_and_lie_in_the_past(demo, db):
    runs = Run.objects.filter(programme=course(), trainer__isnull=False)
    assert runs.count() == 2
    assert all(run.first_session().date < timezone.localdate() for run in runs)


def test_pat_and_her_manager_are_in_the_pool_with_dates_ahead_for_the_council(demo, db):
    offers = TrainerOffer.objects.filter(is_active=True).select_related("person")
    assert {o.person.full_name for o in offers} >= {"Pat Nwosu"}
    assert offers.count() == 2
    pat = offers.get(person__given_name="Pat", person__family_name="Nwosu")
    partners = set(pat.partners.values_list("name", flat=True))
    assert partners == {"London Borough of Barnet", demo_trainers.POLICE}
    assert pat.days_per_month == 2
    today = timezone.localdate()
    ranges = TrainerAvailability.objects.filter(offer__in=offers)
    assert ranges.count() == 3
    assert all(r.starts_on > today for r in ranges)


def test_the_councils_lead_finds_pat_and_her_manager_can_sign_in(demo, db):
    barnet_lead = OrganisationRoleGrant.objects.filter(
        organisation__official_code=demo_trainers.BARNET, role=OrganisationRole.LD_LEAD
    ).select_related("person", "organisation")
    grant = barnet_lead.order_by("pk").first()
    actor = Actor(person=grant.person, organisation=grant.organisation)
    found = access.pool_offers(actor).values_list("person__family_name", flat=True)
    assert "Nwosu" in set(found)
    pat = TrainerOffer.objects.get(person__family_name="Nwosu").person
    manager = pat.employments.get(organisation__official_code=demo_trainers.TRUST).line_manager
    assert manager.person.check_password(DEMO_PASSWORD)


def test_running_the_demo_again_adds_no_trainers(demo, db):
    models = (Accreditation, TrainerOffer, TrainerAvailability, Run)
    before = {model.__name__: model.objects.count() for model in models}

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        again = build_demo()

    assert {model.__name__: model.objects.count() for model in models} == before
    assert not any(again.created.values())
