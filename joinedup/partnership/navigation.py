"""The service navigation, by role. Later apps add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from . import access
from .actor import Actor
from .models import OrganisationRole, PartnershipRole

# Those who read an organisation's levy figures or oversee the partnership's (issue 4).
LEVY_READERS = frozenset(
    {
        OrganisationRole.LEVY_OFFICER,
        OrganisationRole.ORG_ADMIN,
        PartnershipRole.LEVY_LEAD,
        PartnershipRole.PARTNERSHIP_LEAD,
    }
)

# Those who record commissioning plans, or read the partnership's near-duplicate report (issue 6).
DESIGN_ONCE_USERS = frozenset(
    {
        OrganisationRole.LD_LEAD,
        OrganisationRole.PROGRAMME_LEADER,
        PartnershipRole.PARTNERSHIP_LEAD,
    }
)

# Those who search the trainer pool for a partner's accredited trainer (issue 6).
POOL_SEARCHERS = frozenset(
    {
        OrganisationRole.LD_LEAD,
        OrganisationRole.PROGRAMME_LEADER,
        OrganisationRole.ORG_ADMIN,
        PartnershipRole.PARTNERSHIP_LEAD,
    }
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest, actor: Actor) -> list[NavItem]:
    """Links for the header, active when the current path starts with theirs."""
    links = [("Home", reverse("partnership:home"))]
    if actor.organisation is not None:
        links.append(("People", reverse("partnership:people")))
        links.append(("Organisations", reverse("partnership:organisations")))
    if actor.organisation is not None:
        links.append(("Learning", reverse("learning:catalogue")))
        links.append(("Materials", reverse("materials:library")))
        links.append(("Talent", reverse("talent:home")))
        links.append(("Learning together", reverse("network:home")))
        links.append(("Apprenticeships", reverse("apprenticeships:home")))
    links.append(("My profile", reverse("partnership:profile")))
    roles = access.roles_of(actor)
    if OrganisationRole.ORG_ADMIN in roles and actor.organisation is not None:
        links.append(
            ("Manage organisation", reverse("partnership:manage", args=[actor.organisation.pk]))
        )
    if access.may_read_recharges(actor):
        links.append(("Recharges", reverse("partnership:recharges")))
    if roles & LEVY_READERS:
        links.append(("Levy", reverse("levy:home")))
    if PartnershipRole.PARTNERSHIP_LEAD in roles:
        links.append(("Partnership", reverse("partnership:partnership-manage")))
    if actor.organisation is not None and roles & DESIGN_ONCE_USERS:
        links.append(("Design once", reverse("learning:plans")))
    if actor.organisation is not None and roles & POOL_SEARCHERS:
        links.append(("Trainers", reverse("materials:pool")))
    elif actor.organisation is not None:
        # Staff who may be trainers: their accreditations, offer and delivery requests.
        links.append(("Trainers", reverse("materials:my-accreditations")))
    path = request.path
    matching = [url for _, url in links if (path == url if url == "/" else path.startswith(url))]
    # Only the most specific link is current: "Organisations" is a prefix of "Manage organisation".
    current = max(matching, key=len, default=None)
    return [NavItem(label=label, url=url, active=url == current) for label, url in links]
