"""The own, partner's and outsider's community (network_scene.py), a request to join it, and a
learning run for the space routes; each made anew on every call."""

from __future__ import annotations

from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.network.models import MemberStatus, SpaceMember
from joinedup.partnership.tests.factories import EmploymentFactory
from joinedup.partnership.tests.world import World

from . import network_scene
from .objects import Kwargs, organisation_of


def space(world: World, which: str) -> Kwargs:
    return {"pk": network_scene.space(world, which).pk}


def join_request(world: World, which: str) -> Kwargs:
    """A newcomer of the organisation asking to join its community."""
    made = network_scene.space(world, which, join_approval=True)
    employment = EmploymentFactory(organisation=organisation_of(world, which))
    asking = SpaceMember.objects.create(
        space=made,
        person=employment.person,
        organisation=employment.organisation,
        status=MemberStatus.REQUESTED,
    )
    return {"pk": made.pk, "member_pk": asking.pk}


def run(world: World, which: str) -> Kwargs:
    """An upcoming run hosted by the organisation, shared with partners after the cut-off."""
    made = RunFactory(programme__host=organisation_of(world, which))
    SessionFactory(run=made)
    return {"run_pk": made.pk}


RESOLVERS = {
    "network:space": space,
    "network:space-join": space,
    "network:space-leave": space,
    "network:space-members": space,
    "network:space-requests": space,
    "network:space-request-approve": join_request,
    "network:space-request-refuse": join_request,
    "network:space-moderators": space,
    "network:space-edit": space,
    "network:space-archive": space,
    "network:run-space": run,
}
