"""The demo's end-point assessment: an external assessor account for Priya Shah of Skills Assess
Ltd (an assessment organisation outside the partnership), added by the university's programme
leader, with no booking yet. She signs in with the demo password and sees "My assessments"
(empty); once an apprentice's gateway passes, the programme leader books her by her e-mail.

Called by `demo_data.load` inside its quiet-mail block, once (the demo's marker guards it).
"""

from __future__ import annotations

from joinedup.partnership.actor import Actor
from joinedup.partnership.demo import DemoLogin
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import Person

from . import assessments

ASSESSOR = ("priya.shah@skillsassess.example", "Priya", "Shah")
ASSESSMENT_ORGANISATION = "Skills Assess Ltd"
ASSESSOR_LABEL = f"External end-point assessor ({ASSESSMENT_ORGANISATION})"


def load(*, leader: Actor) -> Person:
    """Add the external assessor account and give it the demo password."""
    email, given, family = ASSESSOR
    person = assessments.add_external_assessor(
        actor=leader, email=email, given_name=given, family_name=family
    )
    person.set_password(DEMO_PASSWORD)
    person.save(update_fields=["password"])
    return person


def logins() -> list[DemoLogin]:
    """The external assessor's sign-in, once the demo has made it."""
    email = ASSESSOR[0]
    if not Person.objects.filter(email=email).exists():
        return []
    return [DemoLogin(ASSESSOR_LABEL, email, DEMO_PASSWORD, ASSESSMENT_ORGANISATION)]
