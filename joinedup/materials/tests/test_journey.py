"""Issue 5's "Done when", tried through the pages as new users would, with the real services and
the real background task reading the files' text.

Given a London borough (the standing world's own organisation) and an NHS trust (its partner) in
one partnership: the trust's L&D lead adds a facilitator guide for partnership members and an
openly licensed handout, which she publishes openly. The council's L&D lead finds the guide by a
phrase inside its file, opens it, adapts it with credit (offered only the licences its source
allows) and records its reuse; the trust's L&D lead sees the reuse and the saving. An anonymous
visitor reads and downloads the openly licensed handout, and gets nothing of the guide.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from joinedup.materials import documents, licences
from joinedup.materials.models import ExtractionStatus, Licence, Material, Reuse
from joinedup.materials.tests.service_helpers import private_folder

PHRASE = "kitchen table debrief"
GUIDE = "Reflective supervision for ward managers: facilitator guide"
HANDOUT = "Trauma-informed care: a handout for all staff"


@pytest.fixture
def files_root(settings, tmp_path):
    return private_folder(settings, tmp_path)


def text_of(html: str) -> str:
    """The page's words, without tags, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.findall(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
    )


def add_material(client: Client, fields: dict, upload: SimpleUploadedFile) -> Material:
    response = client.post(reverse("materials:create"), {**fields, "upload": upload})
    assert response.status_code == 302, text_of(response.content.decode())[:2000]
    return Material.objects.get(title=fields["title"])


@pytest.fixture
def trusts_materials(world, client_for, files_root, django_capture_on_commit_callbacks):
    """The trust's L&D lead adds the guide (partnership members only) and the handout (OGL),
    and publishes the handout openly; the background task reads each file's text on commit."""
    trust = client_for("partner_ld_lead")
    common = {
        "authors": world.partner_ld_lead.email,
        "show_my_name": "on",
        "change_note": "First version, used with two cohorts",
    }
    guide_file = documents.docx(
        "Reflective supervision for ward managers",
        f"10:20 The {PHRASE} (40 minutes). In threes, one person describes a shift that "
        "stayed with them; the second asks only open questions.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        guide = add_material(
            trust,
            {
                **common,
                "title": GUIDE,
                "summary": "A half-day session plan for ward managers who supervise staff.",
                "kind": "facilitator_guide",
                "licence": Licence.PARTNERSHIP,
                "topics": "Supervision, Reflective practice",
            },
            SimpleUploadedFile("reflective-supervision.docx", guide_file),
        )
    with django_capture_on_commit_callbacks(execute=True):
        handout = add_material(
            trust,
            {
                **common,
                "title": HANDOUT,
                "summary": "Two pages on the six principles of trauma-informed care.",
                "kind": "handout",
                "licence": Licence.OGL_3,
                "topics": "Trauma-informed practice",
            },
            SimpleUploadedFile("trauma-informed-care.pdf", documents.pdf([["Six principles."]])),
        )
    published = trust.post(
        reverse("materials:publish", args=[handout.pk]),
        {"licence_confirmed": "on", "content_confirmed": "on"},
    )
    assert published.status_code == 302
    guide.refresh_from_db()
    assert guide.current_version.extraction_status == ExtractionStatus.DONE
    return guide, handout


