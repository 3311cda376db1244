"""The demo's learning together: a module board of a leadership apprenticeship shared by a council
and a trust, a community of practice, a run's space, a reported post, and the initiatives register.

`joinedup demo` calls `load()` after the partnership, learning and materials demos exist (the app
demo hook). Everything is written through the network services (one audit entry each). The story
is found by its module board, so running the demo again changes nothing.

The story to try (`logins()` adds Brent's L&D lead to the printed sign-ins):
- Sam Okafor (Barnet social worker) and Pat Nwosu (staff nurse at the London North West trust)
  are apprentices on the board of module 2 of the Senior Leader apprenticeship, with apprentices of
  Brent, Harrow and the ICB: they discuss stakeholder mapping across their organisations.
- In the community of practice on reflective supervision a reply shares a service user's details;
  it has been reported, and waits in the moderation queue of Paula Reid (partnership lead), who can
  hide it with a reason (its author is told why).
- Barnet's "Discharge to assess with trusted assessors" initiative has a learning review by the
  partnership lead with outcome measures; Brent's L&D lead can mark it adopted with Brent's own
  changes. A second initiative has been adopted by Harrow already; both are public, so they are
  on the public register and in the open-data export.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings
from django.utils import timezone

from joinedup.learning.models import BookingStatus, Run
from joinedup.partnership.access import open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo import DemoLogin
from joinedup.partnership.demo_plan import DEMO_PASSWORD, ICB_CODE, PARTNERSHIP, PERSONAS
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
    Sector,
)

from . import initiatives, missions, moderation, posts, reviews, spaces, spread
from .models import Level, ReportReason, Space

BARNET, BRENT, HARROW, LNWH = "E09000003", "E09000005", "E09000015", "R1K"
BOARD_KIND = "apprenticeships.module"
BOARD_ID = "demo-senior-leader-2026-module-2"
BOARD_LABEL = "Senior Leader apprenticeship (level 7), September 2026 cohort: module 2"
BOARD_TITLE = "Module 2: Leading people and stakeholders (September 2026 cohort)"
ADOPTER_LABEL = "Neighbouring council L&D lead (Brent)"

MISSIONS = (
    ("Healthy lives for longer", "Fewer years lived in poor health; narrower gaps between areas."),
    ("Good work for local people", "Local people into good public-service jobs, and kept there."),
    ("Home, not hospital", "People go home from hospital when they are ready, with support."),
    ("Connected communities", "Fewer people lonely or isolated; stronger neighbourhoods."),
)


def _persona(key: str, organisation: Organisation) -> Person | None:
    """The demo persona's person, found by name at their organisation."""
    given, family = next(p.name for p in PERSONAS if p.key == key).split(" ", 1)
    employment = (
        Employment.objects.current()
        .filter(organisation=organisation, person__given_name=given, person__family_name=family)
        .select_related("person")
        .first()
    )
    return employment.person if employment else None


def _role_holder(organisation: Organisation, role: str) -> Person | None:
    grant = OrganisationRoleGrant.objects.filter(organisation=organisation, role=role).first()
    return grant.person if grant else None


def _staff(organisation: Organisation, count: int, skip: set[int]) -> list[Person]:
    """Some current staff of the organisation who play no other part."""
    found = (
        Employment.objects.current()
        .filter(organisation=organisation)
        .exclude(person_id__in=skip)
        .select_related("person")
        .order_by("id")[:count]
    )
    return [employment.person for employment in found]


