"""The demo's pooled levy, loaded by `joinedup demo` through the app demo hook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.test import override_settings
from django.utils import timezone

from joinedup.levy import declarations, optimising, queries
from joinedup.levy.demo_data import BANK_SCHEME, CHARITY, TRUST, declarations_csv, load
from joinedup.levy.models import EntryKind, LevyAccount, Need
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import Organisation, Partnership, Person

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EXAMPLE = Path(__file__).resolve().parents[3] / "docs/examples/levy-declarations-2025-26.csv"


def trust_account() -> LevyAccount:
    return LevyAccount.objects.get(organisation__official_code=TRUST)


def login(demo, persona: str) -> Person:
    email = next(login.email for login in demo.logins if login.persona == persona)
    return Person.objects.get(email=email)


def test_the_demo_opens_accounts_for_payers_and_charities_with_needs(demo, db):
    assert demo.created["levy accounts"] == 4
    assert demo.created["levy declarations"] == 60
    assert demo.created["levy commitments"] == 82
    assert demo.created["levy needs"] == 3
    assert not LevyAccount.objects.get(organisation__name=CHARITY).organisation.is_levy_payer
    need = Need.objects.get(organisation__name=CHARITY)
    assert (need.standard_code, need.standard_title, need.level) == (
        "ST0005",
        "Adult care worker",
        2,
    )


def test_the_trusts_funds_landed_last_spring_are_forecast_to_expire_next_spring(demo, db):
    today = timezone.localdate()
    forecast = queries.forecast(trust_account(), today)
    spring = {
        f"{row.month:%Y-%m}": row.expiring
        for row in forecast.months
        if row.month.year == 2027 and 3 <= row.month.month <= 5
    }
    assert all(amount > 0 for amount in spring.values()), spring
    assert forecast.next_expiry.month == dt.date(2027, 3, 1)
    assert forecast.next_expiry.landed == (dt.date(2025, 3, 1),)


def test_the_trust_has_paid_providers_lost_nothing_yet_and_has_an_allowance(demo, db):
    account = trust_account()
    kinds = set(account.entries.values_list("kind", flat=True))
    assert {EntryKind.FUNDS_IN, EntryKind.TOP_UP, EntryKind.PAYMENT} <= kinds
    assert not account.entries.filter(kind=EntryKind.EXPIRY, amount__lt=0).exists()
    summary = queries.account_summary(account, timezone.localdate())
    assert summary.balance == sum(account.entries.values_list("amount", flat=True))
    assert summary.remaining_allowance > Decimal(100_000)


def test_the_partnership_leads_run_covers_the_charitys_need_from_the_trust(demo, db):
    lead = login(demo, "Partnership lead")
    actor = Actor(person=lead, organisation=Organisation.objects.get(official_code="Z9B2Z"))
    run = optimising.run_optimiser(
        actor=actor, partnership=Partnership.objects.get(name="West and North London")
    )
    covering = run.recommendations.get(need__organisation__name=CHARITY)
    assert covering.sender == trust_account()
    assert covering.expiry_avoided > 0
    assert run.expiry_avoided > run.greedy_expiry_avoided - Decimal("0.01")


def test_the_example_file_is_the_bank_payrolls_year_and_imports_into_the_demo(demo, db):
    assert EXAMPLE.read_text(encoding="utf-8") == declarations_csv(BANK_SCHEME, "25-26")
    check = declarations.check_import(
        account=trust_account(), file_name=EXAMPLE.name, data=EXAMPLE.read_bytes()
    )
    assert check.ok, check.problems
    assert len(check.new) == 12


def test_the_trusts_levy_officer_persona_signs_in_and_manages_the_account(demo, db, client):
    officer = login(demo, "Partner levy officer")
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        assert client.login(username=officer.email, password=DEMO_PASSWORD)
    response = client.get(f"/levy/accounts/{trust_account().pk}/setup/")
    assert response.status_code == 200


def test_loading_the_levy_demo_again_adds_nothing(demo, db):
    entries = trust_account().entries.count()
    assert load() == {}
    assert trust_account().entries.count() == entries
