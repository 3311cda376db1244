"""API token pages: a person's own tokens, and an organisation's tokens for its admins."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access, services
from ..forms import ApiTokenForm, ConfirmForm
from ..models import ApiToken
from .manage import posted, show_refusal

NEW_TOKEN_KEY = "new_api_token"  # noqa: S105 - a session key, not a secret


def _remember_new_token(request: HttpRequest, token: ApiToken, raw: str) -> None:
    """Keep the raw value for the next page only: it is shown once and never stored."""
    request.session[NEW_TOKEN_KEY] = {"id": token.pk, "value": raw}


def _new_token(request: HttpRequest) -> dict | None:
    return request.session.pop(NEW_TOKEN_KEY, None)


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens, and a form to make one."""
    form = ApiTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.create_personal_token(
                actor=request.actor, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            _remember_new_token(request, token, raw)
            return redirect("partnership:tokens")
    context = {
        "form": form,
        "tokens": access.personal_tokens(request.actor),
        "new_token": _new_token(request) if request.method == "GET" else None,
    }
    return render(request, "partnership/tokens/tokens.html", context)


@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke one of the person's own tokens."""
    token = access.get_personal_token_for(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.revoke_token(actor=request.actor, token=token)
        messages.success(request, f"Token {token.name} has been revoked. It no longer works.")
        return redirect("partnership:tokens")
    context = {"token": token, "form": form}
    return render(request, "partnership/tokens/revoke.html", context)


@require_http_methods(["GET", "POST"])
def organisation_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's read-only API tokens for integrations, for its admins."""
    organisation = access.get_administered_organisation(request.actor, pk)
    form = ApiTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.create_organisation_token(
                actor=request.actor,
                organisation=organisation,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            _remember_new_token(request, token, raw)
            return redirect("partnership:organisation-tokens", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "tokens": access.organisation_tokens(organisation).select_related("created_by"),
        "new_token": _new_token(request) if request.method == "GET" else None,
    }
    return render(request, "partnership/tokens/organisation_tokens.html", context)


@require_http_methods(["GET", "POST"])
def organisation_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    """Confirm, then revoke one of the organisation's tokens."""
    organisation = access.get_administered_organisation(request.actor, pk)
    token = access.get_organisation_token(organisation, token_pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.revoke_token(actor=request.actor, token=token)
        messages.success(request, f"Token {token.name} has been revoked. It no longer works.")
        return redirect("partnership:organisation-tokens", pk=organisation.pk)
    context = {"organisation": organisation, "token": token, "form": form}
    return render(request, "partnership/tokens/revoke.html", context)
