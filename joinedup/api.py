"""The API at /api/v1/: authentication, JSON errors, and each app's router.

Callers authenticate with `Authorization: Bearer <token>`. A personal token acts as the person who
made it, for the organisation of their first current employment by name, or for the one named by
the `X-Organisation` header (its id; it must be one where they hold a current employment). An
organisation token acts for its organisation and never as a person. A signed-in browser may also
read (GET) with its session. Every error is JSON: `{"detail": "what went wrong"}`. The schema is
at /api/v1/openapi.json and browsable docs at /api/v1/docs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import URLPattern
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from joinedup.apprenticeships.api_assessments import router as apprenticeship_assessments_router
from joinedup.apprenticeships.api_assignments import router as apprenticeship_assignments_router
from joinedup.apprenticeships.api_buddies import router as apprenticeship_buddies_router
from joinedup.apprenticeships.api_calendar import router as apprenticeship_calendar_router
from joinedup.apprenticeships.api_enrolments import router as apprenticeship_enrolments_router
from joinedup.apprenticeships.api_funding import router as apprenticeship_funding_router
from joinedup.apprenticeships.api_gateway import router as apprenticeship_gateway_router
from joinedup.apprenticeships.api_off_the_job import router as apprenticeship_off_the_job_router
from joinedup.apprenticeships.api_portfolio import router as apprenticeship_portfolio_router
from joinedup.apprenticeships.api_programmes import router as apprenticeship_programmes_router
from joinedup.apprenticeships.api_reviews import due_router as apprenticeship_reviews_due_router
from joinedup.apprenticeships.api_reviews import router as apprenticeship_reviews_router
from joinedup.apprenticeships.api_standards import router as apprenticeship_standards_router
from joinedup.learning.api import router as learning_router
from joinedup.learning.api_commissions import router as commissions_router
from joinedup.learning.api_plans import router as plans_router
from joinedup.levy.api import router as levy_router
from joinedup.materials.api import router as materials_router
from joinedup.materials.api_accreditations import router as accreditations_router
from joinedup.materials.api_deliveries import router as deliveries_router
from joinedup.materials.api_pool import router as pool_router
from joinedup.network.api_initiatives import router as network_initiatives_router
from joinedup.network.api_public import router as network_public_router
from joinedup.network.api_spaces import router as network_spaces_router
from joinedup.partnership import access, services
from joinedup.partnership.actor import Actor
from joinedup.partnership.api import router as partnership_router
from joinedup.talent.api_agreements import router as talent_agreements_router
from joinedup.talent.api_applications import router as talent_applications_router
from joinedup.talent.api_figures import router as talent_figures_router
from joinedup.talent.api_mentoring import router as talent_mentoring_router
from joinedup.talent.api_opportunities import router as talent_opportunities_router
from joinedup.talent.api_profiles import router as talent_profiles_router
from joinedup.talent.api_schemes import router as talent_schemes_router

logger = logging.getLogger(__name__)

ORGANISATION_HEADER = "X-Organisation"
NOT_SIGNED_IN = "Authentication required: send the header Authorization: Bearer <your API token>"
BAD_TOKEN = "This API token is not valid: it is unknown, has expired or has been revoked"  # noqa: S105
CANNOT_SIGN_IN = "The person this token belongs to can no longer sign in"


class BearerToken(HttpBearer):
    """A personal or organisation API token in the Authorization header."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        api_token = access.usable_token(token.strip()) if token.strip() else None
        if api_token is None:
            raise AuthenticationError(message=BAD_TOKEN)
        if api_token.organisation_id is not None:
            actor = Actor(
                person=None,
                organisation=api_token.organisation,
                token=api_token,
                scopes=frozenset(api_token.scopes),
            )
        else:
            actor = Actor(
                person=api_token.person,
                organisation=acting_organisation(request, api_token.person),
                token=api_token,
                scopes=frozenset(api_token.scopes),
            )
        services.record_token_use(token=api_token)
        return actor


def acting_organisation(request: HttpRequest, person):
    """The organisation a personal token acts for: the header's choice, else their first."""
    if not person.is_active:
        raise AuthenticationError(message=CANNOT_SIGN_IN)
    organisations = list(access.organisations_for(person).order_by("name", "pk"))
    if not organisations:
        raise AuthenticationError(message=CANNOT_SIGN_IN)
    chosen = request.headers.get(ORGANISATION_HEADER, "").strip()
    if not chosen:
        return organisations[0]
    if not chosen.isdigit() or len(chosen) > 18:
        raise HttpError(422, f"{ORGANISATION_HEADER} (header): give an organisation's id")
    acting = next((org for org in organisations if org.pk == int(chosen)), None)
    if acting is None:
        raise HttpError(
            403,
            f"{ORGANISATION_HEADER} (header): you have no current employment at organisation "
            f"{chosen}",
        )
    return acting


