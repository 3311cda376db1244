"""The service navigation, by role. Later apps add their entries here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

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


@cache
def _reversed(name: str, args: tuple[int, ...], urlconf: str, prefix: str) -> str:
    return reverse(name, args=args)


def _url(name: str, *args: int) -> str:
    """The link's URL, reversed once for each URL configuration and prefix: every page shows
    the navigation, and reversing its dozen links took a millisecond or two."""
    return _reversed(name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest, actor: Actor) -> list[NavItem]:
    """Links for the header, active when the current path starts with theirs."""
    links = [("Home", _url("partnership:home"))]
    if actor.organisation is not None:
        links.append(("People", _url("partnership:people")))
        links.append(("Organisations", _url("partnership:organisations")))
    if actor.organisation is not None:
        links.append(("Learning", _url("learning:catalogue")))
        links.append(("Materials", _url("materials:library")))
        links.append(("Talent", _url("talent:home")))
        links.append(("Learning together", _url("network:home")))
        links.append(("Apprenticeships", _url("apprenticeships:home")))
    links.append(("My profile", _url("partnership:profile")))
    roles = access.roles_of(actor)
    if OrganisationRole.ORG_ADMIN in roles and actor.organisation is not None:
        links.append(("Manage organisation", _url("partnership:manage", actor.organisation.pk)))
    if access.may_read_recharges(actor):
        links.append(("Recharges", _url("partnership:recharges")))
    if roles & LEVY_READERS:
        links.append(("Levy", _url("levy:home")))
    if PartnershipRole.PARTNERSHIP_LEAD in roles:
        links.append(("Partnership", _url("partnership:partnership-manage")))
    if actor.organisation is not None and roles & DESIGN_ONCE_USERS:
        links.append(("Design once", _url("learning:plans")))
    if actor.organisation is not None and roles & POOL_SEARCHERS:
        links.append(("Trainers", _url("materials:pool")))
    elif actor.organisation is not None:
        # Staff who may be trainers: their accreditations, offer and delivery requests.
        links.append(("Trainers", _url("materials:my-accreditations")))
    path = request.path
    matching = [url for _, url in links if (path == url if url == "/" else path.startswith(url))]
    # Only the most specific link is current: "Organisations" is a prefix of "Manage organisation".
    current = max(matching, key=len, default=None)
    return [NavItem(label=label, url=url, active=url == current) for label, url in links]
