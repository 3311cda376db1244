"""The bank-holiday list's warning, for pages that show feedback deadlines (such as the deadline
dashboard): `{% load apprenticeship_calendar %}{% calendar_warning %}`. Partnership leads (who
extend the list) and programme leaders (told to ask one) see it, through
`calendar_days.calendar_warning_for`; one query for them, none for anyone else."""

from __future__ import annotations

from django import template

from .. import calendar_days

register = template.Library()


@register.inclusion_tag("apprenticeships/calendar/_warning.html", takes_context=True)
def calendar_warning(context) -> dict:
    """The warning when the stored bank holidays end within 12 months of today."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"warning": ""}
    return {"warning": calendar_days.calendar_warning_for(actor, calendar_days.today())}
