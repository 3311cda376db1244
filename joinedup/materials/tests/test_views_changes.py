"""Adding a material (a file or a link), changing its details and uploading a new version."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials.models import Licence, Material, MaterialAuthor, MaterialVersion
from joinedup.materials.tests.factories import MaterialAuthorFactory
from joinedup.materials.tests.page_helpers import linked_material
from joinedup.materials.tests.service_helpers import private_folder, stored_files

GUIDE = b"Facilitator guide for reflective supervision.\nSession one: trauma informed practice.\n"


@pytest.fixture
def files_root(settings, tmp_path):
    return private_folder(settings, tmp_path)


def _details(**changes) -> dict:
    return {
        "title": "Reflective supervision guide",
        "summary": "A half-day session plan.",
        "kind": "facilitator_guide",
        "licence": Licence.PARTNERSHIP,
        "topics": "Supervision, Trauma-informed practice",
        "authors": "",
        **changes,
    }


# --- Adding -------------------------------------------------------------------------------------


def test_the_ld_lead_adds_a_material_with_a_link(world, client_for):
    client = client_for("own_ld_lead")
    response = client.post(
        reverse("materials:create"),
        _details(external_url="https://learning.example.test/guide"),
    )
    material = Material.objects.get(title="Reflective supervision guide")
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    assert material.owner == world.own
    assert material.current_version.external_url == "https://learning.example.test/guide"
    assert sorted(material.topics.values_list("name", flat=True)) == [
        "Supervision",
        "Trauma-informed practice",
    ]


def test_the_ld_lead_uploads_a_file_and_it_is_stored_privately(world, client_for, files_root):
    client = client_for("own_ld_lead")
    upload = SimpleUploadedFile("guide.txt", GUIDE, content_type="text/plain")
    response = client.post(reverse("materials:create"), {**_details(), "upload": upload})
    assert response.status_code == 302
    version = Material.objects.get(title="Reflective supervision guide").current_version
    assert version.file_name == "guide.txt"
    assert len(stored_files(files_root)) == 1


def test_a_hostile_upload_is_refused_with_its_reason_and_nothing_is_stored(
    world, client_for, files_root
):
    client = client_for("own_ld_lead")
    disguised = SimpleUploadedFile(
        "guide.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(reverse("materials:create"), {**_details(), "upload": disguised})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_upload"' in page
    assert not Material.objects.exists()
    assert stored_files(files_root) == []


def test_a_file_and_a_link_together_are_refused(world, client_for, files_root):
    upload = SimpleUploadedFile("guide.txt", GUIDE, content_type="text/plain")
    response = client_for("own_ld_lead").post(
        reverse("materials:create"),
        {**_details(), "upload": upload, "external_url": "https://example.org/guide"},
    )
    assert "Upload a file or give a link, not both" in response.content.decode()
    assert not Material.objects.exists()


def test_neither_a_file_nor_a_link_is_refused_naming_the_field(world, client_for):
    response = client_for("own_ld_lead").post(reverse("materials:create"), _details())
    assert response.status_code == 200
    assert "Upload a file or give a link" in response.content.decode()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/guide", "not a link"])
def test_a_link_that_is_not_a_web_address_is_refused(world, client_for, link):
    response = client_for("own_ld_lead").post(
        reverse("materials:create"), _details(external_url=link)
    )
    assert "The link must be a web address" in response.content.decode()
    assert not Material.objects.exists()


def test_an_author_who_is_not_on_the_staff_is_refused_by_name(world, client_for):
    response = client_for("own_ld_lead").post(
        reverse("materials:create"),
        _details(external_url="https://example.org/g", authors="pat.staff@lnwh.test"),
    )
    assert "not found: pat.staff@lnwh.test" in response.content.decode()


def test_the_creator_chooses_to_show_their_own_name_and_other_authors_start_hidden(
    world, client_for
):
    client_for("own_ld_lead").post(
        reverse("materials:create"),
        _details(
            external_url="https://example.org/g",
            authors="lee.learning@barnet.test\nsam.staff@barnet.test",
            show_my_name="on",
        ),
    )
    shown = dict(MaterialAuthor.objects.values_list("person__email", "show_name_publicly"))
    assert shown == {"lee.learning@barnet.test": True, "sam.staff@barnet.test": False}


@pytest.mark.parametrize("persona", ["own_staff", "own_levy_officer", "partnership_lead"])
def test_people_without_a_creating_role_may_not_add_materials(world, client_for, persona):
    assert client_for(persona).get(reverse("materials:create")).status_code == 403


# --- Changing the details -----------------------------------------------------------------------


def test_the_form_starts_with_the_materials_details(world, client_for):
    material = linked_material(world.own, title="Old title")
    MaterialAuthorFactory(material=material, person=world.own_staff)
    page = client_for("own_ld_lead").get(reverse("materials:edit", args=[material.pk]))
    text = page.content.decode()
    assert 'value="Old title"' in text
    assert "sam.staff@barnet.test" in text


def test_a_credited_author_changes_the_details_and_keeps_other_authors_choices(world, client_for):
    material = linked_material(world.own, title="Old title")
    MaterialAuthorFactory(material=material, person=world.own_staff)
    MaterialAuthorFactory(
        material=material, person=world.own_line_manager, show_name_publicly=True, position=1
    )
    response = client_for("own_staff").post(
        reverse("materials:edit", args=[material.pk]),
        _details(
            title="New title",
            authors="sam.staff@barnet.test\nlena.manager@barnet.test",
            show_my_name="on",
        ),
    )
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    material.refresh_from_db()
    assert material.title == "New title"
    shown = dict(material.authors.values_list("person__email", "show_name_publicly"))
    assert shown == {"sam.staff@barnet.test": True, "lena.manager@barnet.test": True}


def test_a_partner_who_reads_the_material_may_not_change_it(world, client_for):
    material = linked_material(world.own)
    assert (
        client_for("partner_ld_lead").get(reverse("materials:edit", args=[material.pk])).status_code
        == 403
    )
    assert (
        client_for("outsider").get(reverse("materials:edit", args=[material.pk])).status_code == 404
    )


def test_a_missing_title_is_shown_in_the_error_summary(world, client_for):
    material = linked_material(world.own)
    response = client_for("own_ld_lead").post(
        reverse("materials:edit", args=[material.pk]), _details(title="")
    )
    assert "Enter the material&#x27;s title" in response.content.decode()


# --- New versions -------------------------------------------------------------------------------


def test_a_new_version_keeps_the_earlier_one_and_records_the_change_note(
    world, client_for, files_root
):
    material = linked_material(world.own)
    upload = SimpleUploadedFile("guide-v2.txt", GUIDE, content_type="text/plain")
    response = client_for("own_admin").post(
        reverse("materials:new-version", args=[material.pk]),
        {"upload": upload, "change_note": "Updated the contacts"},
    )
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    versions = list(MaterialVersion.objects.filter(material=material).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].change_note == "Updated the contacts"
    material.refresh_from_db()
    assert material.current_version == versions[1]


def test_a_new_version_needs_a_change_note(world, client_for):
    material = linked_material(world.own)
    response = client_for("own_ld_lead").post(
        reverse("materials:new-version", args=[material.pk]),
        {"external_url": "https://example.org/v2"},
    )
    assert "Say what changed in this version" in response.content.decode()
    assert MaterialVersion.objects.filter(material=material).count() == 1


def test_a_material_links_the_organisations_programmes_chosen(world, client_for):
    programme = ProgrammeFactory(host=world.own, title="Supervision skills")
    ProgrammeFactory(host=world.partner, title="Partner course")
    client = client_for("own_ld_lead")
    form = client.get(reverse("materials:create")).content.decode()
    assert "Supervision skills" in form
    assert "Partner course" not in form
    client.post(
        reverse("materials:create"),
        _details(external_url="https://example.org/g", programmes=[programme.pk]),
    )
    material = Material.objects.get()
    assert list(material.programmes.all()) == [programme]
    page = client_for("partner_staff").get(reverse("materials:material", args=[material.pk]))
    assert reverse("learning:programme", args=[programme.pk]) in page.content.decode()
