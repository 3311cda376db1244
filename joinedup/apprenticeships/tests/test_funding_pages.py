"""The funding rules as loaded from the rows (`rules.py`), the rules page, adding a dated rule,
the funding check page (which stores nothing) and the funding API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.apprenticeships import funding, rules
from joinedup.apprenticeships.models import FundingRule, FundingRuleKind
from joinedup.apprenticeships.tests.factories import senior_leader
from joinedup.levy.models import LevyAccount
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.api_helpers import api_client, organisation_client

pytestmark = pytest.mark.django_db

D = dt.date
RULES = "/apprenticeships/funding/rules/"
NEW_RULE = "/apprenticeships/funding/rules/new/"
CHECK = "/apprenticeships/funding/check/"
API = "/api/v1/apprenticeships/funding"


def date_fields(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def check_form(**changes) -> dict[str, str]:
    """The check form for ST0480 starting 1 January 2026, aged 24, levy-paying employer."""
    facts = {
        "start_on": D(2026, 1, 1),
        "planned_end_on": D(2027, 12, 31),
        "date_of_birth": D(2001, 6, 1),
        "standard": str(senior_leader().pk),
        "price": "16000",
        "hours_per_week": "37.5",
        "prior_learning_hours": "",
        "paid_by": "levy",
    }
    facts.update(changes)
    data: dict[str, str] = {}
    for name, value in facts.items():
        if name in ("start_on", "planned_end_on", "date_of_birth"):
            data.update(date_fields(name, value))
        elif value is not None:
            data[name] = value
    return data


def check_body(**changes) -> dict:
    body = {
        "standard": senior_leader().pk,
        "start_on": "2026-01-01",
        "planned_end_on": "2027-12-31",
        "price": "16000",
        "hours_per_week": "37.5",
        "paid_by": "levy",
        "date_of_birth": "2001-06-01",
    }
    body.update(changes)
    return body


# --- rules.py -------------------------------------------------------------------------------------


def test_the_rows_load_into_the_pure_rules():
    assert [rule.applies_from for rule in rules.off_the_job_rules()] == [
        D(2017, 5, 1),
        D(2022, 8, 1),
        D(2025, 8, 1),
    ]
    assert rules.off_the_job_rules()[1].weekly_hours_cap == Decimal(30)
    assert [rule.months for rule in rules.duration_rules()] == [12, 8]
    assert rules.level7_rules() == [funding.Level7Rule(D(2026, 1, 1), 7, 22, 25)]


def test_decision_for_uses_the_employers_levy_account_and_names_a_wrong_one(world):
    own_account = LevyAccount.objects.create(organisation=world.own)
    partner_account = LevyAccount.objects.create(organisation=world.partner)
    aged_21 = funding.Eligibility(D(2004, 6, 1))
    levy = rules.decision_for(
        standard=senior_leader(),
        start=D(2026, 1, 1),
        eligibility=aged_21,
        employer=world.own,
        levy_account=own_account,
        transfer_from=None,
        price=Decimal(16000),
    )
    assert (levy.route, levy.employer_pays) == ("levy", Decimal("2000.00"))
    transfer = rules.decision_for(
        standard=senior_leader(),
        start=D(2026, 1, 1),
        eligibility=aged_21,
        employer=world.own,
        levy_account=None,
        transfer_from=partner_account,
        price=Decimal(16000),
    )
    assert transfer.route == "transfer"
    with pytest.raises(ValidationError) as error:
        rules.decision_for(
            standard=senior_leader(),
            start=D(2026, 1, 1),
            eligibility=aged_21,
            employer=world.own,
            levy_account=partner_account,
            transfer_from=None,
            price=Decimal(16000),
        )
    assert "levy_account" in error.value.message_dict


def test_co_funding_takes_the_government_share_in_force_at_the_start():
    def co_funded(start: dt.date) -> Decimal:
        return rules.decision(
            standard=senior_leader(),
            start=start,
            eligibility=funding.Eligibility(None),
            has_levy_account=False,
            transfer=False,
            price=Decimal(10000),
        ).employer_pays

    assert co_funded(D(2019, 3, 31)) == Decimal("1000.00")  # 90/10
    assert co_funded(D(2019, 4, 1)) == Decimal("500.00")  # 95/5


def test_the_django_helpers_raise_validation_errors_naming_the_field():
    standard = senior_leader()  # ST0480 has no published off-the-job hours
    with pytest.raises(ValidationError) as error:
        rules.required_off_the_job(
            standard=standard,
            start=D(2025, 8, 1),
            planned_end=D(2027, 7, 31),
            hours_per_week=Decimal("37.5"),
            prior_learning_hours=0,
        )
    assert "no published minimum" in error.value.message_dict["standard"][0]
    assert (
        rules.required_off_the_job(
            standard=standard,
            start=D(2025, 7, 31),
            planned_end=D(2027, 7, 30),
            hours_per_week=Decimal("20"),
            prior_learning_hours=0,
        )
        == 418
    )
    for bad, field in (
        ({"hours_per_week": Decimal(0)}, "hours_per_week"),
        ({"planned_end": D(2024, 1, 1)}, "planned_end_on"),
        ({"prior_learning_hours": -5}, "prior_learning_hours"),
    ):
        facts = {
            "standard": standard,
            "start": D(2025, 7, 31),
            "planned_end": D(2027, 7, 30),
            "hours_per_week": Decimal("37.5"),
            "prior_learning_hours": 0,
            **bad,
        }
        with pytest.raises(ValidationError) as error:
            rules.required_off_the_job(**facts)
        assert list(error.value.message_dict) == [field]
    with pytest.raises(ValidationError) as error:
        rules.check_duration(D(2025, 8, 1), D(2026, 3, 30))
    assert list(error.value.message_dict) == ["planned_end_on"]
    rules.check_duration(D(2025, 8, 1), D(2026, 3, 31))
    with pytest.raises(ValidationError) as error:
        rules.decision(
            standard=standard,
            start=D(2026, 1, 1),
            eligibility=funding.Eligibility(None),
            has_levy_account=True,
            transfer=False,
            price=Decimal(16000),
        )
    assert list(error.value.message_dict) == ["date_of_birth"]


def test_a_new_rule_applies_to_starts_from_its_date(world):
    rules.add_funding_rule(
        actor=world.actor("partnership_lead"),
        kind=FundingRuleKind.MINIMUM_DURATION,
        applies_from=D(2027, 1, 1),
        months=10,
    )
    assert rules.minimum_duration_months(D(2026, 12, 31)) == 8
    assert rules.minimum_duration_months(D(2027, 1, 1)) == 10


def test_only_partnership_and_levy_leads_add_rules(world):
    with pytest.raises(PermissionDenied):
        rules.add_funding_rule(
            actor=world.actor("own_ld_lead"),
            kind=FundingRuleKind.MINIMUM_DURATION,
            applies_from=D(2027, 1, 1),
            months=10,
        )
    from joinedup.partnership.models import PartnershipRole, PartnershipRoleGrant

    PartnershipRoleGrant.objects.create(
        person=world.own_levy_officer, partnership=world.partnership, role=PartnershipRole.LEVY_LEAD
    )
    rule = rules.add_funding_rule(
        actor=world.actor("own_levy_officer"),
        kind=FundingRuleKind.MINIMUM_DURATION,
        applies_from=D(2027, 1, 1),
        months=10,
    )
    assert rule.description == "At least 10 months"


# --- The rules page -------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_rules_in_words(client_for):
    response = client_for("outsider").get(RULES)
    page = response.content.decode()
    assert response.status_code == 200
    assert "20% of contracted hours, counting at most 30 hours a week" in page
    assert "1 August 2022" in page and "At least 8 months" in page
    assert "only for apprentices aged under 22 at the start, or under 25" in page
    assert NEW_RULE not in page


def test_the_partnership_lead_adds_a_rule_with_one_audit_entry(client_for):
    client = client_for("partnership_lead")
    assert NEW_RULE in client.get(RULES).content.decode()
    before = AuditEvent.objects.count()
    data = {
        "kind": "off_the_job",
        "method": "share_of_hours",
        "percent": "15",
        "weekly_hours_cap": "",
        **date_fields("applies_from", D(2027, 8, 1)),
    }
    response = client.post(NEW_RULE, data)
    assert response.status_code == 302
    rule = FundingRule.objects.get(kind="off_the_job", applies_from=D(2027, 8, 1))
    assert (rule.percent, rule.weekly_hours_cap) == (Decimal(15), None)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "apprenticeships.funding_rule.added"
    page = client.get(RULES).content.decode()
    assert "15% of contracted hours over the planned duration" in page


def test_adding_a_rule_refuses_bad_input_by_field(client_for):
    client = client_for("partnership_lead")
    empty = client.post(NEW_RULE, {}).content.decode()
    assert "Choose the kind of rule" in empty
    assert "Enter the applies to apprenticeships starting from" in empty
    no_share = client.post(
        NEW_RULE,
        {
            "kind": "off_the_job",
            "method": "share_of_hours",
            **date_fields("applies_from", D(2027, 8, 1)),
        },
    ).content.decode()
    assert "Enter a share of contracted hours from 0.01 to 100" in no_share
    taken = client.post(
        NEW_RULE,
        {"kind": "minimum_duration", "months": "9", **date_fields("applies_from", D(2025, 8, 1))},
    ).content.decode()
    assert "There is already a minimum duration rule for starts from 1 August 2025" in taken
    ages = client.post(
        NEW_RULE,
        {
            "kind": "level_7",
            "level": "7",
            "age_limit": "22",
            "protected_age_limit": "20",
            **date_fields("applies_from", D(2027, 1, 1)),
        },
    ).content.decode()
    assert "cannot be lower than the age limit" in ages
    assert FundingRule.objects.count() == 6


def test_others_may_not_add_rules(client_for):
    assert client_for("own_ld_lead").get(NEW_RULE).status_code == 403
    assert client_for("outsider").post(NEW_RULE, {}).status_code == 403


# --- The funding check page -----------------------------------------------------------------------


def test_the_check_shows_a_level_7_private_decision_with_its_reasons(client_for):
    response = client_for("own_ld_lead").post(CHECK, check_form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Privately funded" in page
    assert "Not eligible for levy funding under the Level 7 rule" in page
    assert "Aged 24 at the start on 1 January 2026, not under 22" in page
    assert "£16,000.00" in page
    assert "Not worked out: The standard has no published minimum off-the-job hours" in page
    assert "8 months: a planned end on 31 August 2026 or later" in page
    assert "no-store" in response["Cache-Control"]


def test_the_check_shows_a_levy_decision_and_the_off_the_job_minimum(client_for):
    data = check_form(
        start_on=D(2025, 7, 31),
        planned_end_on=D(2027, 7, 30),
        hours_per_week="20",
        date_of_birth=None,
    )
    page = client_for("own_staff").post(CHECK, data).content.decode()
    assert "Levy-funded" in page
    assert "The employer pays the £2,000.00 of the price above the funding band" in page
    assert "At least 418 hours" in page
    assert "12 months" in page


def test_the_check_names_each_bad_field(client_for):
    client = client_for("own_staff")
    short = client.post(CHECK, check_form(planned_end_on=D(2026, 6, 1))).content.decode()
    assert "must last at least 8 months: plan it to end on 31 August 2026 or later" in short
    no_birth = client.post(CHECK, check_form(date_of_birth=None)).content.decode()
    assert "Enter the apprentice&#x27;s date of birth" in no_birth
    assert 'href="#id_date_of_birth' in no_birth
    hours = client.post(CHECK, check_form(hours_per_week="0")).content.decode()
    assert "Contracted hours a week must be at least 0.01" in hours
    empty = client.post(CHECK, {}).content.decode()
    for message in (
        "Choose the apprenticeship standard",
        "Enter the start date",
        "Choose who pays",
    ):
        assert message in empty
    unknown = client.post(CHECK, check_form(standard="999999")).content.decode()
    assert "Choose a standard from the list" in unknown


def test_the_check_stores_and_changes_nothing(client_for):
    client = client_for("own_ld_lead")
    client.get(CHECK)
    before = (AuditEvent.objects.count(), FundingRule.objects.count())
    with CaptureQueriesContext(connection) as captured:
        response = client.post(CHECK, check_form())
    assert response.status_code == 200
    writes = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert (AuditEvent.objects.count(), FundingRule.objects.count()) == before


def test_the_home_page_links_to_the_funding_pages(client_for):
    page = client_for("own_staff").get("/apprenticeships/").content.decode()
    assert RULES in page and CHECK in page


# --- The API --------------------------------------------------------------------------------------


def test_the_api_lists_the_rules_to_any_caller(world):
    response = organisation_client(world, "own_admin").get(f"{API}/rules?limit=4")
    assert response.status_code == 200
    body = response.json()
    assert [item["kind"] for item in body["items"]] == [
        "level_7",
        "minimum_duration",
        "minimum_duration",
        "off_the_job",
    ]
    assert body["items"][0]["age_limit"] == 22
    assert body["items"][1]["value"] == "At least 12 months"
    following = organisation_client(world, "own_admin").get(
        f"{API}/rules?limit=4&cursor={body['next']}"
    )
    assert len(following.json()["items"]) == 2
    assert api_client(world, "anonymous").get(f"{API}/rules").status_code == 401


def test_the_api_check_gives_the_decision(world):
    client = api_client(world, "own_ld_lead")
    response = client.post(f"{API}/check", check_body(), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["route"] == "private"
    assert body["reason"] == "Not eligible for levy funding under the Level 7 rule"
    assert body["eligibility_reason"].startswith("Aged 24 at the start on 1 January 2026")
    assert Decimal(body["employer_pays"]) == Decimal(16000)
    assert body["off_the_job_hours"] is None
    assert "no published minimum" in body["off_the_job_note"]
    assert (body["minimum_duration_months"], body["earliest_planned_end"]) == (8, "2026-08-31")
    young = client.post(
        f"{API}/check", check_body(date_of_birth="2004-06-01"), content_type="application/json"
    ).json()
    assert (young["route"], Decimal(young["employer_pays"])) == ("levy", Decimal(2000))


def test_the_api_check_names_bad_fields(world):
    client = organisation_client(world, "own_admin")

    def detail(**changes) -> str:
        response = client.post(
            f"{API}/check", check_body(**changes), content_type="application/json"
        )
        assert response.status_code == 422
        return response.json()["detail"]

    assert detail(planned_end_on="2026-06-01").startswith("planned_end_on (body): ")
    assert detail(date_of_birth=None).startswith("date_of_birth (body): Enter the apprentice's")
    assert "hours_per_week" in detail(hours_per_week="0")
    assert "paid_by" in detail(paid_by="someone")
    assert detail(standard=999999) == "standard (body): No such standard"
    assert detail(standard="ST9999") == "standard (body): No such standard"


def test_the_api_check_takes_a_standard_by_its_code(world):
    response = api_client(world, "own_staff").post(
        f"{API}/check", check_body(standard="st0480"), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["route"] == "private"
