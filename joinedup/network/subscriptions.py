"""How a member hears about a space: an e-mail for every post, a daily or weekly digest, or none.

New memberships start on the daily digest (the model's default). Only an active member chooses.
"""

from __future__ import annotations

from django.db import transaction

from joinedup.partnership.actor import Actor
from joinedup.partnership.audit import record

from . import access
from .models import Space, SpaceMember, Subscription

DEFAULT = Subscription.DAILY


def set_subscription(actor: Actor, space: Space, *, choice: str) -> SpaceMember:
    """Set the person's subscription to the space: active members only (403 for anyone else who
    sees the space, 404 for the rest); audited."""
    if choice not in Subscription.values:
        raise ValueError(f"Unknown subscription {choice!r}")
    with transaction.atomic():
        membership = access.get_active_membership(actor, space.pk)
        previous = membership.subscription
        SpaceMember.objects.filter(pk=membership.pk).update(subscription=choice)
        membership.subscription = choice
        record(
            actor=actor,
            action="network.subscription_set",
            kind="space_member",
            object_id=membership.pk,
            label=space.title,
            organisation=membership.organisation,
            partnership=space.partnership,
            changes={"from": previous, "to": choice},
        )
    return membership
