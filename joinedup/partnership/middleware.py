"""Attach the actor to each request and send anonymous visitors to sign in."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from . import access
from .actor import ANONYMOUS, Actor

ACTING_ORGANISATION_KEY = "acting_organisation_id"

# Pages anyone may see: sign-in and password reset, the footer pages, health, static files, the
# API, which authenticates with tokens or the session itself, and calendar feeds.
PUBLIC_PREFIXES = (
    "/accounts/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/healthz",
    "/static/",
    "/api/",
    # Calendar feeds, which calendar apps fetch without signing in: the secret address is the key.
    "/learning/calendar/",
    # Openly published materials, for anyone (issue 5); their views show only what anonymous
    # visitors may read.
    "/materials/open/",
    # Public initiatives' summaries and the open-data export (issue 8), for anyone; their views
    # show only initiatives marked public, without personal data.
    "/network/public/",
)


def actor_for_request(request: HttpRequest) -> Actor:
    """The signed-in person acting for the organisation chosen in the header (or their first)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return access.actor_acting_for(user, request.session.get(ACTING_ORGANISATION_KEY))


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for_request(request)
        if (
            actor.person is not None
            and actor.organisation is None
            and not actor.person.is_django_admin
            and not access.can_sign_in(actor.person)
        ):
            # Someone whose last employment ended while signed in loses access at once (unless
            # another app lets them in with none, such as an external assessor).
            logout(request)
            actor = ANONYMOUS
        request.actor = actor
        return self.get_response(request)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        public = request.path.startswith(PUBLIC_PREFIXES)
        if not public and request.actor.person is None:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
