"""The only functions that fetch talent objects for an actor, built on the partnership primitives.

Another organisation's private object is a 404 (Http404); a visible one the actor may not change
is a 403 (PermissionDenied). A profile is private to the person's own organisations unless the
person made it discoverable; withdrawing that hides it at once everywhere.

Sections: profiles and skills; opportunities and applications; secondment agreements; rotation
schemes; mentoring; figures. Add a function to its own section, one condition per line, with a
docstring.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from joinedup.partnership.access import acting_partnerships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import current_on

from .models import Profile

# --- Profiles and skills -------------------------------------------------------------------------


def visible_profiles(actor: Actor) -> QuerySet[Profile]:
    """Profiles the actor may read: their own; those of people currently employed by the acting
    organisation; and profiles their owners made discoverable in the acting organisation's
    partnerships. Nothing for someone acting for no organisation."""
    if actor.organisation is None:
        return Profile.objects.none()
    own_staff = Profile.objects.filter(
        person__employments__in=actor.organisation.employments.filter(current_on())
    ).values("pk")
    return Profile.objects.filter(
        Q(person_id=actor.person_id)
        | Q(pk__in=own_staff)
        | Q(discoverable=True, partnership__in=[p.pk for p in acting_partnerships(actor)])
    )


# --- Opportunities and applications --------------------------------------------------------------

# --- Secondment agreements -----------------------------------------------------------------------

# --- Rotation schemes ----------------------------------------------------------------------------

# --- Mentoring -----------------------------------------------------------------------------------

# --- Figures -------------------------------------------------------------------------------------
