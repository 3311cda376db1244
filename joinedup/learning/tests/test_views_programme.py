"""The programme page, as each persona sees it."""

from __future__ import annotations

from django.urls import reverse

from joinedup.learning.models import SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory


def _url(programme) -> str:
    return reverse("learning:programme", args=[programme.pk])


def test_own_staff_see_the_programme_and_its_upcoming_runs(world, client_for):
    programme = ProgrammeFactory(host=world.own, title="Safeguarding adults", audience="Carers")
    run = RunFactory(programme=programme)
    SessionFactory(run=run)
    response = client_for("own_staff").get(_url(programme))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safeguarding adults" in page
    assert "Carers" in page
    assert reverse("learning:run", args=[run.pk]) in page


def test_partner_staff_see_a_shared_programme_and_when_it_opens_to_them(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    SessionFactory(run=RunFactory(programme=programme))
    response = client_for("partner_staff").get(_url(programme))
    assert response.status_code == 200
    assert "Open to partners from" in response.content.decode()


def test_partner_staff_get_not_found_for_a_programme_kept_for_own_staff(world, client_for):
    programme = ProgrammeFactory(host=world.own, sharing_policy=SharingPolicy.OWN_ONLY)
    assert client_for("partner_staff").get(_url(programme)).status_code == 404


def test_an_outsider_gets_not_found(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    assert client_for("outsider").get(_url(programme)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    response = client_for("anonymous").get(_url(ProgrammeFactory(host=world.own)))
    assert response["Location"].startswith("/accounts/login/")


def test_a_programme_without_runs_says_so(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    assert 'id="no-runs"' in client_for("own_staff").get(_url(programme)).content.decode()
