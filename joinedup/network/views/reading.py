"""My discussions, a member's subscription to a space, and marking a space's threads read.
Every fetch goes through access.py; writes through subscriptions.py and reading.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access, reading, subscriptions
from ..models import Space
from ..reading_forms import SubscriptionForm


def _space_url(space: Space) -> str:
    """The space's page."""
    return reverse("network:space", args=[space.pk])


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The threads of every space the person belongs to, newest activity first."""
    unread_only = request.GET.get("unread") == "1"
    page = reading.my_discussions(
        request.actor,
        unread_only=unread_only,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    keep = {"unread": "1"} if unread_only else {}
    links = {
        "previous": "?" + urlencode({**keep, "before": page.previous_cursor})
        if page.previous_cursor
        else None,
        "next": "?" + urlencode({**keep, "after": page.next_cursor}) if page.next_cursor else None,
    }
    context = {"page": page, "unread_only": unread_only, "links": links}
    return render(request, "network/reading/mine.html", context)


@require_http_methods(["GET", "POST"])
def space_subscription(request: HttpRequest, pk: int) -> HttpResponse:
    """A member chooses e-mails for every post, a daily or weekly digest, or none."""
    membership = access.get_active_membership(request.actor, pk)
    space = membership.space
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            subscriptions.set_subscription(
                request.actor, space, choice=form.cleaned_data["subscription"]
            )
            messages.success(request, f"Your e-mails about {space.title} are changed.")
            return redirect(_space_url(space))
    else:
        form = SubscriptionForm(initial={"subscription": membership.subscription})
    context = {"form": form, "space": space, "back_url": _space_url(space)}
    return render(request, "network/reading/subscription.html", context)


@require_POST
def space_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark every thread of a space the person reads as read."""
    space = access.get_readable_space(request.actor, pk)
    count = reading.mark_all_read(request.actor, space)
    messages.success(
        request, f"{count} thread{'' if count == 1 else 's'} in {space.title} marked as read."
    )
    return redirect(_space_url(space))
