"""The accreditation pages: the programme's trainers, accrediting (errors name the field), the
cascade tree and table, my accreditations, withdrawing, and junk never a server error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.learning.models import Outcome
from joinedup.materials.models import Accreditation, Licence
from joinedup.materials.tests.factories import MaterialFactory

from .accreditation_helpers import (
    TODAY,
    accreditation,
    accredited_programme,
    delivered_run,
    learners,
)


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def accredit_post(email: str, **extra) -> dict:
    return {
        "person": email,
        **date_fields("accredited_on", TODAY),
        **date_fields("expires_on", TODAY + dt.timedelta(days=730)),
        "evidence_url": "https://learning.example.test/certificate",
        **extra,
    }


def test_hosts_ld_lead_accredits_a_partners_staff_member_from_the_form(world, client_for):
    programme = accredited_programme(world.own)
    client = client_for("own_ld_lead")
    url = reverse("materials:accredit", args=[programme.pk])
    assert "first-generation trainer" in client.get(url).content.decode()
    response = client.post(url, accredit_post("pat.staff@lnwh.test"))
    assert response.status_code == 302
    given = Accreditation.objects.get()
    assert given.person == world.partner_staff
    assert given.trained_by is None
    page = client.get(reverse("materials:programme-accreditations", args=[programme.pk]))
    assert "Pat Staff" in page.content.decode()


def test_evidence_can_be_a_material_linked_to_the_programme(world, client_for):
    programme = accredited_programme(world.own)
    guide = MaterialFactory(owner=world.partner, licence=Licence.PARTNERSHIP)
    guide.programmes.add(programme)
    client = client_for("own_ld_lead")
    url = reverse("materials:accredit", args=[programme.pk])
    post = accredit_post("pat.staff@lnwh.test", evidence_url="", evidence_material=guide.pk)
    assert client.post(url, post).status_code == 302
    assert Accreditation.objects.get().evidence_material == guide


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"person": "nobody@nowhere.test"}, "person", "No one on the staff"),
        ({"person": "oscar.outsider@manchester.test"}, "person", "No one on the staff"),
        ({"person": "lee.learning@barnet.test"}, "person", "You cannot accredit yourself"),
        (date_fields("expires_on", TODAY), "expires_on", "must be after the accreditation"),
        ({"evidence_url": ""}, "evidence_url", "Choose a material or give a link"),
        ({"evidence_url": "ftp://x"}, "evidence_url", "Enter a link that starts with https://"),
        ({"accredited_on_day": "31", "accredited_on_month": "2"}, "accredited_on", "real date"),
        ({"evidence_material": "999999"}, "evidence_material", "Choose a material from the list"),
    ],
)
def test_the_form_names_the_field_at_fault(world, client_for, change, field, message):
    programme = accredited_programme(world.own)
    response = client_for("own_ld_lead").post(
        reverse("materials:accredit", args=[programme.pk]),
        accredit_post("pat.staff@lnwh.test", **change),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert f'href="#id_{field}' in response.content.decode()
    assert Accreditation.objects.count() == 0


def test_a_programme_not_marked_says_so_and_refuses(world, client_for):
    programme = accredited_programme(world.own)
    programme.delivered_by_accredited_trainers = False
    programme.save()
    client = client_for("own_ld_lead")
    url = reverse("materials:accredit", args=[programme.pk])
    assert "not marked as delivered by accredited trainers" in client.get(url).content.decode()
    response = client.post(url, accredit_post("pat.staff@lnwh.test"))
    assert "not delivered by accredited trainers" in response.content.decode()
    assert Accreditation.objects.count() == 0


def test_junk_is_answered_with_the_form_never_a_server_error(world, client_for):
    programme = accredited_programme(world.own)
    client = client_for("own_ld_lead")
    url = reverse("materials:accredit", args=[programme.pk])
    fields = ["person", "accredited_on_day", "accredited_on_year", "expires_on_month",
              "evidence_url", "evidence_material"]  # fmt: skip
    for field in fields:
        for value in ["\x00", "x" * 10_000, "-1", "9" * 40, ["1", "2"], "💥 \u202e"]:
            response = client.post(url, {**accredit_post("pat.staff@lnwh.test"), field: value})
            assert response.status_code in (200, 302), (field, value)
    withdraw = accreditation(world.partner_staff, programme, by=world.own_ld_lead)
    url = reverse("materials:accreditation-withdraw", args=[withdraw.pk])
    for value in ["\x00", "x" * 10_000, ""]:
        assert client.post(url, {"reason": value}).status_code == 200


def test_an_accredited_trainer_accredits_the_next_generation(world, client_for):
    programme = accredited_programme(world.own)
    mine = accreditation(world.partner_staff, programme, by=world.own_ld_lead)
    client = client_for("partner_staff")
    url = reverse("materials:accredit", args=[programme.pk])
    assert "under your own accreditation" in client.get(url).content.decode()
    assert client.post(url, accredit_post("lena.manager@barnet.test")).status_code == 302
    assert Accreditation.objects.get(person=world.own_line_manager).trained_by == mine


def test_cascade_page_shows_the_nested_tree_and_the_table_with_counts(world, client_for):
    programme = accredited_programme(world.own)
    top = accreditation(world.own_line_manager, programme, by=world.own_ld_lead)
    accreditation(world.partner_staff, programme, by=world.own_line_manager, trained_by=top)
    people = learners(world.own, "page", 2)
    delivered_run(
        programme, world.own_line_manager, TODAY, [(p, Outcome.COMPLETED) for p in people]
    )
    delivered_run(programme, world.partner_staff, TODAY, [(people[0], Outcome.NOT_COMPLETED)])
    response = client_for("partner_ld_lead").get(
        reverse("materials:accreditation-cascade", args=[programme.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 accreditations reached 3 learners" in page
    assert "2 learners directly, 3 in this branch through 1 further trainer" in page
    assert 'id="cascade-table"' in page
    assert page.index("Lena Manager") < page.index("Pat Staff")


def test_cascade_page_asks_a_fixed_number_of_queries(world, client_for):
    programme = accredited_programme(world.own)
    client = client_for("own_ld_lead")
    url = reverse("materials:accreditation-cascade", args=[programme.pk])
    client.get(url)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    top = accreditation(world.own_line_manager, programme, by=world.own_ld_lead)
    delivered_run(programme, world.own_line_manager, TODAY, [(world.own_staff, Outcome.COMPLETED)])
    few = count()
    for i, person in enumerate(learners(world.partner, "trainer", 5)):
        accreditation(person, programme, by=world.own_line_manager, trained_by=top)
        delivered_run(
            programme,
            person,
            TODAY,
            [(p, Outcome.COMPLETED) for p in learners(world.own, f"l{i}x", 2)],
        )
    assert count() == few


def test_plain_staff_do_not_see_a_programmes_trainers(world, client_for):
    programme = accredited_programme(world.own)
    response = client_for("own_staff").get(
        reverse("materials:programme-accreditations", args=[programme.pk])
    )
    assert response.status_code == 403


def test_my_accreditations_show_expiry_status_and_learners(world, client_for):
    programme = accredited_programme(world.own)
    held = accreditation(
        world.own_staff, programme, by=world.own_ld_lead, expires=TODAY + dt.timedelta(days=30)
    )
    delivered_run(
        programme,
        world.own_staff,
        TODAY,
        [(p, Outcome.COMPLETED) for p in learners(world.own, "mine", 4)],
    )
    page = client_for("own_staff").get(reverse("materials:my-accreditations")).content.decode()
    assert "Motivational interviewing" in page
    assert held.expires_on.strftime("%-d %B %Y") in page
    assert "Current" in page
    assert ">4<" in page.replace(" ", "").replace("\n", "")


def test_my_accreditations_is_empty_for_someone_without_any(world, client_for):
    page = client_for("partner_admin").get(reverse("materials:my-accreditations"))
    assert "You hold no accreditations" in page.content.decode()


def test_hosts_ld_lead_withdraws_with_a_reason(world, client_for):
    programme = accredited_programme(world.own)
    held = accreditation(world.partner_staff, programme, by=world.own_admin)
    client = client_for("own_ld_lead")
    url = reverse("materials:accreditation-withdraw", args=[held.pk])
    response = client.post(url, {"reason": ""})
    assert "Enter why it is withdrawn" in response.content.decode()
    assert client.post(url, {"reason": "Left the trust"}).status_code == 302
    held.refresh_from_db()
    assert held.withdrawn_reason == "Left the trust"
    again = client.post(url, {"reason": "Again"})
    assert "already been withdrawn" in again.content.decode()


def test_host_marks_a_programme_delivered_by_accredited_trainers_on_its_form(world, client_for):
    programme = accredited_programme(world.own)
    programme.delivered_by_accredited_trainers = False
    programme.save()
    client = client_for("own_ld_lead")
    url = reverse("learning:programme-edit", args=[programme.pk])
    form = client.get(url).context["form"]
    assert "delivered_by_accredited_trainers" in form.fields
    post = {
        field: value
        for field, value in form.initial.items()
        if value is not None and field != "delivered_by_accredited_trainers"
    }
    post["delivered_by_accredited_trainers"] = "on"
    post["approval_required"] = ""
    response = client.post(url, post)
    assert response.status_code == 302, response.context["form"].errors
    programme.refresh_from_db()
    assert programme.delivered_by_accredited_trainers
    page = client.get(reverse("learning:programme", args=[programme.pk])).content.decode()
    assert reverse("materials:programme-accreditations", args=[programme.pk]) in page
