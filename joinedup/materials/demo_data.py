"""The demo's shared materials library: real organisations' (fictional) learning materials.

`joinedup demo` calls `load()` after the partnership and learning demos exist. Everything is
written through the services, with small real files (DOCX, PPTX, ODT, PDF) made in memory, so the
versions, lineage, audit log and search document are what a person's uploads would give. The text
inside each file is read at once, as the background task would, so search finds it without a
worker running.

What a visitor finds:

- London North West University Healthcare NHS Trust's facilitator guide on reflective
  supervision, for partnership members only; the words "kitchen table debrief" are inside the
  file, not its title or summary, so the Barnet L&D lead persona can find it by that phrase,
  adapt it with credit and record its reuse (docs/MATERIALS.md walks through it);
- the trust's trauma-informed care slide deck under the Open Government Licence, published
  openly: the one an anonymous visitor can read at /materials/open/;
- the trust's ward induction checklist, owner organisation only;
- Camden's trauma-informed practice workbook (CC BY 4.0, not yet published openly), which Brent
  adapted for housing officers with credit, and Barnet's strengths-based conversations workbook
  (CC BY-SA 4.0), which Ealing adapted (the adaptation stays CC BY-SA);
- uses recorded by other organisations, with learners reached and savings, and one open report.

The trust's facilitator guide is the marker: when it exists, nothing is added. The trainer pool
and the train-the-trainer cascade are added by `demo_trainers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.learning.models import Programme, Run
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, OrganisationRole, OrganisationRoleGrant

from . import demo_trainers, documents, services
from .models import (
    ExtractionStatus,
    Licence,
    Material,
    MaterialKind,
    MaterialReport,
    MaterialVersion,
    ReportReason,
    Reuse,
)

TRUST = "R1K"  # London North West University Healthcare NHS Trust: the personas' partner
BARNET = "E09000003"  # the personas' own organisation
BRENT = "E09000005"
CAMDEN = "E09000007"
EALING = "E09000009"
IMPERIAL = "RYJ"  # Imperial College Healthcare NHS Trust
ICB = "Z9B2Z"
CODES = (TRUST, BARNET, BRENT, CAMDEN, EALING, IMPERIAL, ICB)

GUIDE_TITLE = "Reflective supervision for ward managers: facilitator guide"
GUIDE_PHRASE = "kitchen table debrief"
SLIDES_TITLE = "Trauma-informed care: an introduction for all staff"
CHECKLIST_TITLE = "Ward induction checklist"
CAMDEN_TITLE = "Trauma-informed practice: session workbook"
BRENT_TITLE = "Trauma-informed practice in housing services: session workbook"
BARNET_TITLE = "Strengths-based conversations: practice workbook"
EALING_TITLE = "Strengths-based conversations in hospital discharge: practice workbook"


def _guide() -> bytes:
    return documents.docx(
        "Reflective supervision for ward managers",
        "Facilitator guide, version 1. London North West University Healthcare NHS Trust.",
        "Purpose: this half-day session helps ward and department managers give registered "
        "nurses, midwives and allied health professionals regular reflective supervision that "
        "is safe, focused and recorded.",
        "Before the session: book a quiet room for up to twelve people, print the supervision "
        "agreement template and the reflective cycle handout, and send the pre-reading a week "
        "ahead.",
        "09:30 Welcome and agreement (20 minutes). Agree confidentiality and its limits: "
        "anything that raises a safeguarding or fitness to practise concern is escalated.",
        "09:50 What supervision is for (30 minutes). Normative, formative and restorative "
        "functions; how supervision differs from line management and appraisal.",
        "10:20 The kitchen table debrief (40 minutes). In threes, one person describes a shift "
        "that stayed with them as if talking across a kitchen table: what happened, what they "
        "felt, what they did next. The second asks only open questions. The third watches the "
        "time and notes the questions that opened the conversation up. Swap roles twice.",
        "11:00 Break (15 minutes).",
        "11:15 Using Gibbs' reflective cycle in a supervision record (45 minutes).",
        "12:00 Making it happen on your ward (20 minutes): protected time, rota planning, "
        "supervision when staff work nights.",
        "12:20 Close and evaluation (10 minutes).",
        "Facilitator notes: keep the kitchen table debrief informal; stop any pair that drifts "
        "into problem-solving and bring them back to listening.",
    )


def _slides() -> bytes:
    return documents.pptx(
        [
            (
                ["Trauma-informed care", "An introduction for all staff"],
                ["Welcome the group and say the session is about how we work, not a diagnosis."],
            ),
            (
                ["What is trauma?", "Events, experiences and effects: the three Es"],
                ["Use the three Es from the Office for Health Improvement and Disparities."],
            ),
            (
                [
                    "Six principles",
                    "Safety, trustworthiness, choice, collaboration, empowerment, cultural "
                    "consideration",
                ],
                None,
            ),
            (
                ["In practice", "Ask 'what happened to you?', not 'what is wrong with you?'"],
                ["Invite two examples from the room before moving on."],
            ),
            (["Looking after yourself", "Vicarious trauma and where to get support"], None),
        ]
    )


def _checklist() -> bytes:
    return documents.odt(
        "Ward induction checklist",
        "For the ward manager or nurse in charge, in the new starter's first two weeks.",
        "Day one: fire exits and assembly point; resuscitation trolley check; ID badge and "
        "smartcard working; e-roster access.",
        "First week: medicines management policy read; falls and pressure ulcer bundles "
        "explained; introduced to the practice educator.",
        "Second week: observed medicines round signed off; preceptorship agreed where needed.",
    )


def _camden_workbook() -> bytes:
    return documents.pdf(
        [
            [
                "Trauma-informed practice: session workbook",
                "London Borough of Camden. For participants on the one-day course.",
                "Exercise 1: the window of tolerance. Think of a time you were outside your "
                "window of tolerance at work. What took you there, and what brought you back?",
            ],
            [
                "Exercise 2: rewriting a letter. Take the appointment letter in the appendix and "
                "rewrite it using the six principles: safety, trustworthiness, choice, "
                "collaboration, empowerment and cultural consideration.",
                "Exercise 3: your next step. Write one change you will make in the next month.",
            ],
        ]
    )


def _brent_workbook() -> bytes:
    return documents.pdf(
        [
            [
                "Trauma-informed practice in housing services: session workbook",
                "Adapted by the London Borough of Brent from the London Borough of Camden's "
                "trauma-informed practice workbook.",
                "Exercise 1: the window of tolerance at the housing options counter.",
            ],
            [
                "Exercise 2: rewriting a section 184 decision letter using the six principles.",
                "Exercise 3: your next step with tenants and applicants.",
            ],
        ]
    )


def _barnet_workbook() -> bytes:
    return documents.odt(
        "Strengths-based conversations: practice workbook",
        "London Borough of Barnet adult social care.",
        "Part 1: what matters to you? Practising the opening question and staying with the "
        "answer before talking about services.",
        "Part 2: three conversations. Conversation one connects people to community "
        "resources; conversation two works intensively at a time of crisis; conversation three "
        "plans long-term support.",
        "Part 3: recording a strengths-based assessment under the Care Act 2014.",
    )


@dataclass(frozen=True)
class MaterialPlan:
    owner: str
    title: str
    summary: str
    kind: str
    licence: str
    topics: tuple[str, ...]
    file_name: str = ""
    content: Callable[[], bytes] | None = None
    programme: str = ""  # the title of one of the owner's programmes
    show_lead_name: bool = False  # the owner's L&D lead, the author, shows their name publicly
    publish_openly: bool = False
    adapted_from: str = ""  # the title of the material adapted
    change_note: str = ""


@dataclass(frozen=True)
class ReusePlan:
    material: str
    organisation: str
    used_on: dt.date
    context: str
    learners: int
    hours: Decimal
    cost: Decimal
    programme: str = ""  # a programme of the reusing organisation whose run it was used on


MATERIALS = (
    MaterialPlan(
        TRUST,
        GUIDE_TITLE,
        "A half-day session plan for ward and department managers who supervise registered "
        "staff, with timings, exercises and facilitator notes.",
        MaterialKind.FACILITATOR_GUIDE,
        Licence.PARTNERSHIP,
        ("Reflective practice", "Supervision"),
        "reflective-supervision-facilitator-guide.docx",
        _guide,
        programme="Preceptorship for newly registered nurses",
        show_lead_name=True,
    ),
    MaterialPlan(
        TRUST,
        SLIDES_TITLE,
        "Five slides with speaker notes for a one-hour introduction to trauma-informed care "
        "for clinical and non-clinical staff.",
        MaterialKind.SLIDE_DECK,
        Licence.OGL_3,
        ("Trauma-informed practice", "Wellbeing"),
        "trauma-informed-care-introduction.pptx",
        _slides,
        show_lead_name=True,
        publish_openly=True,
    ),
    MaterialPlan(
        TRUST,
        CHECKLIST_TITLE,
        "What a new starter on the trust's wards is shown and signed off in their first two weeks.",
        MaterialKind.TEMPLATE,
        Licence.OWNER_ONLY,
        ("Induction",),
        "ward-induction-checklist.odt",
        _checklist,
    ),
    MaterialPlan(
        CAMDEN,
        CAMDEN_TITLE,
        "Participants' exercises for the one-day trauma-informed practice course.",
        MaterialKind.WORKBOOK,
        Licence.CC_BY_4,
        ("Trauma-informed practice",),
        "trauma-informed-practice-workbook.pdf",
        _camden_workbook,
        programme="Trauma-informed practice",
    ),
    MaterialPlan(
        BRENT,
        BRENT_TITLE,
        "Camden's workbook with the exercises rewritten for housing options and tenancy staff.",
        MaterialKind.WORKBOOK,
        Licence.CC_BY_4,
        ("Housing", "Trauma-informed practice"),
        "trauma-informed-practice-housing-workbook.pdf",
        _brent_workbook,
        adapted_from=CAMDEN_TITLE,
        change_note="Exercises rewritten for housing options and tenancy staff.",
    ),
    MaterialPlan(
        BARNET,
        BARNET_TITLE,
        "A workbook for practitioners on the strengths-based practice workshop: the opening "
        "question, the three conversations and recording the assessment.",
        MaterialKind.WORKBOOK,
        Licence.CC_BY_SA_4,
        ("Adult social care", "Strengths-based practice"),
        "strengths-based-conversations-workbook.odt",
        _barnet_workbook,
        programme="Strengths-based practice in adult social care",
        show_lead_name=True,
    ),
    MaterialPlan(
        EALING,
        EALING_TITLE,
        "Barnet's workbook as it stands, used with the hospital discharge team; the same "
        "file, credited to Barnet.",
        MaterialKind.WORKBOOK,
        Licence.CC_BY_SA_4,
        ("Hospital discharge", "Strengths-based practice"),
        adapted_from=BARNET_TITLE,
    ),
)

REUSES = (
    ReusePlan(GUIDE_TITLE, ICB, dt.date(2026, 6, 17), "Supervision skills for ICB clinical "
              "leads", 12, Decimal("6.0"), Decimal("450.00")),
    ReusePlan(GUIDE_TITLE, IMPERIAL, dt.date(2026, 9, 8), "Ward managers' development day",
              18, Decimal("8.5"), Decimal("720.00")),
    ReusePlan(SLIDES_TITLE, BRENT, dt.date(2026, 7, 2), "Induction for housing officers",
              24, Decimal("14.0"), Decimal("1200.00")),
    ReusePlan(SLIDES_TITLE, CAMDEN, dt.date(2026, 10, 14), "Trauma-informed practice course",
              16, Decimal("4.0"), Decimal("300.00"), programme="Trauma-informed practice"),
    ReusePlan(CAMDEN_TITLE, BARNET, dt.date(2026, 8, 20), "Team day for the adult social care "
              "front door", 18, Decimal("10.5"), Decimal("800.00")),
)  # fmt: skip

REPORT = (
    CAMDEN_TITLE,
    EALING,
    ReportReason.ERROR,
    "Exercise 2 says the appointment letter is in the appendix, but the workbook has no appendix.",
)


@dataclass
class _Library:
    organisations: dict[str, Organisation]
    leads: dict[int, Actor]
    made: dict[str, Material] = field(default_factory=dict)

    def lead(self, code: str) -> Actor:
        return self.leads[self.organisations[code].pk]

    def programmes(self, code: str, title: str) -> list[Programme]:
        if not title:
            return []
        return list(Programme.objects.filter(host=self.organisations[code], title=title)[:1])

    def material(self, plan: MaterialPlan) -> Material:
        actor = self.lead(plan.owner)
        details = {
            "actor": actor,
            "owner": actor.organisation,
            "title": plan.title,
            "summary": plan.summary,
            "kind": plan.kind,
            "licence": plan.licence,
            "topics": list(plan.topics),
            "programmes": self.programmes(plan.owner, plan.programme),
            "authors": [(actor.person, plan.show_lead_name)],
            "change_note": plan.change_note,
        }
        if plan.content is not None:
            details["upload"] = SimpleUploadedFile(plan.file_name, plan.content())
        if plan.adapted_from:
            source = self.made[plan.adapted_from]
            material = services.adapt_material(source_version=source.current_version, **details)
        else:
            material = services.create_material(**details)
        _read_text(material)
        if plan.publish_openly:
            services.publish_openly(
                actor=actor, material=material, licence_confirmed=True, content_confirmed=True
            )
        self.made[plan.title] = material
        return material

    def reuse(self, plan: ReusePlan) -> None:
        actor = self.lead(plan.organisation)
        run = (
            Run.objects.filter(
                programme__host=actor.organisation, programme__title=plan.programme
            ).first()
            if plan.programme
            else None
        )
        services.record_reuse(
            actor=actor,
            material=self.made[plan.material],
            organisation=actor.organisation,
            used_on=plan.used_on,
            run=run,
            context=plan.context,
            learners_reached=plan.learners,
            hours_saved=plan.hours,
            cost_saved=plan.cost,
        )


def _read_text(material: Material) -> None:
    """Read the text inside the material's current file now, as the background task would."""
    version = MaterialVersion.objects.get(pk=material.current_version_id)
    if version.extraction_status == ExtractionStatus.PENDING:
        services.read_version_text(version_id=version.pk)


