"""Progress review pages: an enrolment's reviews with each one's state, one review with its record
and signatures (and the Sign button for whoever's turn it is), recording it, signing it, and the
"Reviews due" list. Everything is fetched through `access`; every change goes through `reviews`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib.keyset import keyset_page
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, reviews
from ..models import ProgressReview, ReviewParty
from ..review_forms import RecordForm, SignForm

# "Reviews due" is a to-do list: the most pressing first, 25 a page.
PAGE_SIZE = 25


@require_GET
def enrolment_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrolment's reviews in order, each with its state (due, overdue, recorded and whose
    turn it is to sign, signed)."""
    actor = request.actor
    enrolment = access.get_enrolment_for(actor, pk)
    day = reviews.today()
    rows = [
        (review, reviews.state_of(review, on=day))
        for review in enrolment.reviews.order_by("number").prefetch_related("signatures")
    ]
    context = {
        "enrolment": enrolment,
        "rows": rows,
        "may_record": access.may_record_review(actor, enrolment),
        "no_line_manager": enrolment.line_manager_id is None,
        "no_line_manager_text": reviews.NO_LINE_MANAGER,
        "live": enrolment.status in reviews.LIVE,
    }
    return render(request, "apprenticeships/reviews/list.html", context)


def _page(request: HttpRequest, review: ProgressReview, form: SignForm | None = None):
    actor = request.actor
    enrolment = review.enrolment
    prefetch_related_objects([review], "signatures__person")
    signed = reviews.signed_parties(review)
    state = reviews.state_of(review)
    rows = [
        (party, reviews.PARTY_NAMES[party], _named(enrolment, party), signed.get(party))
        for party in (ReviewParty.APPRENTICE, ReviewParty.LINE_MANAGER, ReviewParty.TUTOR)
    ]
    context = {
        "review": review,
        "enrolment": enrolment,
        "state": state,
        "signature_rows": rows,
        "may_record": review.recorded_at is None and access.may_record_review(actor, enrolment),
        "may_sign": reviews.may_sign_now(actor, review),
        "no_line_manager": enrolment.line_manager_id is None,
        "no_line_manager_text": reviews.NO_LINE_MANAGER,
        "form": form if form is not None else SignForm(),
    }
    return render(request, "apprenticeships/reviews/detail.html", context)


def _named(enrolment, party: str):
    """The person named on the enrolment for a party (None when nobody is)."""
    if party == ReviewParty.APPRENTICE:
        return enrolment.apprentice
    if party == ReviewParty.LINE_MANAGER:
        return enrolment.line_manager
    return enrolment.practice_tutor


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One review: when it is due, its record and hours snapshot, its signatures and whose turn."""
    return _page(request, access.get_review_for(request.actor, pk))


@require_http_methods(["GET", "POST"])
def record_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The practice tutor (or the provider's programme leader) records a review once."""
    actor = request.actor
    review = access.get_recordable_review(actor, pk)
    if review.recorded_at is not None:
        messages.info(request, f"Review {review.number} has already been recorded.")
        return redirect("apprenticeships:review", pk=review.pk)
    form = RecordForm(posted(request), initial={"held_on": reviews.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reviews.record(
                actor=actor,
                review=review,
                held_on=data["held_on"],
                progress=data["progress"],
                actions=data["actions"],
                off_the_job_check=data["off_the_job_check"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"Review {review.number} is recorded. The apprentice signs it first, then the "
                "line manager, then you.",
            )
            return redirect("apprenticeships:review", pk=review.pk)
    hours = reviews.hours_so_far(review.enrolment)
    context = {"form": form, "review": review, "enrolment": review.enrolment, "hours": hours}
    return render(request, "apprenticeships/reviews/record.html", context)


@require_POST
def sign_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the review for the actor's party when it is their turn; a refusal (not their turn,
    not recorded, no line manager named) is shown on the review's page."""
    actor = request.actor
    review = access.get_review_for(actor, pk)
    if not access.review_parties_of(actor, review.enrolment):
        raise PermissionDenied
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            signature = reviews.sign(actor=actor, review=review)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            done = " It is now signed by all three." if review.fully_signed_at else ""
            label = reviews.PARTY_NAMES[signature.party]
            messages.success(request, f"You signed review {review.number} as {label}.{done}")
            return redirect("apprenticeships:review", pk=review.pk)
    return _page(request, review, form)


@require_GET
def reviews_due(request: HttpRequest) -> HttpResponse:
    """Reviews due in the next four weeks and overdue: a practice tutor's tutees', an L&D lead's
    organisation's apprentices', a programme leader's programmes' (empty for anyone else)."""
    actor = request.actor
    day = reviews.today()
    page = keyset_page(
        reviews.due_list(actor, on=day),
        reviews.DUE_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    rows = [(review, reviews.state_of(review, on=day)) for review in page.items]
    context = {
        "page": page,
        "rows": rows,
        "links": page_links(request, page),
        "soon_days": reviews.DUE_SOON_DAYS,
    }
    return render(request, "apprenticeships/reviews/due.html", context)
