"""The commitment statement pages through HTTP: reading a version, signing it in turn with the
refusals on the page, the newer-version banner, and the PDF and HTML downloads."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from joinedup.apprenticeships import statements
from joinedup.apprenticeships.models import CommitmentStatement, EnrolmentStatus, Party
from joinedup.partnership.actor import Actor

from .statement_scene import Scene, build_scene


@pytest.fixture
def scene(db) -> Scene:
    return build_scene()


@pytest.fixture
def issued(scene) -> CommitmentStatement:
    return statements.issue(scene.enrolment, actor=scene.employer, reason="Enrolled")


def client_of(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def _page(actor: Actor, statement: CommitmentStatement) -> str:
    response = client_of(actor).get(reverse("apprenticeships:statement", args=[statement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _sign(actor: Actor, statement: CommitmentStatement, agree: bool = True):
    return client_of(actor).post(
        reverse("apprenticeships:sign_statement", args=[statement.pk]),
        {"agree": "on"} if agree else {},
    )


def test_the_page_lays_out_the_statement_and_who_signs_next(scene, issued):
    page = _page(scene.employer, issued)
    for text in (
        "Commitment statement and training plan",
        "Amara Okafor",
        "University of Westminster Example",
        "Senior leader (degree) (ST0480)",
        "£14,000.00",
        "Not eligible for levy funding under the Level 7 rule",
        "Module 1: Leading people",
        "20 November 2026",
        "Next to sign: the apprentice.",
        "Not signed yet",
    ):
        assert text in page
    assert reverse("apprenticeships:enrolment", args=[scene.enrolment.pk]) in page
    assert "1990" not in page
    assert "Sign version 1" not in page


def test_only_the_party_whose_turn_it_is_gets_the_sign_button(scene, issued):
    assert "Sign version 1" in _page(scene.apprentice, issued)
    assert "Sign version 1" not in _page(scene.provider, issued)
    statements.sign(actor=scene.apprentice, statement=issued)
    assert "Sign version 1" not in _page(scene.apprentice, issued)
    assert "Sign version 1" in _page(scene.employer, issued)


def test_signing_needs_the_confirmation(scene, issued):
    response = _sign(scene.apprentice, issued, agree=False)
    assert response.status_code == 200
    assert "Confirm you have read and agree to the statement" in response.content.decode()
    assert not issued.signatures.exists()


def test_the_three_sign_in_turn_through_the_pages_and_the_enrolment_starts(scene, issued):
    for actor in (scene.apprentice, scene.employer, scene.provider):
        response = _sign(actor, issued)
        assert response.status_code == 302
        assert response["Location"] == reverse("apprenticeships:statement", args=[issued.pk])
    page = _page(scene.apprentice, issued)
    assert "Fully signed" in page
    assert "Signed by Priya Leader on" in page
    scene.enrolment.refresh_from_db()
    assert scene.enrolment.status == EnrolmentStatus.ACTIVE


def test_signing_out_of_turn_is_refused_on_the_page(scene, issued):
    response = _sign(scene.employer, issued)
    assert response.status_code == 200
    assert "It is not the employer&#x27;s turn to sign yet" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not issued.signatures.exists()


def test_signing_twice_is_refused_on_the_page(scene, issued):
    _sign(scene.apprentice, issued)
    response = _sign(scene.apprentice, issued)
    assert "already signed for the apprentice" in response.content.decode()
    assert list(issued.signatures.values_list("party", flat=True)) == [Party.APPRENTICE]


def test_an_older_version_shows_the_banner_and_cannot_be_signed(scene, issued):
    newer = statements.issue(scene.enrolment, actor=scene.employer, reason="Dates moved")
    page = _page(scene.apprentice, issued)
    assert "A newer version replaces this one." in page
    assert reverse("apprenticeships:statement", args=[newer.pk]) in page
    assert "Sign version 1" not in page
    response = _sign(scene.apprentice, issued)
    assert "a newer version (version 2) replaces this one" in response.content.decode()
    assert "A newer version replaces this one." not in _page(scene.apprentice, newer)
    assert "Dates moved" in page


@pytest.mark.parametrize("who", ["line_manager", "tutor"])
def test_who_sees_but_is_no_party_may_not_sign(scene, issued, who):
    assert _sign(getattr(scene, who), issued).status_code == 403
    assert "Amara Okafor" in _page(getattr(scene, who), issued)


def test_the_outsider_finds_nothing(scene, issued):
    client = client_of(scene.outsider)
    for name in ("statement", "statement_html", "statement_pdf"):
        assert client.get(reverse(f"apprenticeships:{name}", args=[issued.pk])).status_code == 404
    assert _sign(scene.outsider, issued).status_code == 404


def test_the_pdf_holds_the_version_the_apprentice_and_the_signatures(scene, issued):
    statements.sign(actor=scene.apprentice, statement=issued)
    response = client_of(scene.employer).get(
        reverse("apprenticeships:statement_pdf", args=[issued.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    reference = scene.enrolment.reference
    assert response["Content-Disposition"] == (
        f'attachment; filename="commitment-statement-{reference}-v1.pdf"'
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Amara Okafor" in text
    assert "Version 1: Enrolled" in text
    assert "Signed by Amara Okafor on" in text
    assert "Not signed yet" in text
    assert "Leading people" in text
    assert "1990" not in text


def test_the_html_download_is_the_content_as_a_file(scene, issued):
    response = client_of(scene.apprentice).get(
        reverse("apprenticeships:statement_html", args=[issued.pk])
    )
    assert response["Content-Disposition"].startswith("attachment; filename=")
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>")
    for text in ("Amara Okafor", "version 1", "Leading people", "Responsibilities", "Strategy"):
        assert text in page
    assert "<link" not in page
