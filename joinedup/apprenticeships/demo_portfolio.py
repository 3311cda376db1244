"""The demo's portfolio: Sam Okafor's evidence against the (illustrative) KSBs of ST0480, added
through the service as Sam and checked by the university's practice tutor, Tom Riley.

Four of the six KSBs are covered (K1, S1, B1, B2 each have an item signed off, one of them a file);
two are gaps at a glance on the coverage grid: K2 has an item still awaiting the tutor, and S2's
only item was queried ("more asked for"), so Sam can change it and send it back.

Pat Nwosu, the trust's apprentice on the cohort, has one item signed off (`TRUST_ITEMS`, loaded
by `demo_buddies`).

Called by `demo_data.load` inside its quiet-mail block, once (the demo's marker guards it).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from . import portfolio
from .models import Enrolment

DECISION_LOG = (
    b"Decision log: budget review, October 2026\n"
    b"1. Options shared with the finance and housing leads before the meeting.\n"
    b"2. Recorded who disagreed and why; the minority view went to the board paper.\n"
    b"3. Published the decision and its reasons to the team the same day.\n"
)
# (title, kind, content, KSB codes, the tutor's decision, the tutor's note)
ITEMS = (
    ("Led the partners' vision workshop", "text",
     "I planned and chaired a half-day workshop with the council, the trust and two charities to "
     "agree a shared vision for the front door to housing support. I used the stakeholder map "
     "from module 1 to choose who to invite and wrote up the three priorities we agreed.",
     ("K1", "S1"), portfolio.SIGN_OFF, "Clear link between the workshop and the vision."),
    ("Inclusive recruitment panel", "text",
     "I redesigned the shortlisting for two team leader posts: anonymised applications, a "
     "structured interview and a panel balanced by service and background. I reflect here on "
     "what changed in who applied and who was appointed.",
     ("B1",), portfolio.SIGN_OFF, ""),
    ("Decision log for the budget review", "file", DECISION_LOG, ("B2",), portfolio.SIGN_OFF,
     "Good: shows openness about the minority view."),
    ("Housing board dashboard", "link", "https://example.org/barnet/housing-board-dashboard",
     ("S2",), portfolio.ASK_FOR_MORE,
     "The dashboard is clear, but say which decisions the data changed and how you used it."),
    ("Change readiness survey", "link", "https://example.org/barnet/change-readiness-survey",
     ("K2",), None, ""),
)  # fmt: skip


TRUST_ITEMS = (
    ("Handover huddle redesign", "text",
     "I led the redesign of the ward's shift handover into a ten-minute huddle with a shared "
     "checklist, agreed with the team and the matron, and reviewed it after a month.",
     ("S1",), portfolio.SIGN_OFF, "Good evidence of leading a change with the team."),
)  # fmt: skip


def load(*, enrolment: Enrolment, tutor: Person, items: tuple = ()) -> int:
    """Add the apprentice's evidence (Sam's unless given) and the tutor's decisions; return how
    many items were added."""
    enrolment = Enrolment.objects.select_related("cohort__programme__partnership").get(
        pk=enrolment.pk
    )
    if not portfolio.is_open(enrolment):
        return 0
    apprentice = Actor(person=enrolment.apprentice, organisation=enrolment.employer)
    checker = Actor(person=tutor, organisation=enrolment.provider)
    codes = {row.ksb.code: row.ksb.pk for row in portfolio.coverage(enrolment)}
    added = 0
    for title, kind, content, ksbs, decision, note in items or ITEMS:
        if not all(code in codes for code in ksbs):
            continue
        if kind == "file":
            content_of = {"upload": SimpleUploadedFile("decision-log.txt", content)}
        else:
            content_of = {"text" if kind == "text" else "url": content}
        item = portfolio.add_evidence(
            actor=apprentice,
            enrolment=enrolment,
            title=title,
            kind=kind,
            ksbs=[codes[code] for code in ksbs],
            **content_of,
        )
        added += 1
        if decision:
            portfolio.check_evidence(actor=checker, evidence=item, decision=decision, note=note)
    return added
