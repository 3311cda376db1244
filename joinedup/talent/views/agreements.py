"""Secondment agreement pages: the agreement with its steps, a form for each step, the person's
secondments and an organisation's secondments in and out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, agreements
from ..agreement_forms import (
    EndForm,
    FeedbackForm,
    ReasonForm,
    ReleaseForm,
    ReturnForm,
    SignForm,
    TermsForm,
)
from ..models import AgreementStatus, SecondmentAgreement, SignatureParty

LIST_LIMIT = 200
PARTY_LABELS = dict(SignatureParty.choices)


def _terms_of(agreement: SecondmentAgreement) -> dict:
    return {field: getattr(agreement, field) for field in agreements.TERM_FIELDS}


def _render_form(request, agreement, form, *, title, button, intro="", warning=False, **extra):
    context = {
        "agreement": agreement,
        "form": form,
        "title": title,
        "button": button,
        "intro": intro,
        "warning": warning,
        **extra,
    }
    return render(request, "talent/agreements/form.html", context)


# --- Lists ---------------------------------------------------------------------------------------


@require_GET
def my_secondments(request: HttpRequest) -> HttpResponse:
    """The person's own secondment agreements, and those they must act on as a line manager."""
    actor = request.actor
    visible = access.visible_agreements(actor).select_related(
        "person", "home_organisation", "host_organisation"
    )
    context = {
        "mine": list(visible.filter(person_id=actor.person_id)[:LIST_LIMIT]),
        "managed": list(
            visible.exclude(person_id=actor.person_id).filter(
                home_employment__in=access.managed_employments(actor).values("pk")
            )[:LIST_LIMIT]
        ),
        "sees_organisation": access.may_list_organisation_secondments(actor),
    }
    return render(request, "talent/agreements/mine.html", context)


@require_GET
def organisation_secondments(request: HttpRequest) -> HttpResponse:
    """The acting organisation's secondments out (its staff elsewhere) and in (hosted)."""
    actor = request.actor
    if not access.may_list_organisation_secondments(actor):
        raise PermissionDenied
    visible = access.visible_agreements(actor).select_related(
        "person", "home_organisation", "host_organisation"
    )
    context = {
        "organisation": actor.organisation,
        "out": list(visible.filter(home_organisation=actor.organisation)[:LIST_LIMIT]),
        "in": list(visible.filter(host_organisation=actor.organisation)[:LIST_LIMIT]),
        "limit": LIST_LIMIT,
    }
    return render(request, "talent/agreements/organisation.html", context)


# --- The agreement -------------------------------------------------------------------------------


@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement: its terms, its steps and what the viewer may do next."""
    actor = request.actor
    agreement = access.get_agreement_for(actor, pk)
    status = agreement.status
    before_start = status in agreements.BEFORE_START
    context = {
        "agreement": agreement,
        "steps": agreements.timeline(agreement),
        "may_change_terms": before_start and access.may_change_terms(actor, agreement),
        "may_release": bool(agreements.release_capacities(actor, agreement)),
        "may_sign": bool(agreements.unsigned_parties(actor, agreement)),
        "may_end": status == AgreementStatus.ACTIVE and access.may_end_or_cancel(actor, agreement),
        "may_cancel": before_start and access.may_end_or_cancel(actor, agreement),
        "may_give_feedback": status == AgreementStatus.ENDED
        and bool(access.feedback_parties(actor, agreement)),
        "may_record_return": status == AgreementStatus.ENDED
        and agreement.returned_on is None
        and access.may_record_return(actor, agreement),
    }
    return render(request, "talent/agreements/detail.html", context)


@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's L&D lead drafts the agreement of an accepted secondment offer."""
    application = access.get_application_to_draft(request.actor, pk)
    existing = access.agreement_of(request.actor, application)
    if existing is not None:
        return redirect("talent:agreement", pk=existing.pk)
    form = TermsForm(posted(request), initial=agreements.default_terms(application))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreements.draft_agreement(
                actor=request.actor, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, "Agreement drafted. The home organisation is asked to release."
            )
            return redirect("talent:agreement", pk=agreement.pk)
    context = {
        "form": form,
        "application": application,
        "title": f"Draft the secondment agreement for {application.applicant.full_name}",
        "button": "Save draft",
    }
    return render(request, "talent/agreements/terms.html", context)


@require_http_methods(["GET", "POST"])
def agreement_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """The host changes the terms before the start (every signature is then asked for again)."""
    agreement = access.get_agreement_for(request.actor, pk)
    if not access.may_change_terms(request.actor, agreement):
        raise PermissionDenied
    form = TermsForm(posted(request), initial=_terms_of(agreement))
    if request.method == "POST" and form.is_valid():
        try:
            changed = agreements.change_terms(
                actor=request.actor, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"Terms changed (version {agreement.terms_version}): everyone signs again."
                if changed
                else "Nothing was changed.",
            )
            return redirect("talent:agreement", pk=agreement.pk)
    context = {
        "form": form,
        "agreement": agreement,
        "title": "Change the terms",
        "button": "Save terms",
    }
    return render(request, "talent/agreements/terms.html", context)


