"""The demo's buddies and module discussions on the Senior Leader "September 2026" cohort.

The trust's L&D lead (Pia Kowalski) enrols Pat Nwosu, a staff nurse, on the cohort (privately
funded under the Level 7 rule) and all three sign, so the cohort has a council apprentice (Sam
Okafor, Barnet) and a trust apprentice. The programme leader (Hana Osei) pairs the cohort, so
Sam and Pat are buddies, each seeing the other's name, employer and work e-mail on their progress
page; and opens the module discussions: one space per module, with both apprentices, the
practice tutor (Tom Riley) and Hana moderating. Called by `demo_data.load` inside its quiet
settings; written through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import PARTNER
from joinedup.partnership.models import Employment, Organisation, OrganisationRole, Person

from . import buddies, demo_off_the_job, demo_portfolio, enrolments, module_spaces, statements
from .models import Enrolment, Programme

COHORT = "September 2026"
TRUST_BORN = dt.date(1990, 6, 2)  # aged 36 at the start: privately funded (Level 7 rule)


def _persona(organisation: Organisation, given: str, family: str) -> Person | None:
    job = (
        Employment.objects.current()
        .filter(organisation=organisation, person__given_name=given, person__family_name=family)
        .select_related("person")
        .first()
    )
    return job.person if job else None


def _enrol_trust_apprentice(programme: Programme, tutor: Person, leader: Actor) -> None:
    """Enrol Pat Nwosu (the trust), all three sign, and Pat logs time and evidence."""
    trust = Organisation.objects.filter(official_code=PARTNER).first()
    pat = _persona(trust, "Pat", "Nwosu") if trust else None
    pia = _persona(trust, "Pia", "Kowalski") if trust else None
    if pat is None or pia is None or Enrolment.objects.filter(apprentice=pat).exists():
        return
    if not trust.role_grants.filter(person=pia, role=OrganisationRole.LD_LEAD).exists():
        return
    cohort = programme.cohorts.get(name=COHORT)
    lead = Actor(person=pia, organisation=trust)
    made = enrolments.enrol(
        actor=lead,
        cohort=cohort,
        employment=Employment.objects.current().get(organisation=trust, person=pat),
        line_manager=None,
        practice_tutor=tutor,
        start_on=cohort.starts_on,
        planned_end_on=cohort.ends_on,
        price=Decimal("14000.00"),
        hours_per_week=Decimal("37.50"),
        date_of_birth=TRUST_BORN,
        care_leaver=False,
        ehc_plan=False,
        levy_account=None,
        transfer_from=None,
    )
    statement = made.commitment_statements.order_by("-version").first()
    for actor in (Actor(person=pat, organisation=trust), lead, leader):
        statements.sign(actor=actor, statement=statement)
    demo_off_the_job.load(enrolment=made, tutor=tutor, entries=demo_off_the_job.TRUST_ENTRIES)
    demo_portfolio.load(enrolment=made, tutor=tutor, items=demo_portfolio.TRUST_ITEMS)


def load(*, programme: Programme, leader: Actor, tutor: Person) -> None:
    """Enrol the trust's apprentice, pair the cohort and open its module discussions."""
    _enrol_trust_apprentice(programme, tutor, leader)
    cohort = programme.cohorts.select_related("programme").get(name=COHORT)
    buddies.pair_cohort(cohort, leader)
    module_spaces.open_discussions(cohort, leader)
