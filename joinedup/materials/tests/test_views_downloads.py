"""Downloads: a file only as a permission-checked attachment, a link only to an http(s) address."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.lib.uploads import check_upload, store
from joinedup.materials.models import Licence
from joinedup.materials.tests.factories import FileVersionFactory, MaterialVersionFactory
from joinedup.materials.tests.page_helpers import linked_material, open_material
from joinedup.materials.tests.service_helpers import private_folder

PAGE = b"<html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def files_root(settings, tmp_path):
    return private_folder(settings, tmp_path)


def _stored_text_version(material, number: int = 2):
    checked = check_upload(SimpleUploadedFile("notes.txt", b"Session notes\n"))
    return FileVersionFactory(
        material=material,
        number=number,
        file_name="notes.txt",
        storage_name=store(checked),
        content_type=checked.content_type,
    )


def test_a_partner_downloads_a_file_version_as_an_attachment(world, client_for, files_root):
    version = _stored_text_version(linked_material(world.own))
    response = client_for("partner_staff").get(reverse("materials:download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="notes.txt"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Session notes\n"


def test_an_earlier_version_stays_downloadable(world, client_for, files_root):
    material = linked_material(world.own)
    first = _stored_text_version(material, number=2)
    _stored_text_version(material, number=3)
    assert (
        client_for("own_staff").get(reverse("materials:download", args=[first.pk])).status_code
        == 200
    )


def test_a_version_of_an_invisible_material_is_not_found(world, client_for, files_root):
    version = _stored_text_version(linked_material(world.own, licence=Licence.OWNER_ONLY))
    url = reverse("materials:download", args=[version.pk])
    assert client_for("partner_staff").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_an_inside_download(world, client_for):
    version = linked_material(world.own).current_version
    response = client_for("anonymous").get(reverse("materials:download", args=[version.pk]))
    assert response["Location"].startswith("/accounts/login/")


def test_a_file_whose_bytes_are_missing_is_not_found_not_an_error(world, client_for, files_root):
    version = FileVersionFactory(material=linked_material(world.own), number=2)
    response = client_for("own_staff").get(reverse("materials:download", args=[version.pk]))
    assert response.status_code == 404


def test_a_stored_html_file_is_never_served_as_a_page(world, client_for, files_root):
    root = files_root
    root.mkdir(parents=True, exist_ok=True)
    version = _stored_text_version(linked_material(world.own))
    (root / version.storage_name).write_bytes(PAGE)
    version.content_type = "text/html"
    version.save()
    response = client_for("own_staff").get(reverse("materials:download", args=[version.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_link_version_redirects_to_its_web_address(world, client_for):
    version = linked_material(world.own).current_version
    response = client_for("own_staff").get(reverse("materials:download", args=[version.pk]))
    assert response.status_code == 302
    assert response["Location"] == version.external_url


@pytest.mark.parametrize("link", ["ftp://files.example.test/guide.pdf", "javascript:alert(1)"])
def test_a_link_that_is_not_http_or_https_is_never_followed(world, client_for, link):
    version = MaterialVersionFactory(material=linked_material(world.own), number=2)
    type(version).objects.filter(pk=version.pk).update(external_url=link)
    response = client_for("own_staff").get(reverse("materials:download", args=[version.pk]))
    assert response.status_code == 404


def test_anyone_downloads_the_current_version_of_an_openly_published_material(
    world, client_for, files_root
):
    material = open_material(world.own)
    current = _stored_text_version(material)
    response = client_for("anonymous").get(reverse("materials:open-download", args=[material.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Session notes\n"
    assert current.pk == material.versions.order_by("-number").first().pk


def test_the_public_download_of_an_unpublished_material_is_not_found(world, client_for):
    material = linked_material(world.own, licence=Licence.OGL_3)
    url = reverse("materials:open-download", args=[material.pk])
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("own_staff").get(url).status_code == 404
