"""The technical Django admin: only Django admins (operators) get past its sign-in."""

from __future__ import annotations

from .shapes import ADMIN_LOGIN, OK, Redirect, route, signed_in

# Every route under django-admin/, whatever the method: sign in to the site first, then the
# admin's own sign-in page for anyone who is not a Django admin.
GROUPS = {"admin": route(ALL=signed_in(ADMIN_LOGIN))}

ROUTES = {
    # The admin's sign-in page itself says the person signed in is not allowed in.
    "admin:login": route(GET=signed_in(OK), POST=signed_in(OK), PUT=signed_in(OK)),
    # Signing out of the admin sends anyone who is not a Django admin to its index, then sign-in.
    "admin:logout": route(ALL=signed_in(Redirect("/django-admin/"))),
}
