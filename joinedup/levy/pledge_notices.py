"""E-mails to levy officers about applications to pledges.

The services call `application_changed` inside their transaction; once it commits, one background
task sends `notifications/levy_application_<event>.txt` to the levy officers of the organisation
that needs to know (the sender hears of applications and answers, the applicant of decisions). A
change that rolls back sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from joinedup.partnership.models import OrganisationRole, OrganisationRoleGrant, Person
from joinedup.partnership.notifications import notify

from .models import PledgeApplication

SENDER = "sender"
APPLICANT = "applicant"
# Who hears of each event: the sending or the applying organisation's levy officers.
AUDIENCE: dict[str, tuple[str, ...]] = {
    "applied": (SENDER,),
    "approved": (APPLICANT,),
    "rejected": (APPLICANT,),
    "withdrawn": (SENDER,),
    "accepted": (SENDER,),
    "declined": (SENDER, APPLICANT),
    "expired": (SENDER, APPLICANT),
}


def application_changed(application: PledgeApplication, event: str) -> None:
    """Queue the event's e-mail for after the transaction commits."""
    if event not in AUDIENCE:
        raise ValueError(f"Unknown pledge notice {event!r}")
    transaction.on_commit(
        lambda: send_pledge_notice.enqueue(event=event, application_id=application.pk)
    )


def levy_officers(organisation_id: int) -> list[Person]:
    grants = OrganisationRoleGrant.objects.filter(
        organisation_id=organisation_id, role=OrganisationRole.LEVY_OFFICER
    ).select_related("person")
    return [grant.person for grant in grants if grant.person.is_active]


@task()
def send_pledge_notice(event: str, application_id: int) -> int:
    """Send one pledge e-mail to the levy officers concerned; return how many went."""
    application = (
        PledgeApplication.objects.select_related(
            "pledge__account__organisation", "account__organisation"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    organisations = {
        SENDER: application.pledge.account.organisation_id,
        APPLICANT: application.account.organisation_id,
    }
    context = {
        "application": application,
        "sender": application.pledge.account.organisation,
        "applicant": application.account.organisation,
        "url": settings.SITE_URL
        + reverse("levy:pledge-application", kwargs={"pk": application.pk}),
    }
    sent = 0
    for audience in AUDIENCE[event]:
        for person in levy_officers(organisations[audience]):
            if notify(person, f"levy_application_{event}", context):
                sent += 1
    return sent
