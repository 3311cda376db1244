"""Issue 4's "Done when", tried through the pages as new users would, with the real services.

Given a trust (the standing world's partner) and a charity in the partnership, on the demo's
today (30 November 2026): the trust's levy officer imports a year of declarations, sees funds due
to expire next spring, the partnership lead runs the optimiser, and the charity's apprenticeship
is covered by the recommended pledge the trust makes in one action; the charity applies, the
trust approves, the charity accepts and the transfer is committed. Then the published worked
examples' figures, where a page shows them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.levy import declarations, queries, services
from joinedup.levy.demo_data import BANK_SCHEME
from joinedup.levy.models import (
    ApplicationStatus,
    Commitment,
    Declaration,
    LevyAccount,
    Need,
    OptimiserRun,
    PledgeApplication,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Organisation,
    OrganisationKind,
    OrganisationRole,
    Person,
)
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PersonFactory,
)

DEMO_TODAY = dt.date(2026, 11, 30)
EXAMPLE = Path(__file__).resolve().parents[3] / "docs/examples/levy-declarations-2025-26.csv"
BACKEND = "joinedup.partnership.auth.EmailBackend"


@pytest.fixture
def demo_today(monkeypatch):
    """Every service and page reads today's date as the demo's: 30 November 2026."""
    real = timezone.localdate

    def pinned(value=None, timezone=None):
        return DEMO_TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    return DEMO_TODAY


def levy_officer(organisation: Organisation, email: str) -> Person:
    person = PersonFactory(email=email)
    EmploymentFactory(person=person, organisation=organisation, job_title="Levy officer")
    OrganisationRoleFactory(
        person=person, organisation=organisation, role=OrganisationRole.LEVY_OFFICER
    )
    return person


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person, backend=BACKEND)
    return client


def rows(html: str) -> list[list[str]]:
    """Every table row's cells as text, for reading figures off a page."""
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        found.append([re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells])
    return found


def row_for(html: str, first_cell: str) -> list[str]:
    return next(row for row in rows(html) if row and row[0] == first_cell)


@pytest.fixture
def charity(world):
    charity = OrganisationFactory(
        name="Canalside Carers Network", kind=OrganisationKind.VCSE, is_levy_payer=False
    )
    MembershipFactory(partnership=world.partnership, organisation=charity)
    return charity


