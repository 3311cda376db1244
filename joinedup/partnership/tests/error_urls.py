"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from joinedup import urls as project_urls

handler500 = project_urls.handler500


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("connection to secret-database-host refused")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered request")


urlpatterns = [
    path("test-errors/broken/", broken),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    *project_urls.urlpatterns,
]
