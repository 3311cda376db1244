"""Learning reviews and adoptions of an initiative: recording and changing them. They are shown
on the initiative page (`network/initiatives/_reviews.html` and `_spread.html`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, reviews, spread
from ..models import Initiative
from ..review_forms import AdoptionForm, review_form, review_initial, row_count


def _back(initiative: Initiative, anchor: str) -> str:
    return reverse("network:initiative", args=[initiative.pk]) + anchor


def _review_page(request: HttpRequest, initiative: Initiative, review=None) -> HttpResponse:
    data = posted(request)
    saved = reviews.review_data(review) if review is not None else None
    form = review_form(
        data,
        evidence_rows=row_count(data, "evidence_rows", len(saved["evidence"]) if saved else 0),
        measure_rows=row_count(data, "measure_rows", len(saved["measures"]) if saved else 0),
        initial=review_initial(saved) if saved else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if review is None:
                reviews.add_review(actor=request.actor, initiative=initiative, data=form.to_data())
            else:
                reviews.update_review(actor=request.actor, review=review, data=form.to_data())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, "Learning review recorded." if review is None else "Review changed."
            )
            return redirect(_back(initiative, "#reviews"))
    context = {
        "form": form,
        "initiative": initiative,
        "title": "Record a learning review" if review is None else "Change the learning review",
        "button": "Save review",
    }
    return render(request, "network/reviews/review_form.html", context)


@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the acting organisation learnt from the initiative (partners involved and the
    partnership lead)."""
    initiative = access.get_initiative_for(request.actor, pk)
    if not access.may_review(request.actor, initiative):
        raise PermissionDenied
    return _review_page(request, initiative)


@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a review (its author or the partnership lead)."""
    review = access.get_editable_review(request.actor, pk)
    return _review_page(request, review.initiative, review)


def _adoption_page(request: HttpRequest, initiative: Initiative, adoption=None) -> HttpResponse:
    initial = None
    if adoption is not None:
        initial = {field: getattr(adoption, field) for field in spread.FIELDS}
    form = AdoptionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if adoption is None:
                spread.record_adoption(
                    actor=request.actor, initiative=initiative, data=form.cleaned_data
                )
            else:
                spread.update_adoption(
                    actor=request.actor, adoption=adoption, data=form.cleaned_data
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, "Adoption recorded." if adoption is None else "Adoption changed."
            )
            return redirect(_back(initiative, "#spread"))
    context = {
        "form": form,
        "initiative": initiative,
        "adoption": adoption,
        "title": "Record that your organisation adopted this"
        if adoption is None
        else "Change the adoption",
        "button": "Save",
    }
    return render(request, "network/reviews/adoption_form.html", context)


@require_http_methods(["GET", "POST"])
def adoption_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the acting organisation took the initiative on, with its local changes
    (another organisation of the partnership, once)."""
    initiative = access.get_initiative_for(request.actor, pk)
    if not access.may_adopt(request.actor, initiative):
        earlier = initiative.adoptions.filter(organisation_id=request.actor.organisation_id).first()
        if earlier is None or not access.may_edit_adoption(request.actor, earlier):
            raise PermissionDenied
        messages.info(request, spread.ALREADY_ADOPTED)
        return redirect("network:adoption-edit", pk=earlier.pk)
    return _adoption_page(request, initiative)


@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an adoption (its recorder, the adopting organisation's admin or L&D lead, or the
    partnership lead)."""
    adoption = access.get_editable_adoption(request.actor, pk)
    return _adoption_page(request, adoption.initiative, adoption)