class _Story:
    def __init__(self, partnership: Partnership, organisations: dict[str, Organisation]) -> None:
        self.partnership = partnership
        self.orgs = organisations
        self.today = timezone.localdate()
        self.created: dict[str, int] = {}

    def count(self, label: str, number: int = 1) -> None:
        self.created[label] = self.created.get(label, 0) + number

    def board(self, sam: Person, pat: Person, lead: Actor) -> None:
        """The module board, kept as another app would keep it, and a discussion across
        organisations."""
        used = {sam.pk, pat.pk, lead.person.pk}
        others = [
            (person, self.orgs[code])
            for code in (BRENT, HARROW, ICB_CODE)
            for person in _staff(self.orgs[code], 2, used)
        ]
        board = spaces.context_space(
            partnership=self.partnership,
            owner_organisation=self.orgs[ICB_CODE],
            kind=BOARD_KIND,
            object_id=BOARD_ID,
            label=BOARD_LABEL,
            title=BOARD_TITLE,
            owner=lead.person,
        )
        members = [(sam, self.orgs[BARNET]), (pat, self.orgs[LNWH]), *others]
        spaces.set_context_members(board, [*members, (lead.person, lead.organisation)])
        self.count("module boards")
        sam_actor = Actor(person=sam, organisation=self.orgs[BARNET])
        pat_actor = Actor(person=pat, organisation=self.orgs[LNWH])
        thread = posts.start_thread(
            sam_actor,
            board,
            "Stakeholder mapping: how did you do yours?",
            "For the module 2 assignment I mapped the stakeholders of our **hospital discharge** "
            "work. In the council the power sits with the *cabinet member* and the director.\n\n"
            "How does it look in a trust? Who did you put in the top right corner?",
        )
        posts.reply(
            pat_actor,
            thread,
            "On the ward it was the *discharge hub* and the consultants, then the ICB's "
            "commissioners. We also had to include the family carers:\n\n"
            "- the matron owns the ward's flow\n- the hub owns the criteria to reside\n"
            "- the carers' voice came through the carers' network\n\n"
            "Funny how the same patient journey needs two different maps.",
        )
        posts.reply(
            Actor(person=others[0][0], organisation=others[0][1]),
            thread,
            "> Funny how the same patient journey needs two different maps.\n\n"
            "Same in Brent. We used the Mendelow grid from the module reading list and put the "
            "voluntary sector higher than we expected.",
        )
        posts.start_thread(
            Actor(person=others[2][0], organisation=others[2][1]),
            board,
            "Off-the-job hours: how do you protect them?",
            "Our rota makes the study day the first thing to go. What has worked for you?",
        )
        self.count("threads", 2)
        self.count("posts", 5)

    def community(self, ld_lead: Actor, reporter: Person, lead: Actor) -> None:
        """A community of practice with a reply that shares a service user's details, reported
        and waiting for a moderator."""
        community = spaces.start_community(
            actor=ld_lead,
            title="Reflective supervision across health and care",
            description="Social workers, nurses and their supervisors sharing how they run "
            "reflective supervision, and what they have learnt.",
        )
        members = _staff(ld_lead.organisation, 2, {ld_lead.person.pk, reporter.pk})
        members += _staff(self.orgs[LNWH], 2, {reporter.pk})
        for person in members:
            organisation = self.orgs[LNWH] if person in members[2:] else ld_lead.organisation
            spaces.join(actor=Actor(person=person, organisation=organisation), space=community)
        reporter_actor = Actor(person=reporter, organisation=self.orgs[LNWH])
        spaces.join(actor=reporter_actor, space=community)
        thread = posts.start_thread(
            ld_lead,
            community,
            "Group supervision: what format works for you?",
            "We are trying a *fortnightly* group format with a rotating case presenter. "
            "What have others tried?",
        )
        author = Actor(person=members[0], organisation=ld_lead.organisation)
        shared = posts.reply(
            author,
            thread,
            "We discussed the case of Mrs J. at 14 Acacia Road last week, who keeps "
            "missing her appointments: ring me for her number.",
        )
        posts.reply(
            Actor(person=members[2], organisation=self.orgs[LNWH]),
            thread,
            "On the wards we do 45 minutes, once a month, with a rule that nobody brings notes.",
        )
        moderation.report(
            actor=reporter_actor,
            post=shared,
            reason=ReportReason.PERSONAL_DATA,
            detail="Names a service user and her address.",
        )
        self.count("communities")
        self.count("threads")
        self.count("posts", 3)
        self.count("reports")

    def run_space(self) -> None:
        """A space for one of Barnet's runs with confirmed bookings, opened by its host."""
        run = (
            Run.objects.filter(
                programme__host=self.orgs[BARNET],
                bookings__status=BookingStatus.CONFIRMED,
                cancelled_at=None,
                network_space=None,
            )
            .order_by("cut_off_at", "pk")
            .first()
        )
        host = _role_holder(self.orgs[BARNET], OrganisationRole.LD_LEAD)
        if run is None or host is None:
            return
        host_actor = Actor(person=host, organisation=self.orgs[BARNET])
        space = spaces.open_run_space(actor=host_actor, run=run)
        posts.start_thread(
            host_actor,
            space,
            "Welcome: before the first session",
            "Please read the pre-reading on the course page and bring one example from your "
            "own practice.",
        )
        self.count("run spaces")
        self.count("threads")

    def register(self, lead: Actor, ld_lead: Actor) -> None:
        """The missions, two initiatives with a review each, and one adoption by Harrow."""
        made = [
            missions.add_mission(
                actor=lead, partnership=self.partnership, name=name, description=description
            )
            for name, description in MISSIONS
        ]
        self.count("missions", len(made))
        discharge = initiatives.record(
            ld_lead,
            {
                "title": "Discharge to assess with trusted assessors",
                "summary": "Council social workers and trust therapists assess people at home, "
                "not on the ward, using one trusted assessment both organisations accept.",
                "problem": "discharge",
                "problem_detail": "People fit to leave waited on wards for separate council and "
                "NHS assessments of the same needs.",
                "missions": [made[2].pk, made[0].pk],
                "levels": [Level.LOCAL, Level.NHS, Level.VOLUNTARY],
                "sectors": [Sector.LOCAL_GOVERNMENT, Sector.HEALTH, Sector.VOLUNTARY],
                "places": [BARNET],
                "partners": [
                    {
                        "organisation": self.orgs[LNWH].pk,
                        "level": Level.NHS,
                        "brings": ["staff", "expertise", "data"],
                        "contribution": "Occupational therapists and the discharge hub's data.",
                    },
                    {
                        "organisation": self.orgs[ICB_CODE].pk,
                        "level": Level.NHS,
                        "brings": ["money", "legitimacy"],
                        "contribution": "Pooled funding for the pilot and its sponsorship.",
                    },
                    {
                        "organisation_name": "Barnet Carers Centre",
                        "level": Level.VOLUNTARY,
                        "brings": ["expertise"],
                        "contribution": "Carers' conversations before discharge.",
                    },
                ],
                "sponsors": [
                    {"organisation": self.orgs[BARNET].pk, "role": "Director of adult services"}
                ],
                "started_on": dt.date(2025, 10, 1),
                "status": "scaling",
                "funding_amount": Decimal("240000"),
                "funding_source": "Better Care Fund",
                "is_public": True,
            },
        )
        reviews.add_review(
            actor=lead,
            initiative=discharge,
            data={
                "reviewed_on": self.today - dt.timedelta(days=30),
                "what_worked": "One assessment both organisations trust; the therapists and "
                "social workers visiting together; a daily ten-minute huddle.",
                "what_did_not": "Weekend discharges: the council's duty team was not staffed for "
                "home assessments on Saturdays.",
                "place_history": "Barnet and the trust had already pooled reablement money.",
                "place_geography": "A compact borough: most homes within 30 minutes of the ward.",
                "place_relationships": "The discharge hub manager and the head of adult social "
                "work had worked together for years.",
                "frontline_buy_in": "high",
                "frontline_buy_in_notes": "Staff saw people go home sooner.",
                "reporting_burden": "medium",
                "reporting_burden_notes": "Two returns, to the council and to the ICB.",
                "evidence": [
                    {
                        "title": "NHS England: discharge to assess",
                        "url": "https://www.england.nhs.uk/urgent-emergency-care/hospital-discharge/",
                    }
                ],
                "measures": [
                    {
                        "name": "Median days from fit to leave to discharge",
                        "value": "1.5",
                        "unit": "days",
                        "measured_on": self.today - dt.timedelta(days=31),
                    },
                    {
                        "name": "People still at home 91 days after discharge",
                        "value": "84",
                        "unit": "%",
                        "measured_on": self.today - dt.timedelta(days=31),
                    },
                ],
            },
        )
        befriending = initiatives.record(
            lead,
            {
                "title": "Social prescribing link workers in GP practices",
                "summary": "Link workers connect lonely people to community groups.",
                "problem": "isolation",
                "missions": [made[3].pk],
                "levels": [Level.NHS, Level.COMMUNITY],
                "sectors": [Sector.HEALTH, Sector.VOLUNTARY],
                "places": [BARNET, BRENT, HARROW],
                "started_on": dt.date(2024, 4, 1),
                "status": "mainstreamed",
                "is_public": True,
            },
        )
        reviews.add_review(
            actor=lead,
            initiative=befriending,
            data={
                "reviewed_on": self.today - dt.timedelta(days=90),
                "what_worked": "Link workers based in practices, known by the receptionists.",
                "what_did_not": "Referrals dropped when the link worker post was vacant.",
            },
        )
        harrow_lead = _role_holder(self.orgs[HARROW], OrganisationRole.LD_LEAD)
        if harrow_lead is not None:
            spread.record_adoption(
                actor=Actor(person=harrow_lead, organisation=self.orgs[HARROW]),
                initiative=befriending,
                data={
                    "gss_code": HARROW,
                    "adopted_on": self.today - dt.timedelta(days=60),
                    "local_changes": "Link workers shared by two practices each, and a Gujarati "
                    "and Tamil speaking worker.",
                    "lessons": "Start with the practices whose receptionists asked for it.",
                },
            )
            self.count("adoptions")
        self.count("initiatives", 2)
        self.count("learning reviews", 2)