def test_a_council_adapts_a_trusts_guide_found_by_a_phrase_and_the_trust_sees_the_saving(
    world, client_for, trusts_materials
):
    guide, handout = trusts_materials
    council = client_for("own_ld_lead")

    # When the council's L&D lead searches the library for the phrase inside the guide's file
    library = council.get(reverse("materials:library"), {"q": f'"{PHRASE}"'})
    assert library.status_code == 200
    found = library.content.decode()
    assert reverse("materials:material", args=[guide.pk]) in found
    assert HANDOUT not in found  # the handout does not hold the phrase

    # and opens it, she may adapt it and record its use
    page = council.get(reverse("materials:material", args=[guide.pk])).content.decode()
    words = text_of(page)
    assert "Facilitator guide from London North West University Healthcare NHS Trust" in words
    assert "Partnership members only" in words
    assert reverse("materials:adapt", args=[guide.pk]) in page
    assert reverse("materials:record-reuse", args=[guide.pk]) in page

    # The adapt form offers only the licences a members-only source allows
    form = council.get(reverse("materials:adapt", args=[guide.pk])).content.decode()
    assert radio_values(form, "licence") == licences.allowed_adaptation_licences(
        Licence.PARTNERSHIP, same_organisation=False
    )
    assert set(radio_values(form, "licence")) == {Licence.PARTNERSHIP, Licence.OWNER_ONLY}
    adaptation = {
        "title": "Reflective supervision for social work team managers: facilitator guide",
        "summary": "The trust's guide with social work examples.",
        "kind": "facilitator_guide",
        "topics": "Supervision",
        "authors": world.own_ld_lead.email,
    }
    # and refuses an open licence with the reason
    refused = council.post(
        reverse("materials:adapt", args=[guide.pk]), {**adaptation, "licence": Licence.OGL_3}
    )
    assert refused.status_code == 200
    assert "must stay members only or narrower" in text_of(refused.content.decode())
    assert not Material.objects.filter(title=adaptation["title"]).exists()

    # When she adapts it as partnership members only, the adaptation credits the original
    adapted = council.post(
        reverse("materials:adapt", args=[guide.pk]),
        {**adaptation, "licence": Licence.PARTNERSHIP},
        follow=True,
    )
    assert adapted.status_code == 200
    copy = Material.objects.get(title=adaptation["title"])
    assert copy.owner == world.own
    assert copy.adapted_from == guide.current_version
    assert copy.current_version.storage_name == guide.current_version.storage_name
    words = text_of(adapted.content.decode())
    assert f"Version 1 of {GUIDE}, by London North West University Healthcare NHS Trust" in words
    assert "crediting" in words

    # and records that the council used the guide
    reuse_form = council.get(reverse("materials:record-reuse", args=[guide.pk]))
    assert reuse_form.status_code == 200
    recorded = council.post(
        reverse("materials:record-reuse", args=[guide.pk]),
        {
            "used_on_day": "12",
            "used_on_month": "10",
            "used_on_year": "2026",
            "run": "",
            "context": "Supervision skills for new social work team managers",
            "learners_reached": "14",
            "hours_saved": "7.5",
            "cost_saved": "600.00",
        },
    )
    assert recorded.status_code == 302
    reuse = Reuse.objects.get(material=guide)
    assert (reuse.organisation, reuse.learners_reached) == (world.own, 14)

    # Then the trust's L&D lead sees who reused the guide and what it saved
    trust = client_for("partner_ld_lead")
    words = text_of(trust.get(reverse("materials:material", args=[guide.pk])).content.decode())
    assert "London Borough of Barnet" in words
    assert "Supervision skills for new social work team managers" in words
    assert "1, by 1 organisation" in words
    assert "£600.00" in words
    # and the saving on her organisation's materials
    mine = text_of(trust.get(reverse("materials:mine")).content.decode())
    assert "Estimated cost saved £600.00" in mine
    assert "Estimated hours saved 7.5" in mine


def test_an_anonymous_visitor_reads_the_open_handout_and_nothing_else(trusts_materials):
    guide, handout = trusts_materials
    visitor = Client()

    # The public list shows the openly published handout, and not the members-only guide
    listed = visitor.get(reverse("materials:open-list")).content.decode()
    assert HANDOUT in listed
    assert GUIDE not in listed

    # Its page names the licence and offers the file, as an attachment never shown inline
    page = visitor.get(reverse("materials:open-material", args=[handout.pk]))
    assert page.status_code == 200
    assert "Open Government Licence v3.0" in text_of(page.content.decode())
    download = visitor.get(reverse("materials:open-download", args=[handout.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # The guide is not found on the public pages, and its inside pages ask her to sign in
    assert visitor.get(reverse("materials:open-material", args=[guide.pk])).status_code == 404
    assert visitor.get(reverse("materials:open-download", args=[guide.pk])).status_code == 404
    for url in (
        reverse("materials:material", args=[guide.pk]),
        reverse("materials:download", args=[guide.current_version_id]),
        reverse("materials:library") + f"?q={PHRASE}",
    ):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
