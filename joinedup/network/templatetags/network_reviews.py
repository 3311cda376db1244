"""Whether the person looking may change a review or an adoption shown on the initiative page
(through `access`, so the page and the edit pages agree)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from joinedup.network import access
from joinedup.network.models import Adoption, LearningReview
from joinedup.partnership.actor import Actor

register = template.Library()


@register.filter
def review_editable_by(review: LearningReview, actor: Actor) -> bool:
    return access.may_edit_review(actor, review)


@register.filter
def adoption_editable_by(adoption: Adoption, actor: Actor) -> bool:
    return access.may_edit_adoption(actor, adoption)


@register.filter
def plain_number(value: Decimal) -> str:
    """A measure's value without trailing zeros or an exponent ("12.5", "300")."""
    return f"{value.normalize():f}"
