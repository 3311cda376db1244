"""The delivery request pages: asking (from the pool's link), the lists, a request with its
approval timeline and each step's button shown only to the right person, declining, withdrawing,
and no server error on junk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.materials import services
from joinedup.materials.models import DeliveryRequest, DeliveryStatus
from joinedup.materials.tests.delivery_helpers import lending

pytestmark = pytest.mark.django_db

CREATE = reverse("materials:delivery-request-create")


@pytest.fixture
def lend(world):
    return lending(world)


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def _form(lend, **given) -> dict:
    days = lend.days()
    return {
        "trainer": lend.trainer.pk,
        "programme": lend.programme.pk,
        "dates": "\n".join(f"{day.day}/{day.month}/{day.year}" for day in days),
        "starts_at": "09:30",
        "ends_at": "16:30",
        "places": "16",
        "venue": "Hendon Town Hall",
        "day_rate": "350",
        "message": "",
        **given,
    }


def test_the_pool_link_opens_the_form_naming_the_trainer_and_programme(lend, client_for):
    url = f"{CREATE}?trainer={lend.trainer.pk}&programme={lend.programme.pk}"
    response = client_for("own_ld_lead").get(url)
    assert response.status_code == 200
    assert "Tara Trainer" in response.text
    assert "Trauma-informed care" in response.text
    assert 'name="dates"' in response.text


def test_the_form_without_a_pooled_trainer_says_to_choose_one(lend, client_for):
    for query in ("", "?trainer=abc&programme=-1", f"?trainer={lend.manager.pk}&programme=1"):
        response = client_for("own_ld_lead").get(CREATE + query)
        assert response.status_code == 200
        assert 'id="choose-first"' in response.text


def test_only_an_ld_lead_opens_the_form(lend, client_for):
    assert client_for("own_staff").get(CREATE).status_code == 403
    assert client_for("own_admin").get(CREATE).status_code == 403


def test_asking_makes_the_request_and_shows_it(lend, client_for):
    response = client_for("own_ld_lead").post(CREATE, _form(lend))
    made = DeliveryRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("materials:delivery-request", args=[made.pk])
    assert made.status == DeliveryStatus.AWAITING_TRAINER
    assert [day.date for day in made.days.all()] == lend.days()


def test_a_line_that_is_not_a_date_is_named(lend, client_for):
    response = client_for("own_ld_lead").post(CREATE, _form(lend, dates="1/3/2099\nnext Tuesday"))
    assert response.status_code == 200
    assert "Line 2: enter a real date" in response.text
    assert not DeliveryRequest.objects.exists()


def test_unavailable_and_past_dates_are_shown_on_the_dates_field(lend, client_for):
    past = dt.date.today() - dt.timedelta(days=3)
    response = client_for("own_ld_lead").post(CREATE, _form(lend, dates=f"{past:%d/%m/%Y}"))
    assert response.status_code == 200
    assert "Dates must be in the future" in response.text
    far = dt.date.today() + dt.timedelta(days=500)
    response = client_for("own_ld_lead").post(CREATE, _form(lend, dates=f"{far:%d/%m/%Y}"))
    assert "has not said they are available" in response.text


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"trainer": "x", "programme": "99999999999999999999"},
        {"places": "-1", "starts_at": "25:99", "ends_at": "soon", "day_rate": "lots"},
        {"dates": "\x00", "venue": "v" * 500},
        {"dates": "31/2/2027"},
    ],
)
def test_junk_gets_the_form_again_not_a_server_error(lend, client_for, junk):
    data = {**_form(lend), **junk} if junk else {}
    response = client_for("own_ld_lead").post(CREATE, data)
    assert response.status_code == 200
    assert not DeliveryRequest.objects.exists()


def test_each_step_shows_its_button_only_to_the_right_person(lend):
    request = lend.ask()
    url = reverse("materials:delivery-request", args=[request.pk])
    people = {
        "trainer": lend.trainer,
        "manager": lend.manager,
        "lead": lend.world.partner_ld_lead,
        "requester": lend.world.own_ld_lead,
    }
    expected_turns = [
        ("trainer", lend.as_trainer),
        ("manager", lend.as_manager),
        ("lead", lend.as_lead),
    ]
    for whose_turn, actor in expected_turns:
        for who, person in people.items():
            page = _signed_in(person).get(url).text
            assert ('id="approve"' in page) == (who == whose_turn), (whose_turn, who)
            assert ('id="withdraw"' in page) == (who == "requester")
        services.approve_delivery(actor=actor, request=request)
    page = _signed_in(lend.world.own_ld_lead).get(url).text
    assert 'id="approve"' not in page and 'id="withdraw"' not in page
    assert 'id="run"' in page


def test_approving_out_of_turn_is_forbidden_and_in_turn_moves_on(lend):
    request = lend.ask()
    approve = reverse("materials:delivery-request-approve", args=[request.pk])
    assert _signed_in(lend.manager).post(approve).status_code == 403
    assert _signed_in(lend.world.own_ld_lead).post(approve).status_code == 403
    assert _signed_in(lend.trainer).get(approve).status_code == 405
    response = _signed_in(lend.trainer).post(approve)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DeliveryStatus.AWAITING_MANAGER


def test_others_do_not_see_a_request(lend, client_for):
    request = lend.ask()
    url = reverse("materials:delivery-request", args=[request.pk])
    for persona in ("own_staff", "partner_staff", "partnership_lead", "outsider"):
        assert client_for(persona).get(url).status_code == 404
    for persona in ("own_ld_lead", "own_admin", "partner_ld_lead", "partner_admin"):
        assert client_for(persona).get(url).status_code == 200


def test_declining_needs_a_reason_and_shows_it(lend):
    request = lend.ask()
    decline = reverse("materials:delivery-request-decline", args=[request.pk])
    client = _signed_in(lend.trainer)
    response = client.post(decline, {"reason": ""})
    assert response.status_code == 200
    assert "Give the reason for declining" in response.text
    response = client.post(decline, {"reason": "On leave"})
    assert response.status_code == 302
    page = _signed_in(lend.world.own_ld_lead).get(response["Location"]).text
    assert "On leave" in page


def test_withdrawing(lend, client_for):
    request = lend.ask()
    withdraw = reverse("materials:delivery-request-withdraw", args=[request.pk])
    assert _signed_in(lend.trainer).post(withdraw).status_code == 403
    assert client_for("own_ld_lead").post(withdraw).status_code == 302
    request.refresh_from_db()
    assert request.status == DeliveryStatus.WITHDRAWN
    assert client_for("own_ld_lead").post(withdraw).status_code == 403


def test_the_lists_show_what_waits_for_me_and_what_we_made(lend, client_for):
    request = lend.ask()
    lists = reverse("materials:delivery-requests")
    trainer_page = _signed_in(lend.trainer).get(lists).text
    assert 'id="waiting"' in trainer_page
    requester_page = client_for("own_ld_lead").get(lists).text
    assert 'id="made"' in requester_page and 'id="waiting-none"' in requester_page
    lead_page = client_for("partner_ld_lead").get(lists).text
    assert 'id="received"' in lead_page and 'id="waiting-none"' in lead_page
    assert reverse("materials:delivery-request", args=[request.pk]) in lead_page


def test_the_list_asks_as_many_queries_for_many_requests(lend, client_for):
    lend.ask()
    client = client_for("own_ld_lead")
    lists = reverse("materials:delivery-requests")
    with CaptureQueriesContext(connection) as one:
        client.get(lists)
    lend.ask(dates=lend.days(60, 61))
    lend.ask(dates=lend.days(90))
    with CaptureQueriesContext(connection) as three:
        client.get(lists)
    assert len(three) == len(one)


def test_the_approved_request_links_to_its_run_which_names_the_trainer(lend):
    request = lend.ask()
    for actor in (lend.as_trainer, lend.as_manager, lend.as_lead):
        services.approve_delivery(actor=actor, request=request)
    request.refresh_from_db()
    requester = _signed_in(lend.world.own_ld_lead)
    run_url = reverse("learning:run", args=[request.run_id])
    page = requester.get(reverse("materials:delivery-request", args=[request.pk])).text
    assert f'href="{run_url}"' in page
    run_page = requester.get(run_url).text
    trainer = f"{lend.trainer.given_name} {lend.trainer.family_name}"
    assert f'<dd class="govuk-summary-list__value" id="trainer">{trainer}</dd>' in run_page
