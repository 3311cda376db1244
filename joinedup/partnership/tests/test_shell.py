from django.urls import reverse


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_footer_pages_are_public(client, db):
    for name in ("accessibility", "privacy", "cookies"):
        assert client.get(reverse(name)).status_code == 200


def test_home_shows_partnership_name_and_acting_organisation(client_for, world):
    response = client_for("own_admin").get("/")
    assert response.status_code == 200
    assert world.partnership.name in response.text
    assert "acting for" in response.text
    assert "Organisation admin" in response.text
