"""/api/v1/ tells anyone where the schema and its documentation are."""

from __future__ import annotations

from django.test import Client


def test_the_api_root_links_to_the_schema_and_the_docs(db):
    response = Client().get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "title": "Joined Up API",
        "openapi": "http://testserver/api/v1/openapi.json",
        "docs": "http://testserver/api/v1/docs",
    }
    assert Client().get(response.json()["openapi"]).status_code == 200


def test_the_api_root_only_reads(db):
    response = Client().post("/api/v1/")
    assert response.status_code == 405
    assert response.json()["detail"] == "POST is not allowed here; use GET"
