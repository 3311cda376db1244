"""What the talent front page asks of the figures part: whether to link to them."""

from __future__ import annotations

from django import template

from joinedup.talent import access

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_talent_figures(context: template.Context) -> bool:
    """Whether the signed-in actor sees translator and leakage figures (partnership lead or
    analyst; organisation admin or L&D lead)."""
    actor = getattr(context.get("request"), "actor", None)
    return actor is not None and (
        access.may_see_partnership_figures(actor) or access.may_see_organisation_figures(actor)
    )