class BrowserSession(APIKeyCookie):
    """A signed-in browser may read with its session cookie (GET only, so CSRF is not at stake)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = getattr(request, "actor", None)
        if request.method != "GET" or actor is None or actor.organisation is None:
            return None
        return actor


api = NinjaAPI(
    title="Joined Up API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=[BearerToken(), BrowserSession()],
    docs_url="/docs",
)


def _where(location: tuple) -> str:
    """Name the field a validation error is about, and where in the request it was."""
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        return ".".join(parts[2:] or parts[1:]) + " (body)"
    if len(parts) > 1:
        return ".".join(parts[1:]) + f" ({parts[0]})"
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = "; ".join(
        f"{_where(tuple(error.get('loc', ())))}: {error.get('msg', 'is not valid')}"
        for error in exc.errors
    )
    return api.create_response(
        request, {"detail": detail or "The request is not valid"}, status=422
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if isinstance(exc, AuthenticationError) and detail == "Unauthorized":
        detail = NOT_SIGNED_IN
    response = api.create_response(request, {"detail": detail}, status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or "You do not have permission to do this"
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    detail = "Something went wrong on our side. It has been logged; please try again later"
    return api.create_response(request, {"detail": detail}, status=500)


@api.get("/", auth=None, include_in_schema=False, url_name="index")
def index(request: HttpRequest) -> dict[str, str]:
    """Where the schema and its documentation are, for anyone who opens /api/v1/."""
    return {
        "title": api.title,
        "openapi": request.build_absolute_uri("openapi.json"),
        "docs": request.build_absolute_uri("docs"),
    }


api.add_router("/", partnership_router)
api.add_router("/learning", learning_router)
api.add_router("/levy", levy_router)
api.add_router("/materials", materials_router)
api.add_router("/trainers/accreditations", accreditations_router)
api.add_router("/trainers/pool", pool_router)
api.add_router("/trainers/delivery-requests", deliveries_router)
api.add_router("/learning/plans", plans_router)
api.add_router("/learning/joint-commissions", commissions_router)
api.add_router("/talent/profile", talent_profiles_router)
api.add_router("/talent/opportunities", talent_opportunities_router)
api.add_router("/talent/applications", talent_applications_router)
api.add_router("/talent/secondments", talent_agreements_router)
api.add_router("/talent/schemes", talent_schemes_router)
api.add_router("/talent/mentoring", talent_mentoring_router)
api.add_router("/talent/figures", talent_figures_router)
api.add_router("/network/spaces", network_spaces_router)
api.add_router("/network/initiatives", network_initiatives_router)
api.add_router("/network/public", network_public_router)
api.add_router("/apprenticeships/standards", apprenticeship_standards_router)
api.add_router("/apprenticeships/programmes", apprenticeship_programmes_router)
api.add_router("/apprenticeships/enrolments", apprenticeship_enrolments_router)
api.add_router("/apprenticeships/enrolments", apprenticeship_reviews_router)
api.add_router("/apprenticeships/reviews", apprenticeship_reviews_due_router)
api.add_router("/apprenticeships/enrolments", apprenticeship_off_the_job_router)
api.add_router("/apprenticeships/enrolments", apprenticeship_portfolio_router)
api.add_router("/apprenticeships/enrolments", apprenticeship_gateway_router)
api.add_router("/apprenticeships/funding", apprenticeship_funding_router)
api.add_router("/apprenticeships/working-days", apprenticeship_calendar_router)
api.add_router("/apprenticeships", apprenticeship_assignments_router)
api.add_router("/apprenticeships/assessments", apprenticeship_assessments_router)
api.add_router("/apprenticeships/buddies", apprenticeship_buddies_router)


def _json_when_not_allowed(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Ninja answers a method an operation lacks in plain text; here every error is JSON."""

    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response["Allow"]
        refusal = JsonResponse(
            {"detail": f"{request.method} is not allowed here; use {allowed}"}, status=405
        )
        refusal["Allow"] = allowed
        return refusal

    return answer


def _api_urls() -> tuple[list, str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_when_not_allowed(pattern.callback)
    return patterns, app_name, namespace


urls = _api_urls()


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler: JSON under /api/, so API callers never get an HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"There is no API operation at {request.path}"}, status=404)
    return defaults.page_not_found(request, exception)
