"""The styled 500 page. Django's own handlers render templates/400.html, 403.html and 404.html."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Render 500.html without the context processors, which query a database that may be at fault.

    The request is passed in so the page's scripts carry the content security policy's nonce.
    """
    return HttpResponseServerError(render_to_string("500.html", {"request": request}))