@require_http_methods(["GET", "POST"])
def agreement_release(request: HttpRequest, pk: int) -> HttpResponse:
    """The home line manager or L&D lead releases the person."""
    actor = request.actor
    agreement = access.get_agreement_for(actor, pk)
    if not (
        access.may_release_as_line_manager(actor, agreement)
        or access.may_release_as_ld_lead(actor, agreement)
    ):
        raise PermissionDenied
    capacities = agreements.release_capacities(actor, agreement)
    form = ReleaseForm(posted(request), capacities=capacities)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.release(
                actor=actor, agreement=agreement, capacity=form.cleaned_data.get("capacity", "")
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"You released {agreement.person.full_name}.")
            return redirect("talent:agreement", pk=agreement.pk)
    return _render_form(
        request,
        agreement,
        form,
        title=f"Release {agreement.person.full_name} for this secondment",
        button="Release",
        intro="Releasing agrees, for the home organisation, that they may be away on the dates "
        "and hours in these terms.",
        show_terms=True,
    )


@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the current terms for the person, the home or the host."""
    actor = request.actor
    agreement = access.get_agreement_for(actor, pk)
    if not access.signing_parties(actor, agreement):
        raise PermissionDenied
    parties = agreements.unsigned_parties(actor, agreement) or access.signing_parties(
        actor, agreement
    )
    form = SignForm(
        posted(request), parties=parties, initial={"terms_version": agreement.terms_version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = agreements.sign(
                actor=actor,
                agreement=agreement,
                terms_version=form.cleaned_data["terms_version"],
                party=form.cleaned_data.get("party", ""),
            )
        except ValidationError as error:
            show_refusal(form, error, field_for={"terms_version": "agree"})
        else:
            messages.success(request, f"Signed for the {PARTY_LABELS[signature.party].lower()}.")
            return redirect("talent:agreement", pk=agreement.pk)
    return _render_form(
        request,
        agreement,
        form,
        title=f"Sign version {agreement.terms_version} of the terms",
        button="Sign the terms",
        show_terms=True,
    )


@require_http_methods(["GET", "POST"])
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The home or host ends an active secondment early, saying why."""
    agreement = access.get_agreement_for(request.actor, pk)
    if not access.may_end_or_cancel(request.actor, agreement):
        raise PermissionDenied
    form = EndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            agreements.end_early(
                actor=request.actor,
                agreement=agreement,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The secondment has ended.")
            return redirect("talent:agreement", pk=agreement.pk)
    return _render_form(
        request,
        agreement,
        form,
        title="End the secondment early",
        button="End secondment",
        warning=True,
    )


@require_http_methods(["GET", "POST"])
def agreement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The home or host cancels an agreement before the secondment starts."""
    agreement = access.get_agreement_for(request.actor, pk)
    if not access.may_end_or_cancel(request.actor, agreement):
        raise PermissionDenied
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            agreements.cancel(
                actor=request.actor, agreement=agreement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The agreement is cancelled.")
            return redirect("talent:agreement", pk=agreement.pk)
    return _render_form(
        request,
        agreement,
        form,
        title="Cancel the agreement",
        button="Cancel agreement",
        warning=True,
    )


@require_http_methods(["GET", "POST"])
def agreement_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Feedback on an ended secondment from the person, the home or the host."""
    agreement = access.get_agreement_for(request.actor, pk)
    parties = access.feedback_parties(request.actor, agreement)
    if not parties:
        raise PermissionDenied
    form = FeedbackForm(posted(request), parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.give_feedback(
                actor=request.actor,
                agreement=agreement,
                text=form.cleaned_data["text"],
                party=form.cleaned_data.get("party", ""),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("talent:agreement", pk=agreement.pk)
    return _render_form(
        request, agreement, form, title="Feedback on the secondment", button="Send feedback"
    )


@require_http_methods(["GET", "POST"])
def agreement_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The home records the person's return after the secondment ended."""
    agreement = access.get_agreement_for(request.actor, pk)
    if not access.may_record_return(request.actor, agreement):
        raise PermissionDenied
    form = ReturnForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            agreements.record_return(
                actor=request.actor,
                agreement=agreement,
                returned_on=form.cleaned_data["returned_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Return recorded.")
            return redirect("talent:agreement", pk=agreement.pk)
    return _render_form(request, agreement, form, title="Record the return", button="Record return")
