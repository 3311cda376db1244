"""The only functions that fetch talent objects for an actor, built on the partnership primitives.

Another organisation's private object is a 404 (Http404); a visible one the actor may not change
is a 403 (PermissionDenied). A profile is private to the person's own organisations unless the
person made it discoverable; withdrawing that hides it at once everywhere.

Sections: profiles and skills; opportunities and applications; secondment agreements; rotation
schemes; mentoring; figures. Add a function to its own section, one condition per line, with a
docstring.
"""

from __future__ import annotations

# --- Profiles and skills -------------------------------------------------------------------------

# --- Opportunities and applications --------------------------------------------------------------

# --- Secondment agreements -----------------------------------------------------------------------

# --- Rotation schemes ----------------------------------------------------------------------------

# --- Mentoring -----------------------------------------------------------------------------------

# --- Figures -------------------------------------------------------------------------------------
