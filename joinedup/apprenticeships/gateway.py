"""The gateway: whether an apprentice is ready for the end-point assessment.

`check(enrolment)` gathers the facts from the other areas (module results from `submissions`,
KSB coverage from `portfolio`, off-the-job totals from `off_the_job`, the workplace project and
the agreements) and hands them to the plain rules in `gateway_rules.py`. The end-point assessment
is booked only when `check(enrolment).passed`.

`agree` records the employer's or the provider's agreement (only once the modules, KSBs, hours
and project are met); the other party's people are asked by e-mail to agree too; when both have
agreed, the enrolment moves to "at gateway" through `enrolments.change_status` and the apprentice
is told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person
from joinedup.partnership.notifications import notify_after_commit

from . import access, enrolments, gateway_rules, off_the_job, portfolio, statements, submissions
from .gateway_rules import Agreement, Facts, Item, KsbCoverage, ModuleResult
from .models import (
    Enrolment,
    EnrolmentStatus,
    GatewayAgreement,
    Party,
    WorkplaceProject,
)

KIND = "apprenticeships.gateway"
PARTY_NAMES = {Party.EMPLOYER: "the employer", Party.PROVIDER: "the provider"}


@dataclass(frozen=True)
class Checklist:
    items: list[Item]
    passed: bool

    @property
    def met(self) -> int:
        return sum(1 for item in self.items if item.met)

    @property
    def ready(self) -> bool:
        """The modules, KSBs, hours and project are met: the parties may agree."""
        return gateway_rules.ready(self.items)


# --- Facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readings:
    """What the checklist reads from the other areas, read once so that a page showing them too
    (the progress page) shares them."""

    assignments: submissions.Assignments
    coverage: list[portfolio.KsbCoverage]
    hours: off_the_job.Totals
    project: WorkplaceProject | None


def project_of(enrolment: Enrolment) -> WorkplaceProject | None:
    """The enrolment's workplace project with its milestones counted (`milestones_total`,
    `milestones_done`), in one query."""
    return (
        WorkplaceProject.objects.filter(enrolment=enrolment)
        .annotate(
            milestones_total=Count("milestones"),
            milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
        )
        .only("title", "state", "submitted_on", "signed_off_at", "enrolment_id")
        .first()
    )


def read(enrolment: Enrolment) -> Readings:
    """Module results, KSB coverage, off-the-job totals and the project (seven queries)."""
    return Readings(
        assignments=submissions.assignments_of(enrolment),
        coverage=portfolio.coverage(enrolment),
        hours=off_the_job.totals(enrolment),
        project=project_of(enrolment),
    )


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def facts(enrolment: Enrolment, readings: Readings | None = None) -> Facts:
    """Everything the checklist is worked out from (`readings` when already read)."""
    readings = readings or read(enrolment)
    project = readings.project
    agreements = {
        row.party: Agreement(by=row.person.full_name, on=_local_date(row.agreed_at))
        for row in GatewayAgreement.objects.filter(enrolment=enrolment).select_related("person")
    }
    return Facts(
        modules=[
            ModuleResult(title=row.module.title, passed=bool(row.passed), why=row.why or "")
            for row in readings.assignments.results
        ],
        ksbs=[
            KsbCoverage(code=row.ksb.code, covered=bool(row.covered)) for row in readings.coverage
        ],
        required_hours=Decimal(readings.hours.required),
        verified_hours=Decimal(readings.hours.verified),
        project_state=project.state if project else None,
        project_submitted_on=project.submitted_on if project else None,
        project_signed_off_on=_local_date(project.signed_off_at) if project else None,
        employer=agreements.get(Party.EMPLOYER),
        provider=agreements.get(Party.PROVIDER),
    )


def check(enrolment: Enrolment, readings: Readings | None = None) -> Checklist:
    """The six gateway items for the enrolment, each met or not with why; `passed` when all are."""
    items = gateway_rules.checklist(facts(enrolment, readings))
    return Checklist(items=items, passed=gateway_rules.passed(items))


# --- Agreeing -------------------------------------------------------------------------------------


def agree(*, actor: Actor, enrolment: Enrolment) -> GatewayAgreement:
    """The employer's L&D lead or the provider's programme leader agrees the apprentice is ready;
    when both have and every item is met, the enrolment moves to "at gateway"."""
    party = access.gateway_party_of(actor, enrolment)
    if party is None:
        raise ValidationError(
            "Only the employer's L&D lead or the provider's programme leader agrees"
        )
    with transaction.atomic():
        # One agreement at a time per enrolment, so the second always sees the first.
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.ACTIVE:
            status = EnrolmentStatus(enrolment.status).label.lower()
            raise ValidationError(f"The enrolment is {status}: the gateway is for active ones")
        checklist = check(enrolment)
        if not checklist.ready:
            gaps = "; ".join(
                f"{item.title}: {item.why}"
                for item in checklist.items
                if not item.met and item.key in gateway_rules.READINESS
            )
            raise ValidationError(f"Not ready for the gateway yet. {gaps}")
        try:
            with transaction.atomic():
                agreement = GatewayAgreement.objects.create(
                    enrolment=enrolment, party=party, person=actor.person
                )
        except IntegrityError as error:
            raise ValidationError(
                f"{PARTY_NAMES[party].capitalize()} has already agreed"
            ) from error
        audit.record(
            actor=actor,
            action="gateway.agreed",
            kind=KIND,
            object_id=enrolment.pk,
            label=enrolment.reference,
            organisation=enrolment.employer,
            partnership=enrolment.cohort.programme.partnership,
            changes={"party": party},
        )
        if check(enrolment).passed:
            enrolments.change_status(
                actor=actor,
                enrolment=enrolment,
                status=EnrolmentStatus.AT_GATEWAY,
                effective_on=max(timezone.localdate(), enrolment.status_on),
                reason="Gateway passed: every item met and both the employer and provider agree",
            )
            _tell([enrolment.apprentice], "apprenticeship_gateway_passed", enrolment)
        else:
            other = Party.PROVIDER if party == Party.EMPLOYER else Party.EMPLOYER
            if not GatewayAgreement.objects.filter(enrolment=enrolment, party=other).exists():
                context = {"agreed": PARTY_NAMES[party]}
                people = statements.signers_of(enrolment, other)
                _tell(people, "apprenticeship_gateway_to_agree", enrolment, context)
    return agreement


def _tell(
    people: list[Person], template: str, enrolment: Enrolment, context: dict | None = None
) -> None:
    """E-mail each person `notifications/<template>.txt` about the enrolment's gateway once the
    transaction commits; a failed e-mail is logged and leaves the agreement as it is."""
    path = reverse("apprenticeships:gateway", args=[enrolment.pk])
    context = {
        "enrolment": enrolment,
        "url": settings.SITE_URL.rstrip("/") + path,
        **(context or {}),
    }
    notify_after_commit(people, template, context)
