"""Downloading a version: a stored file only through the permission-checked attachment response,
a link only by a redirect to an http or https address."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.views.decorators.http import require_GET

from joinedup.lib.uploads import attachment_response

from .. import access
from ..models import MaterialVersion

LINK_SCHEMES = ("http", "https")


def version_response(version: MaterialVersion) -> HttpResponseBase:
    """The version's file as an attachment, or a redirect to its link; 404 when neither can be
    given safely (a missing file, a link that is not a web address)."""
    if version.is_link:
        if urlsplit(version.external_url).scheme.lower() not in LINK_SCHEMES:
            raise Http404("This link is not a web address")
        return HttpResponseRedirect(version.external_url)
    try:
        return attachment_response(
            version.storage_name, file_name=version.file_name, content_type=version.content_type
        )
    except (FileNotFoundError, ValueError):
        raise Http404("This file is missing") from None


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """Any version of a material the actor may read."""
    return version_response(access.get_version_for(request.actor, pk))
