"""The enrolment pages: enrolling from a cohort, the detail page's funding in plain words and its
eligibility facts only for those who may see them, the lists, and the status form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.apprenticeships.models import Enrolment, EnrolmentStatus, FundingRoute
from joinedup.apprenticeships.tests.factories import EnrolmentFactory
from joinedup.partnership.tests.factories import EmploymentFactory

from .enrolments_data import (  # noqa: F401 (fixtures)
    OLDER,
    activated,
    cohort_fixture,
    enrol,
    fakes_fixture,
    own_levy_fixture,
)

pytestmark = pytest.mark.django_db
DOB_SHOWN = "14 March 1990"


def _problems(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary__list")
    return text[start : start + 600] if start >= 0 else text[:600]


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_the_ld_lead_enrols_an_apprentice_from_the_cohort(world, client_for, cohort, fakes):
    client = client_for("own_ld_lead")
    url = reverse("apprenticeships:enrol", args=[cohort.pk])
    assert client.get(url).status_code == 200
    data = {
        "apprentice_email": "ari.apprentice@barnet.test",
        "practice_tutor": str(world.person("practice_tutor").pk),
        **_date("start_on", cohort.starts_on),
        **_date("planned_end_on", cohort.ends_on),
        "price": "14000",
        "hours_per_week": "37",
        **_date("date_of_birth", OLDER),
    }
    response = client.post(url, data)
    assert response.status_code == 302, _problems(response)
    made = Enrolment.objects.get()
    assert response["Location"] == reverse("apprenticeships:enrolment", args=[made.pk])
    assert made.funding_route == FundingRoute.PRIVATE
    page = client.get(response["Location"]).content.decode()
    assert made.funding_reason in page
    assert DOB_SHOWN in page


def test_the_enrol_form_names_the_field_of_a_refusal(world, client_for, cohort, fakes):
    client = client_for("own_ld_lead")
    url = reverse("apprenticeships:enrol", args=[cohort.pk])
    response = client.post(url, {"apprentice_email": "pat.staff@lnwh.test", "price": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Agreed price must be a number" in page
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("apprentice", True),
        ("own_ld_lead", True),
        ("programme_leader", True),
        ("practice_tutor", False),
        ("own_line_manager", False),
        ("own_levy_officer", False),
    ],
)
def test_the_date_of_birth_is_shown_only_to_those_who_may_see_it(
    world, client_for, cohort, own_levy, fakes, persona, shown
):
    made = enrol(world, cohort, born=OLDER, care_leaver=True)
    page = client_for(persona).get(reverse("apprenticeships:enrolment", args=[made.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert made.funding_reason in text
    assert (DOB_SHOWN in text) is shown
    assert (made.eligibility_reason in text) is shown
    assert ('id="eligibility"' in text) is shown


def test_the_outsider_and_other_staff_get_a_404(world, client_for, cohort, fakes):
    made = enrol(world, cohort)
    url = reverse("apprenticeships:enrolment", args=[made.pk])
    for persona in ("outsider", "own_staff", "partner_ld_lead", "partnership_lead"):
        assert client_for(persona).get(url).status_code == 404


def test_the_status_form_refuses_anything_but_withdrawal_before_signing(
    world, client_for, cohort, fakes
):
    made = enrol(world, cohort)
    client = client_for("own_ld_lead")
    url = reverse("apprenticeships:enrolment_status", args=[made.pk])
    page = client.get(url).content.decode()
    assert 'value="withdrawn"' in page and 'value="on_break"' not in page
    response = client.post(
        url, {"status": "on_break", **_date("effective_on", dt.date(2026, 10, 1)), "reason": "x"}
    )
    assert response.status_code == 200
    assert "Choose a status from the list" in response.content.decode()
    response = client.post(
        url, {"status": "withdrawn", **_date("effective_on", dt.date(2026, 8, 1)), "reason": "Left"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == EnrolmentStatus.WITHDRAWN
    page = client.get(reverse("apprenticeships:enrolment", args=[made.pk])).content.decode()
    assert "Left" in page and "Withdrawn" in page


def test_a_break_through_the_page_is_recorded_in_the_history(world, client_for, cohort, fakes):
    made = activated(world, cohort)
    client = client_for("programme_leader")
    url = reverse("apprenticeships:enrolment_status", args=[made.pk])
    response = client.post(
        url,
        {"status": "on_break", **_date("effective_on", dt.date(2027, 1, 4)), "reason": "Illness"},
    )
    assert response.status_code == 302
    page = client.get(reverse("apprenticeships:enrolment", args=[made.pk])).content.decode()
    assert "Illness" in page and "On a break" in page


def test_the_employer_list_shows_the_acting_organisations_apprentices_only(
    world, client_for, cohort
):
    mine = EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    theirs = EnrolmentFactory(cohort=cohort, employment=world.employments["partner_staff"])
    page = client_for("own_levy_officer").get(reverse("apprenticeships:enrolments"))
    text = page.content.decode()
    assert mine.reference in text and theirs.reference not in text
    filtered = client_for("own_ld_lead").get(
        reverse("apprenticeships:enrolments"), {"status": "active"}
    )
    assert mine.reference not in filtered.content.decode()
    assert client_for("own_staff").get(reverse("apprenticeships:enrolments")).status_code == 403


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_lists_make_the_same_queries_for_few_and_many_enrolments(world, client_for, cohort):
    def add(count: int) -> None:
        for _ in range(count):
            job = EmploymentFactory(organisation=world.own)
            EnrolmentFactory(cohort=cohort, employment=job)

    add(2)
    urls = [
        ("own_ld_lead", reverse("apprenticeships:enrolments")),
        ("programme_leader", reverse("apprenticeships:provider_enrolments")),
    ]
    few = [_queries(client_for(persona), url) for persona, url in urls]
    add(60)
    many = [_queries(client_for(persona), url) for persona, url in urls]
    assert few == many
    page = client_for("own_ld_lead").get(urls[0][1]).content.decode()
    assert 'rel="next"' in page


def test_the_provider_list_has_every_employers_apprentices_on_its_programmes(
    world, client_for, cohort
):
    mine = EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    theirs = EnrolmentFactory(cohort=cohort, employment=world.employments["partner_staff"])
    client = client_for("programme_leader")
    text = client.get(reverse("apprenticeships:provider_enrolments")).content.decode()
    assert mine.reference in text and theirs.reference in text
    only_own = client.get(
        reverse("apprenticeships:provider_enrolments"), {"employer": world.own.pk}
    ).content.decode()
    assert mine.reference in only_own and theirs.reference not in only_own
    assert (
        client_for("own_ld_lead").get(reverse("apprenticeships:provider_enrolments")).status_code
        == 403
    )


def test_my_apprenticeship_lists_the_tutors_and_line_managers_apprentices(
    world, client_for, cohort
):
    made = EnrolmentFactory(
        cohort=cohort,
        employment=world.employments["apprentice"],
        line_manager=world.person("own_line_manager"),
        practice_tutor=world.person("practice_tutor"),
    )
    url = reverse("apprenticeships:my_apprenticeship")
    for persona in ("apprentice", "own_line_manager", "practice_tutor"):
        assert made.reference in client_for(persona).get(url).content.decode()
    assert made.reference not in client_for("own_staff").get(url).content.decode()


def test_the_front_page_links_to_the_lists_by_role(world, client_for):
    page = client_for("own_ld_lead").get(reverse("apprenticeships:home")).content.decode()
    assert reverse("apprenticeships:enrolments") in page
    leader = client_for("programme_leader").get(reverse("apprenticeships:home")).content.decode()
    assert reverse("apprenticeships:provider_enrolments") in leader


def test_the_off_the_job_terms_and_employer_forms_change_the_enrolment(
    world, client_for, cohort, fakes
):
    made = activated(world, cohort)
    client = client_for("own_ld_lead")
    for name in ("enrolment_off_the_job", "enrolment_terms", "enrolment_employer"):
        assert client.get(reverse(f"apprenticeships:{name}", args=[made.pk])).status_code == 200
    url = reverse("apprenticeships:enrolment_off_the_job", args=[made.pk])
    response = client.post(url, {"planned_hours": "350"})
    assert "must be at least 400" in response.content.decode()
    response = client.post(url, {"planned_hours": "450"})
    assert response.status_code == 302
    url = reverse("apprenticeships:enrolment_terms", args=[made.pk])
    response = client.post(
        url,
        {
            "price": "13000",
            **_date("planned_end_on", made.planned_end_on),
            "hours_per_week": "37",
            "practice_tutor": str(made.practice_tutor_id),
            "line_manager_email": "lena.manager@barnet.test",
            "reason": "Agreed discount",
        },
    )
    assert response.status_code == 302, _problems(response)
    EmploymentFactory(
        person=made.apprentice, organisation=world.partner, work_email="ari@lnwh.test"
    )
    url = reverse("apprenticeships:enrolment_employer", args=[made.pk])
    response = client.post(
        url,
        {
            "new_employer": str(world.partner.pk),
            "new_employer_email": "ari@lnwh.test",
            **_date("effective_on", dt.date(2027, 2, 1)),
            "reason": "Joined the trust",
        },
    )
    assert response.status_code == 302, _problems(response)
    made.refresh_from_db()
    assert made.employer == world.partner and made.planned_off_the_job_hours == 450
    page = client_for("programme_leader").get(reverse("apprenticeships:enrolment", args=[made.pk]))
    assert "Joined the trust" in page.content.decode()
