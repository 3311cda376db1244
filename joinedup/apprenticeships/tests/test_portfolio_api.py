"""The portfolio API: the apprentice adds a link and a file (a refused file is a 422 naming it),
the tutor signs off, the coverage follows; others are refused."""

from __future__ import annotations

import pytest

from joinedup.apprenticeships.models import Evidence
from joinedup.partnership import services
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.api_helpers import API, bearer

from .portfolio_scene import add_text, build_portfolio_scene, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def ps():
    return build_portfolio_scene()


def client_of(actor: Actor):
    _, raw = services.create_personal_token(actor=actor, name="Tests")
    return bearer(raw)


def _url(ps, tail: str = "") -> str:
    return f"{API}/apprenticeships/enrolments/{ps.enrolment.pk}/evidence{tail}"


def test_the_apprentice_adds_a_link_the_tutor_signs_it_off_and_the_ksb_is_covered(ps):
    response = client_of(ps.apprentice).post(
        _url(ps),
        {
            "title": "Board paper",
            "kind": "link",
            "url": "https://example.org/paper",
            "ksbs": [ps.ksbs["K1"].pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert (item["state"], item["ksbs"][0]["code"]) == ("awaiting", "K1")
    response = client_of(ps.tutor).post(
        _url(ps, f"/{item['id']}/check"), {"decision": "sign_off"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    coverage = client_of(ps.employer).get(_url(ps, "/coverage")).json()
    assert (coverage["covered"], coverage["total"], coverage["complete"]) == (1, 4, False)
    assert coverage["ksbs"][0]["ksb"]["code"] == "K1" and coverage["ksbs"][0]["covered"]
    listed = client_of(ps.line_manager).get(_url(ps, "?state=accepted")).json()
    assert [row["id"] for row in listed["items"]] == [item["id"]]


def test_a_file_is_uploaded_as_multipart_and_a_refused_one_names_the_file(ps):
    client = client_of(ps.apprentice)
    response = client.post(
        _url(ps, "/file"), {"title": "Notes", "ksbs": [ps.ksbs["S1"].pk], "file": text_file()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["file"]["name"] == "notes.txt"
    response = client.post(
        _url(ps, "/file"),
        {"title": "Notes", "ksbs": [ps.ksbs["S1"].pk], "file": text_file("notes.png")},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("file (body): The selected file")
    assert Evidence.objects.count() == 1


def test_only_the_apprentice_adds_and_only_the_tutor_or_leader_checks(ps):
    item = add_text(ps, "K1")
    body = {"title": "x", "kind": "text", "text": "y", "ksbs": [ps.ksbs["K1"].pk]}
    response = client_of(ps.tutor).post(_url(ps), body, content_type="application/json")
    assert response.status_code == 403
    response = client_of(ps.apprentice).post(
        _url(ps, f"/{item.pk}/check"), {"decision": "sign_off"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client_of(ps.provider).post(
        _url(ps, f"/{item.pk}/check"),
        {"decision": "ask_for_more", "note": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("note (body):")
    assert client_of(ps.outsider).get(_url(ps)).status_code == 404
