"""What the talent front page asks of the profiles part: whether to offer the vocabulary."""

from __future__ import annotations

from django import template

from joinedup.talent import access

register = template.Library()


@register.simple_tag(takes_context=True)
def curates_skills(context: template.Context) -> bool:
    """Whether the signed-in actor curates a skills vocabulary (L&D lead or partnership lead)."""
    actor = getattr(context.get("request"), "actor", None)
    return actor is not None and access.may_curate_skills(actor)
