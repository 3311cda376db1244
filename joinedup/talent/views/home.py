"""The talent scheme's front page: links to each part a person may use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Opportunities, the person's profile and applications, schemes, mentoring and figures."""
    return render(request, "talent/home.html", {})
