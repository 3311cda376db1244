"""The progress page's buddy and module discussion sections, and the cohort page's links.

Each tag reads the request's actor and fetches through `access` in a constant number of queries.
"""

from __future__ import annotations

from django import template

from .. import access
from ..models import Cohort, Enrolment

register = template.Library()


@register.inclusion_tag("apprenticeships/buddies/_section.html", takes_context=True)
def buddy_section(context: template.Context, enrolment: Enrolment) -> dict:
    """The apprentice's buddies: name, employer and work e-mail (to the apprentice and the
    provider's programme leaders only; see access)."""
    actor = context["request"].actor
    shown = access.may_see_buddies_of(actor, enrolment)
    return {"shown": shown, "buddies": list(access.buddies_of(actor, enrolment)) if shown else []}


@register.inclusion_tag("apprenticeships/buddies/_module_spaces.html", takes_context=True)
def module_spaces_section(context: template.Context, enrolment: Enrolment) -> dict:
    """The enrolment's cohort's module discussion spaces the person belongs to."""
    actor = context["request"].actor
    return {"spaces": list(access.my_module_spaces(actor, enrolment.cohort))}


@register.inclusion_tag("apprenticeships/buddies/_cohort_links.html", takes_context=True)
def cohort_buddies_links(context: template.Context, cohort: Cohort) -> dict:
    """On the cohort page: the buddies page and "Open module discussions" for its programme
    leaders; the module spaces the person belongs to."""
    actor = context["request"].actor
    return {
        "cohort": cohort,
        "may_pair": access.may_pair_buddies(actor, cohort),
        "spaces": list(access.my_module_spaces(actor, cohort)),
        "csrf_token": context.get("csrf_token"),
    }
