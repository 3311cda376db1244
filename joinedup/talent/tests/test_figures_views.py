"""The system-translator and leakage pages, their CSVs, and who may see them."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership.models import Destination, Organisation
from joinedup.partnership.tests.factories import EmploymentFactory, PersonFactory

from .figures_data import leave, second

TRANSLATORS = reverse("talent:figures-translators")
LEAKAGE = reverse("talent:figures-leakage")


def as_of(day: dt.date) -> dict:
    return {"as_of_day": day.day, "as_of_month": day.month, "as_of_year": day.year}


def test_the_partnership_lead_sees_the_translator_share_and_leakage_change(world, client_for):
    """Done when: after a council officer's secondment to the trust and a leaver to a partner,
    the partnership lead sees both figures change."""
    lead = client_for("partnership_lead")
    before = lead.get(TRANSLATORS)
    assert before.status_code == 200
    rows = before.context["rows"]
    assert [row.staff.translators for row in rows] == [0, 0, 0, 0]
    assert lead.get(LEAKAGE).context["total"].figures.leavers == 0

    # The council officer's secondment to the trust started four months ago.
    second(world, "own_staff", world.partner, started_days_ago=120)
    leave(world, "own_admin", Destination.PARTNER, to=world.partner)

    after = lead.get(TRANSLATORS)
    own = next(row for row in after.context["rows"] if row.label == world.own.name)
    assert (own.staff.translators, own.staff.people) == (1, 5)
    assert "20.0%" in after.content.decode()
    assert after.context["moves"][0].secondments == 1
    leakage = lead.get(LEAKAGE)
    assert leakage.context["total"].figures.counts["retained"] == 1
    assert leakage.context["total"].shares[0] == "100.0%"
    assert 'id="retained-share">100.0%' in leakage.content.decode()


def test_a_secondment_that_just_started_shows_at_a_date_three_months_on(world, client_for):
    second(world, "own_staff", world.partner, started_days_ago=0)
    lead = client_for("partnership_lead")
    today = timezone.localdate()
    assert lead.get(TRANSLATORS).context["rows"][-1].staff.translators == 0
    later = lead.get(TRANSLATORS, as_of(today + dt.timedelta(days=90)))
    assert later.context["rows"][-1].staff.translators == 1


def test_an_organisation_admin_and_ld_lead_see_only_their_own_organisation(world, client_for):
    for persona in ("own_admin", "own_ld_lead"):
        for url in (TRANSLATORS, LEAKAGE):
            response = client_for(persona).get(url)
            assert response.status_code == 200
            page = response.content.decode()
            assert world.own.name in page
            assert world.partner.name not in page


def test_staff_and_other_roles_are_refused(world, client_for):
    for persona in ("own_staff", "own_levy_officer", "partner_staff"):
        for url in (TRANSLATORS, LEAKAGE, f"{TRANSLATORS[:-1]}.csv"):
            assert client_for(persona).get(url).status_code == 403


def test_a_date_that_is_not_real_is_named_not_a_crash(client_for):
    lead = client_for("partnership_lead")
    response = lead.get(TRANSLATORS, {"as_of_day": "31", "as_of_month": "2", "as_of_year": "2026"})
    assert response.status_code == 200
    assert "As of must be a real date" in response.content.decode()
    too_late = lead.get(TRANSLATORS, as_of(dt.date(2099, 1, 1)))
    assert "‘As of’ must be between" in too_late.content.decode()
    period = lead.get(
        LEAKAGE,
        {
            "start_day": "1",
            "start_month": "6",
            "start_year": "2026",
            "end_day": "1",
            "end_month": "1",
            "end_year": "2026",
        },
    )
    assert "The ‘To’ date must be the same as or after the ‘From’ date" in period.content.decode()
    refused = lead.get(reverse("talent:figures-leakage-csv"), {"end_day": "x"})
    assert refused.status_code == 400
    assert refused.content.decode().startswith("end:")


def test_the_csvs_neutralise_formulae(world, client_for):
    world.partner.name = '=HYPERLINK("http://evil.test")'
    world.partner.save()
    lead = client_for("partnership_lead")
    response = lead.get(reverse("talent:figures-translators-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Figures", "Organisation", "Staff"]
    names = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.test")' in names
    assert not any(name.startswith("=") for name in names)

    leave(world, "partner_staff", Destination.PRIVATE)
    leakage = lead.get(reverse("talent:figures-leakage-csv"))
    rows = list(csv.reader(io.StringIO(leakage.content.decode("utf-8-sig"))))
    by_org = [row for row in rows if row[0] == "By organisation"]
    partner = next(row for row in by_org if "HYPERLINK" in row[1])
    assert partner[1].startswith("'=")
    assert partner[4] == "1"  # one leaver


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_ask_as_many_queries_with_more_staff(world, client_for):
    lead = client_for("partnership_lead")

    def add(number: int) -> None:
        person = PersonFactory()
        organisation = Organisation.objects.get(pk=world.partner.pk)
        EmploymentFactory(person=person, organisation=organisation, seniority=number % 9 + 1)
        second(world, "own_staff", world.icb, started_days_ago=number + 100)
        EmploymentFactory(
            person=person,
            organisation=world.own,
            start_date=dt.date(2020, 1, 1),
            end_date=timezone.localdate() - dt.timedelta(days=number + 1),
            destination=Destination.PARTNER,
            destination_organisation=organisation,
        )

    add(0)
    small = (_queries(lead, TRANSLATORS), _queries(lead, LEAKAGE))
    for number in range(1, 30):
        add(number)
    assert (_queries(lead, TRANSLATORS), _queries(lead, LEAKAGE)) == small


def test_the_talent_home_links_to_the_figures(client_for):
    page = client_for("partnership_lead").get(reverse("talent:home")).content.decode()
    assert TRANSLATORS in page and LEAKAGE in page


def test_a_partnership_analyst_sees_every_member_like_the_lead(world, client_for):
    from joinedup.partnership.models import PartnershipRole
    from joinedup.partnership.tests.factories import PartnershipRoleFactory

    PartnershipRoleFactory(
        person=world.person("own_staff"),
        partnership=world.partnership,
        role=PartnershipRole.PARTNERSHIP_ANALYST,
    )
    response = client_for("own_staff").get(TRANSLATORS)
    assert response.status_code == 200
    assert [row.label for row in response.context["rows"]][:3] == [
        world.own.name,
        world.partner.name,
        world.icb.name,
    ]
    assert client_for("own_staff").get(LEAKAGE).context["scope"].partnership_view


def test_the_months_kept_by_the_job_show_over_time(world, client_for):
    from joinedup.talent.figures import take_translator_snapshots

    take_translator_snapshots()
    response = client_for("own_admin").get(TRANSLATORS)
    months = response.context["over_time"]
    assert len(months) == 13 and months[-1].live
    assert len(response.context["over_time_rows"]) == 13  # one organisation, 13 months