def load() -> dict[str, int]:
    """Create the demo's materials, reuse and report unless the trust's guide already exists."""
    organisations = {
        o.official_code: o for o in Organisation.objects.filter(official_code__in=CODES)
    }
    if len(organisations) != len(CODES):
        return {}
    if Material.objects.filter(owner=organisations[TRUST], title=GUIDE_TITLE).exists():
        return demo_trainers.load()
    grants = (
        OrganisationRoleGrant.objects.filter(
            organisation__in=organisations.values(), role=OrganisationRole.LD_LEAD
        )
        .select_related("person", "organisation")
        .order_by("-pk")
    )
    # The first L&D lead of each organisation (in Barnet and the trust, the personas).
    leads = {g.organisation_id: Actor(person=g.person, organisation=g.organisation) for g in grants}
    if len(leads) != len(CODES):
        return {}
    before = {model: model.objects.count() for model in (Material, Reuse, MaterialReport)}
    library = _Library(organisations=organisations, leads=leads)
    for plan in MATERIALS:
        library.material(plan)
    for plan in REUSES:
        library.reuse(plan)
    title, reporter, reason, details = REPORT
    services.report_material(
        actor=library.lead(reporter), material=library.made[title], reason=reason, details=details
    )
    names = {Material: "materials", Reuse: "material reuses", MaterialReport: "material reports"}
    created = {names[model]: model.objects.count() - count for model, count in before.items()}
    return created | demo_trainers.load()
