"""The web shell: home, health, footer pages, organisation switcher and sign-in pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..forms import ResetPasswordForm, SignInForm
from ..middleware import ACTING_ORGANISATION_KEY
from ..models import OrganisationRole, PartnershipRole


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    labels = dict(OrganisationRole.choices) | dict(PartnershipRole.choices)
    roles = sorted(labels[role] for role in access.roles_of(actor))
    return render(
        request, "partnership/home.html", {"roles": roles, "organisation": actor.organisation}
    )


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Act for another organisation where the person holds a current employment."""
    chosen = request.POST.get("organisation", "")
    allowed = access.organisations_for(request.actor.person)
    if chosen.isdigit() and allowed.filter(pk=int(chosen)).exists():
        request.session[ACTING_ORGANISATION_KEY] = int(chosen)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/privacy.html")


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/cookies.html")


sign_in = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)
sign_out = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(form_class=ResetPasswordForm)