def test_a_trusts_expiring_levy_pays_for_a_charitys_apprentices(
    world, charity, client_for, demo_today
):
    trust = world.partner
    trust_officer = signed_in(levy_officer(trust, "lyn.levy@lnwh.test"))
    charity_officer = signed_in(levy_officer(charity, "cal.levy@canalside.test"))
    lead = client_for("partnership_lead")
    account = services.open_account(actor=None, organisation=trust)
    need = Need.objects.create(
        partnership=world.partnership,
        organisation=charity,
        standard_code="ST0005",
        standard_title="Adult care worker",
        level=2,
        start_month=dt.date(2027, 2, 1),
        duration_months=12,
        apprentices=2,
        funding_band=Decimal(3000),
        priority=3,
        job_role="Care worker",
        location="Brent",
    )

    # The trust's levy officer adds the PAYE scheme and imports a year of declarations.
    response = trust_officer.post(
        reverse("levy:setup-scheme-add", args=[account.pk]),
        {"reference": BANK_SCHEME, "name": "Bank and locum staff payroll"},
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes(), content_type="text/csv")
    preview = trust_officer.post(reverse("levy:setup-import", args=[account.pk]), {"file": upload})
    assert preview.status_code == 200
    assert Declaration.objects.count() == 0  # checked and previewed, nothing written yet
    confirmed = trust_officer.post(
        reverse("levy:setup-import-confirm", args=[account.pk]),
        {"sha256": preview.context["check"].sha256},
        follow=True,
    )
    assert confirmed.status_code == 200
    assert "12 declarations imported" in confirmed.content.decode()
    assert Declaration.objects.filter(scheme__account=account).count() == 12

    # The statement shows each month's levy and top-up; the forecast shows next spring's expiry.
    statement = trust_officer.get(reverse("levy:account", args=[account.pk])).content.decode()
    may = row_for(statement, "May 2025")
    assert "£4,200.00" in may and "£420.00" in may and may[-1] == "£4,620.00"
    assert row_for(statement, "April 2026")[-1] == "£55,440.00"
    forecast = trust_officer.get(reverse("levy:account-forecast", args=[account.pk]))
    page = forecast.content.decode()
    spring = row_for(page, "May 2027")
    assert "£4,620.00" in spring and "May 2025" in " ".join(spring)
    assert forecast.context["next_expiry"].month == dt.date(2027, 5, 1)
    before = queries.forecast(account, demo_today).total

    # The partnership lead runs the optimiser: the trust's expiring funds cover the charity.
    ran = lead.post(reverse("levy:optimiser-run"))
    run = OptimiserRun.objects.get()
    assert ran["Location"] == reverse("levy:optimiser-result", args=[run.pk])
    result = lead.get(ran["Location"]).content.decode()
    assert "Canalside Carers Network" in result and "Adult care worker" in result
    recommendation = run.recommendations.get(need=need)
    assert recommendation.sender == account
    assert recommendation.amount == Decimal(6000)
    assert recommendation.expiry_avoided > 0

    # The trust's levy officer makes the recommendation a pledge in one action.
    page = trust_officer.get(reverse("levy:recommendation", args=[recommendation.pk]))
    assert page.context["may_pledge"]
    trust_officer.post(reverse("levy:recommendation-pledge", args=[recommendation.pk]))
    recommendation.refresh_from_db()
    pledge = recommendation.pledge
    assert pledge is not None and pledge.account == account and pledge.amount == Decimal(6000)
    assert queries.account_summary(account, demo_today).committed == Decimal(6000)

    # The charity applies for it, the trust approves, the charity accepts: a committed transfer.
    applied = charity_officer.post(
        reverse("levy:pledge-apply", args=[pledge.pk]),
        {
            "standard_title": "Adult care worker",
            "standard_code": "ST0005",
            "level": "2",
            "sector": charity.sector,
            "job_role": "Care worker",
            "location": "Brent",
            "apprentices": "2",
            "duration_months": "12",
            "funding_band": "3000",
            "start_month": "2027-02",
        },
    )
    application = PledgeApplication.objects.get()
    assert applied["Location"] == reverse("levy:pledge-application", args=[application.pk])
    assert application.match_score == 100
    assert application.first_year_cost == Decimal(6000)
    trust_officer.post(reverse("levy:pledge-application-approve", args=[application.pk]))
    charity_officer.post(reverse("levy:pledge-application-accept", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    funded = Commitment.objects.filter(account__organisation=charity, funded_by=account)
    assert funded.count() == 2
    after = queries.forecast(account, demo_today)
    assert after.committed["2027-02"] == Decimal(400)
    assert after.total == before - recommendation.expiry_avoided < before
    assert LevyAccount.objects.get(organisation=charity).applications.get() == application


def declare(account: LevyAccount, figures: list[tuple[int, str, dt.date]], year: str = "17-18"):
    """Enter declarations by hand through the service, in the order given."""
    scheme = account.schemes.first() or declarations.add_scheme(
        actor=Actor(person=None, organisation=account.organisation),
        account=account,
        reference="123/AB00001",
    )
    for month, ytd, submitted in figures:
        declarations.add_declaration(
            actor=Actor(person=None, organisation=account.organisation),
            scheme=scheme,
            payroll_year=year,
            payroll_month=month,
            levy_due_ytd=Decimal(ytd),
            submitted_on=submitted,
        )


def fifteenth_after(month: int) -> dt.date:
    """The 15th of the calendar month in which payroll month `month` of 2017-18 ends."""
    index = 2017 * 12 + 3 + month
    return dt.date(index // 12, index % 12 + 1, 15)


@pytest.fixture
def own_account(world):
    return services.open_account(actor=None, organisation=world.own)


def statement_page(client_for, account: LevyAccount) -> str:
    return client_for("own_levy_officer").get(reverse("levy:account", args=[account.pk])).content


def test_twelve_months_of_10000_show_as_11000_a_month_and_132000_on_the_statement(
    own_account, client_for
):
    declare(own_account, [(m, str(10000 * m), fifteenth_after(m)) for m in range(1, 13)])
    page = statement_page(client_for, own_account).decode()
    for month in range(1, 13):
        landed = fifteenth_after(month)
        cells = row_for(page, f"{landed:%B %Y}")
        assert cells[1:3] == ["£10,000.00", "£1,000.00"], cells
    assert row_for(page, "April 2018")[-1] == "£132,000.00"
    assert "£132,000.00" in page


def test_a_lower_year_to_date_figure_shows_as_negative_funds_in_on_the_statement(
    own_account, client_for
):
    declare(
        own_account,
        [(1, "10000", fifteenth_after(1)), (2, "20000", fifteenth_after(2)),
         (3, "18750", fifteenth_after(3))],
    )  # fmt: skip
    cells = row_for(statement_page(client_for, own_account).decode(), "July 2017")
    assert cells[1:3] == ["−£1,250.00", "−£125.00"], cells
    assert cells[-1] == "£20,625.00"


def test_the_last_of_three_submissions_before_the_cut_off_is_the_one_on_the_statement(
    own_account, client_for
):
    declare(
        own_account,
        [(1, "10000", fifteenth_after(1)), (2, "20000", fifteenth_after(2)),
         (3, "35000", dt.date(2017, 7, 15)), (3, "25000", dt.date(2017, 7, 16)),
         (3, "30000", dt.date(2017, 7, 17))],
    )  # fmt: skip
    cells = row_for(statement_page(client_for, own_account).decode(), "July 2017")
    assert cells[1:3] == ["£10,000.00", "£1,000.00"], cells
    assert cells[-1] == "£33,000.00"
