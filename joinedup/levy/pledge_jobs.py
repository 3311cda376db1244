"""Pledge automation, run daily by the scheduler: what `pledge_rules.due_on` says is due today.

Pending applications are rejected after the rejection period, approvals not accepted are declined,
accepted funds unused expire, and 100% matches on automatic pledges are approved oldest first
while the pledge can afford them. Each step is its own transaction through the `pledges` services,
which change an application only from the status the step expects, so running the job twice on a
day (or on two workers) changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from joinedup.partnership.scheduler import register_job

from . import pledges
from .models import ApplicationStatus, Pledge, PledgeApplication, PledgeStatus

LIVE = (ApplicationStatus.PENDING, ApplicationStatus.APPROVED, ApplicationStatus.ACCEPTED)
AUTOMATIC_REJECTION = "No decision was made in time, so the application was rejected."
AUTOMATIC_DECLINE = "The approval was not accepted in time."


def run_pledge_automation(on: dt.date | None = None) -> dict[str, int]:
    """Do today's rejections, declines, expiries and automatic approvals; return how many."""
    day = on or pledges.today()
    terms = pledges.rules_on(day)
    live = list(
        PledgeApplication.objects.filter(status__in=LIVE).select_related(
            "pledge__account__organisation"
        )
    )
    used = pledges.funds_used(
        [application for application in live if application.status == ApplicationStatus.ACCEPTED],
        day,
    )
    records = [
        pledges.application_record(application, funds_used=application.pk in used)
        for application in live
    ]
    waiting = {application.pledge_id for application in live}
    open_pledges = Pledge.objects.filter(pk__in=waiting, status=PledgeStatus.OPEN)
    due = pledges.pledge_rules.due_on(
        day, [pledges.record_of(pledge) for pledge in open_pledges], records, terms
    )
    by_id = {str(application.pk): application for application in live}
    done = {"rejected": 0, "declined": 0, "expired": 0, "approved": 0}
    for application_id in due.rejections:
        done["rejected"] += _try(
            lambda a: pledges.reject_application(
                actor=None, application=a, reason=AUTOMATIC_REJECTION
            ),
            by_id[application_id],
        )
    for application_id in due.declines:
        done["declined"] += _try(
            lambda a: pledges.decline_approval(actor=None, application=a, reason=AUTOMATIC_DECLINE),
            by_id[application_id],
        )
    for application_id in due.expiries:
        done["expired"] += _try(
            lambda a: pledges.expire_unused_funds(application=a), by_id[application_id]
        )
    for approval in due.approvals:
        done["approved"] += _try(
            lambda a: pledges.approve_application(actor=None, application=a, on=day),
            by_id[approval.application],
        )
    return done


def _try(step: Callable[[PledgeApplication], object], application: PledgeApplication) -> int:
    """Run one step; an application another worker or person moved on meanwhile is skipped."""
    try:
        step(application)
    except pledges.PledgeRefused:
        return 0
    return 1


register_job("levy-pledge-automation", every=dt.timedelta(days=1), function=run_pledge_automation)
