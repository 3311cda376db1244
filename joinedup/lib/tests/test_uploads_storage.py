"""Stored files: served only as attachments that no browser renders, from a private folder."""

from __future__ import annotations

import pytest
from csp.middleware import CSPMiddleware
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from joinedup.lib.tests import upload_files as files
from joinedup.lib.tests.conftest import files_under
from joinedup.lib.uploads import (
    attachment_response,
    check_upload,
    delete_stored,
    open_stored,
    store,
)
from joinedup.lib.uploads.storage import content_disposition, served_content_type


def stored(name: str, content: bytes) -> tuple[str, str]:
    checked = check_upload(files.upload(name, content))
    return store(checked), checked.content_type


def test_a_download_is_an_attachment_with_nosniff_and_a_sandbox(uploads_root):
    content = files.pdf()
    storage_name, content_type = stored("Facilitator guide.pdf", content)

    response = attachment_response(
        storage_name, file_name="Facilitator guide.pdf", content_type=content_type
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Facilitator guide.pdf\"; filename*=UTF-8''Facilitator%20guide.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == content


def test_text_is_served_as_plain_utf8_text(uploads_root):
    storage_name, content_type = stored("Plan.txt", b"Plan\n")

    response = attachment_response(storage_name, file_name="Plan.txt", content_type=content_type)

    assert response["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    "claimed", ["text/html", "image/svg+xml", "application/xhtml+xml", "TEXT/HTML; charset=utf-8"]
)
def test_a_page_or_svg_type_is_never_served_even_if_a_record_claims_it(uploads_root, claimed):
    storage_name, _ = stored("Plan.txt", b"Plan\n")

    response = attachment_response(storage_name, file_name="Plan.txt", content_type=claimed)

    assert response["Content-Type"] == "application/octet-stream"


def test_the_site_wide_policy_does_not_replace_the_download_sandbox(
    uploads_root, rf: RequestFactory
):
    storage_name, content_type = stored("Plan.txt", b"Plan\n")
    response = attachment_response(storage_name, file_name="Plan.txt", content_type=content_type)

    middleware = CSPMiddleware(lambda request: HttpResponse())
    served = middleware.process_response(rf.get("/materials/1/download"), response)

    assert served["Content-Security-Policy"].startswith("sandbox;")


def test_a_name_with_accents_quotes_and_a_line_break_makes_a_safe_header():
    header = content_disposition('Café "notes"\r\nSet-Cookie: x.txt')

    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="Cafe _notes___Set-Cookie_ x.txt"; ')
    assert header.endswith("filename*=UTF-8''Caf%C3%A9%20%22notes%22%0D%0ASet-Cookie%3A%20x.txt")


def test_only_accepted_types_are_served_as_themselves():
    assert served_content_type("application/zip") == "application/zip"
    assert served_content_type("text/csv") == "text/csv; charset=utf-8"
    assert served_content_type("application/x-msdownload") == "application/octet-stream"


def test_a_storage_name_that_is_not_one_we_made_is_refused(uploads_root):
    for name in ["../../etc/passwd", "ab/cd/../../../x", "/etc/passwd", "ab/cd/ABC"]:
        with pytest.raises(ValueError, match="Not a storage name"):
            open_stored(name)


def test_a_deleted_file_is_gone_and_deleting_twice_is_fine(uploads_root):
    storage_name, _ = stored("Plan.txt", b"Plan\n")

    delete_stored(storage_name)
    delete_stored(storage_name)

    assert files_under(uploads_root) == []
    with pytest.raises(FileNotFoundError):
        open_stored(storage_name)


def test_two_uploads_of_the_same_file_get_different_names(uploads_root):
    first, _ = stored("Plan.txt", b"Plan\n")
    second, _ = stored("Plan.txt", b"Plan\n")

    assert first != second


def test_a_private_folder_inside_a_served_folder_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILES_ROOT = tmp_path / "media" / "private"
    settings.CLAMAV_SOCKET = ""
    checked = check_upload(files.upload("Plan.txt", b"Plan\n"))

    with pytest.raises(ImproperlyConfigured, match="must not be inside"):
        store(checked)

    assert files_under(tmp_path) == []