def load() -> dict[str, int]:
    """Tell the network story once; return the rows it created (nothing the second time)."""
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    told = Space.objects.filter(context_kind=BOARD_KIND, context_id=BOARD_ID).exists()
    if partnership is None or told:
        return {}
    members = Organisation.objects.filter(
        pk__in=open_memberships().filter(partnership=partnership).values("organisation")
    )
    organisations = {o.official_code or o.name: o for o in members}
    if not {BARNET, BRENT, HARROW, LNWH, ICB_CODE} <= organisations.keys():
        return {}
    grant = PartnershipRoleGrant.objects.filter(
        partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    ).first()
    sam = _persona("own_staff", organisations[BARNET])
    pat = _persona("partner_staff", organisations[LNWH])
    lee = _persona("own_ld_lead", organisations[BARNET])
    if grant is None or None in (sam, pat, lee):
        return {}
    lead = Actor(person=grant.person, organisation=organisations[ICB_CODE])
    ld_lead = Actor(person=lee, organisation=organisations[BARNET])
    story = _Story(partnership, organisations)
    # The services tell people by e-mail as they go; the demo's fictional staff need no mail.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", NOTIFY_API_KEY=""
    ):
        story.board(sam, pat, lead)
        story.community(ld_lead, pat, lead)
        story.run_space()
        story.register(lead, ld_lead)
    adopter = _role_holder(organisations[BRENT], OrganisationRole.LD_LEAD)
    if adopter is not None:
        # Demo staff who are not personas cannot sign in; this one tells the story's last step.
        adopter.password = make_password(DEMO_PASSWORD)
        adopter.save(update_fields=["password"])
    return story.created


def logins() -> list[DemoLogin]:
    """The network story's extra sign-in: Brent's L&D lead, who can mark an initiative adopted."""
    brent = Organisation.objects.filter(official_code=BRENT).first()
    person = _role_holder(brent, OrganisationRole.LD_LEAD) if brent else None
    if person is None:
        return []
    return [DemoLogin(ADOPTER_LABEL, person.email, DEMO_PASSWORD, brent.name)]
