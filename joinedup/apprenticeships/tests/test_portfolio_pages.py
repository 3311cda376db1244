"""The portfolio pages through HTTP: adding evidence with refusals on the form, the list with its
filters, the tutor's decision, the file download, the coverage grid and the progress section."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.apprenticeships import portfolio
from joinedup.apprenticeships.models import CheckState, Evidence
from joinedup.partnership.actor import Actor

from .portfolio_scene import add_text, build_portfolio_scene, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def ps():
    return build_portfolio_scene()


def client_of(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def _get(actor: Actor, name: str, pk: int, query: str = "") -> str:
    response = client_of(actor).get(reverse(f"apprenticeships:{name}", args=[pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_apprentice_adds_a_link_and_sees_it_awaiting_sign_off(ps):
    response = client_of(ps.apprentice).post(
        reverse("apprenticeships:evidence_add", args=[ps.enrolment.pk]),
        {
            "title": "Board paper",
            "kind": "link",
            "text": "typed before choosing a link",
            "url": "https://example.org/board-paper",
            "ksbs": [ps.ksbs["K1"].pk, ps.ksbs["S1"].pk],
        },
    )
    item = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("apprenticeships:evidence", args=[item.pk])
    assert item.text == ""
    page = _get(ps.apprentice, "evidence", item.pk)
    assert "https://example.org/board-paper" in page
    assert "Awaiting sign-off" in page
    assert "Change or replace this evidence" in page
    assert "Sign off or ask for more" not in page


def test_a_refused_upload_shows_the_file_fields_message_and_stores_nothing(ps, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    response = client_of(ps.apprentice).post(
        reverse("apprenticeships:evidence_add", args=[ps.enrolment.pk]),
        {
            "title": "My notes",
            "kind": "file",
            "file": text_file("notes.pdf", b"Plain words, not a PDF\n"),
            "ksbs": [ps.ksbs["K1"].pk],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_file"' in page
    assert "ends .pdf but the file is" in page
    assert not Evidence.objects.exists()
    root = settings.PRIVATE_FILES_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_the_form_asks_for_a_ksb(ps):
    response = client_of(ps.apprentice).post(
        reverse("apprenticeships:evidence_add", args=[ps.enrolment.pk]),
        {"title": "Notes", "kind": "text", "text": "An account"},
    )
    assert 'href="#id_ksbs"' in response.content.decode()
    assert "Choose at least one KSB this evidence shows" in response.content.decode()


def test_the_list_filters_by_ksb_and_state(ps):
    signed = add_text(ps, "K1", title="Chaired the meeting")
    portfolio.check_evidence(actor=ps.tutor, evidence=signed, decision="sign_off")
    add_text(ps, "S1", title="Ran the workshop")
    page = _get(ps.line_manager, "portfolio", ps.enrolment.pk)
    assert "Chaired the meeting" in page and "Ran the workshop" in page
    assert "1 of 4 KSBs covered" in page
    page = _get(ps.line_manager, "portfolio", ps.enrolment.pk, f"?ksb={ps.ksbs['S1'].pk}")
    assert "Ran the workshop" in page and "Chaired the meeting" not in page
    page = _get(ps.line_manager, "portfolio", ps.enrolment.pk, "?state=accepted")
    assert "Chaired the meeting" in page and "Ran the workshop" not in page
    assert "Add evidence" not in page


def test_the_list_makes_as_many_queries_for_many_items_as_for_one(ps):
    add_text(ps, "K1")
    url = reverse("apprenticeships:portfolio", args=[ps.enrolment.pk])
    client = client_of(ps.tutor)
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(4):
        add_text(ps, "K2", "S1")
    assert queries() == one


def test_the_tutor_signs_off_and_must_say_what_more_is_needed(ps):
    item = add_text(ps, "K1")
    tutor = client_of(ps.tutor)
    assert "Sign off or ask for more" in _get(ps.tutor, "evidence", item.pk)
    url = reverse("apprenticeships:evidence_check", args=[item.pk])
    response = tutor.post(url, {"decision": "ask_for_more", "note": ""})
    assert response.status_code == 200
    assert "Say what more the apprentice needs to show" in response.content.decode()
    response = tutor.post(url, {"decision": "sign_off", "note": "Clear and well evidenced"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == CheckState.ACCEPTED
    page = _get(ps.apprentice, "evidence", item.pk)
    assert "Signed off" in page and "Change or replace" not in page


def test_the_file_downloads_as_an_attachment_for_those_who_see_it(ps):
    item = portfolio.add_evidence(
        actor=ps.apprentice,
        enrolment=ps.enrolment,
        title="Notes",
        kind="file",
        upload=text_file(),
        ksbs=[ps.ksbs["K1"].pk],
    )
    url = reverse("apprenticeships:evidence_download", args=[item.pk])
    response = client_of(ps.employer).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"Notes from the team meeting\n"
    assert client_of(ps.outsider).get(url).status_code == 404
    written = add_text(ps, "K1")
    download = reverse("apprenticeships:evidence_download", args=[written.pk])
    assert client_of(ps.employer).get(download).status_code == 404


def test_the_coverage_grid_lists_the_gaps_first(ps):
    signed = add_text(ps, "S1")
    portfolio.check_evidence(actor=ps.tutor, evidence=signed, decision="sign_off")
    add_text(ps, "K2")
    page = _get(ps.employer, "ksb_coverage", ps.enrolment.pk)
    assert "1 of 4 KSBs covered" in page
    assert page.count("govuk-tag--red") == 3
    assert page.count(">Covered<") == 1
    order = [page.index(f'id="ksb-{code}"') for code in ("K1", "K2", "B1", "S1")]
    assert order == sorted(order)


def test_the_progress_page_shows_the_portfolio_section(ps):
    add_text(ps, "K1")
    add_text(ps, "S1")
    page = _get(ps.apprentice, "progress", ps.enrolment.pk)
    assert "0 of 4 KSBs covered" in page
    assert "2 items awaiting sign-off" in page
    assert reverse("apprenticeships:ksb_coverage", args=[ps.enrolment.pk]) in page
    assert reverse("apprenticeships:evidence_add", args=[ps.enrolment.pk]) in page
