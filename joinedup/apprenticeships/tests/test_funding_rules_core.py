"""The pure funding rules (`funding.py`) on worked examples either side of each effective date,
fed the default rule rows of the issue (as `reference.py` loads them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from joinedup.apprenticeships import funding, reference
from joinedup.apprenticeships.funding import Eligibility, RuleError

D = dt.date
DEFAULTS = reference.DEFAULT_FUNDING_RULES

OFF_THE_JOB = [
    funding.OffTheJobRule(
        applies_from=row["applies_from"],
        method=row["method"],
        percent=row.get("percent"),
        weekly_hours_cap=row.get("weekly_hours_cap"),
    )
    for row in DEFAULTS
    if row["kind"] == "off_the_job"
]
DURATION = [
    funding.DurationRule(applies_from=row["applies_from"], months=row["months"])
    for row in DEFAULTS
    if row["kind"] == "minimum_duration"
]
LEVEL_7 = [
    funding.Level7Rule(
        applies_from=row["applies_from"],
        level=row["level"],
        age_limit=row["age_limit"],
        protected_age_limit=row["protected_age_limit"],
    )
    for row in DEFAULTS
    if row["kind"] == "level_7"
]

BAND = Decimal(14000)  # ST0480, Senior leader (degree), Level 7
PRICE = Decimal(16000)
NEW_YEARS_EVE = D(2025, 12, 31)
NEW_YEARS_DAY = D(2026, 1, 1)
# Born on 1 June: the same age on both start dates.
AGED_21 = D(2004, 6, 1)
AGED_22 = D(2003, 6, 1)
AGED_24 = D(2001, 6, 1)


def senior_leader(
    start: dt.date,
    eligibility: Eligibility,
    *,
    levy: bool = True,
    transfer: bool = False,
    price: Decimal = PRICE,
    level: int = 7,
    rules: list[funding.Level7Rule] = LEVEL_7,
) -> funding.Decision:
    return funding.decide(
        level=level,
        start=start,
        eligibility=eligibility,
        level7_rules=rules,
        has_levy_account=levy,
        transfer=transfer,
        price=price,
        funding_band=BAND,
        government_share=Decimal("0.95"),
    )


# --- Age ------------------------------------------------------------------------------------------


def test_age_counts_whole_years_and_a_leap_day_birthday_falls_on_1_march():
    assert funding.age_on(D(2004, 1, 1), NEW_YEARS_EVE) == 21
    assert funding.age_on(D(2004, 1, 1), NEW_YEARS_DAY) == 22
    assert funding.age_on(D(2004, 2, 29), D(2026, 2, 28)) == 21
    assert funding.age_on(D(2004, 2, 29), D(2026, 3, 1)) == 22


# --- The Level 7 rule, ST0480 starting on 31 December 2025 and 1 January 2026 ---------------------


@pytest.mark.parametrize("born", [AGED_21, AGED_22, AGED_24])
@pytest.mark.parametrize("care_leaver", [False, True])
def test_on_31_december_2025_the_levy_pays_whatever_the_age(born, care_leaver):
    decision = senior_leader(NEW_YEARS_EVE, Eligibility(born, care_leaver=care_leaver))
    assert decision.route == "levy"
    assert decision.eligibility_reason == ""
    assert decision.employer_pays == Decimal("2000.00")
    assert decision.reason == (
        "Levy-funded: the employer's levy account pays for the apprenticeship, up to the "
        "standard's funding band of £14,000.00"
    )


@pytest.mark.parametrize(
    ("born", "care_leaver", "ehc_plan", "route", "facts"),
    [
        (AGED_21, False, False, "levy", "Aged 21 at the start on 1 January 2026, under 22"),
        (
            AGED_21,
            True,
            False,
            "levy",
            "Aged 21 at the start on 1 January 2026, a care leaver and under 25",
        ),
        (
            AGED_22,
            False,
            False,
            "private",
            "Aged 22 at the start on 1 January 2026, not under 22, and not a care leaver or "
            "holding an EHC plan",
        ),
        (
            AGED_22,
            True,
            False,
            "levy",
            "Aged 22 at the start on 1 January 2026, a care leaver and under 25",
        ),
        (
            AGED_24,
            False,
            False,
            "private",
            "Aged 24 at the start on 1 January 2026, not under 22, and not a care leaver or "
            "holding an EHC plan",
        ),
        (
            AGED_24,
            True,
            False,
            "levy",
            "Aged 24 at the start on 1 January 2026, a care leaver and under 25",
        ),
        (
            AGED_24,
            False,
            True,
            "levy",
            "Aged 24 at the start on 1 January 2026, holding an EHC plan and under 25",
        ),
        (
            AGED_22,
            True,
            True,
            "levy",
            "Aged 22 at the start on 1 January 2026, a care leaver and holding an EHC plan and "
            "under 25",
        ),
    ],
)
def test_from_1_january_2026_the_level_7_rule_decides_by_age_and_protection(
    born, care_leaver, ehc_plan, route, facts
):
    decision = senior_leader(
        NEW_YEARS_DAY, Eligibility(born, care_leaver=care_leaver, ehc_plan=ehc_plan)
    )
    assert decision.route == route
    assert decision.eligibility_reason == facts


def test_privately_funded_the_employer_pays_the_full_price_and_the_reason_names_no_facts():
    decision = senior_leader(NEW_YEARS_DAY, Eligibility(AGED_24))
    assert decision.route == "private"
    assert decision.reason == "Not eligible for levy funding under the Level 7 rule"
    assert "24" not in decision.reason and "care" not in decision.reason
    assert decision.employer_pays == Decimal("16000.00")
    assert decision.employer_pays_text == (
        "The employer pays the full agreed price of £16,000.00 to the provider"
    )


def test_a_care_leaver_aged_25_is_past_the_protected_limit():
    decision = senior_leader(NEW_YEARS_DAY, Eligibility(D(2000, 6, 1), care_leaver=True))
    assert decision.route == "private"
    assert decision.eligibility_reason == (
        "Aged 25 at the start on 1 January 2026, a care leaver but not under 25"
    )


def test_a_22nd_birthday_on_the_start_date_counts():
    assert senior_leader(NEW_YEARS_DAY, Eligibility(D(2004, 1, 1))).route == "private"
    assert senior_leader(NEW_YEARS_DAY, Eligibility(D(2004, 1, 2))).route == "levy"


def test_the_level_7_rule_leaves_other_levels_alone():
    decision = senior_leader(NEW_YEARS_DAY, Eligibility(D(1980, 1, 1)), level=6)
    assert (decision.route, decision.eligibility_reason) == ("levy", "")


def test_a_level_7_start_from_2026_needs_a_date_of_birth_but_not_before():
    with pytest.raises(RuleError, match="date of birth") as error:
        senior_leader(NEW_YEARS_DAY, Eligibility(None))
    assert error.value.field == "date_of_birth"
    assert senior_leader(NEW_YEARS_EVE, Eligibility(None)).route == "levy"


def test_the_latest_rule_on_or_before_the_start_applies():
    later = funding.Level7Rule(D(2027, 1, 1), level=7, age_limit=19, protected_age_limit=25)
    rules = [*LEVEL_7, later]
    aged_20 = Eligibility(D(2006, 6, 1))
    assert senior_leader(D(2026, 12, 31), aged_20, rules=rules).route == "levy"
    assert senior_leader(D(2027, 1, 1), aged_20, rules=rules).route == "private"


# --- Routes and what the employer pays ------------------------------------------------------------


def test_a_partners_transfer_is_chosen_over_the_levy_account():
    decision = senior_leader(NEW_YEARS_DAY, Eligibility(AGED_21), transfer=True)
    assert decision.route == "transfer"
    assert decision.reason.startswith("Transfer-funded: a partner's levy transfer pays")
    assert decision.employer_pays == Decimal("2000.00")


def test_within_the_band_the_levy_employer_pays_nothing_directly():
    decision = senior_leader(NEW_YEARS_DAY, Eligibility(AGED_21), price=Decimal(12000))
    assert decision.employer_pays == Decimal("0.00")
    assert "pays nothing directly" in decision.employer_pays_text


def test_co_funded_the_employer_pays_its_share_of_the_capped_price_and_the_excess():
    decision = senior_leader(NEW_YEARS_DAY, Eligibility(AGED_21), levy=False)
    assert decision.route == "co_funded"
    assert decision.employer_pays == Decimal("2700.00")  # 5% of £14,000 + £2,000 over the band
    assert "the government pays 95%" in decision.reason
    assert decision.employer_pays_text == (
        "The employer pays £700.00 (5% of £14,000.00) and the £2,000.00 of the price above the "
        "funding band of £14,000.00, £2,700.00 in all, to the provider"
    )
    cheaper = senior_leader(NEW_YEARS_DAY, Eligibility(AGED_21), levy=False, price=Decimal(9999))
    assert cheaper.employer_pays == Decimal("499.95")


def test_the_level_7_rule_also_stops_co_funding():
    assert senior_leader(NEW_YEARS_DAY, Eligibility(AGED_24), levy=False).route == "private"


def test_a_standard_without_a_band_cannot_be_levy_funded_but_can_be_private():
    with pytest.raises(RuleError, match="no funding band") as error:
        funding.decide(
            level=None,
            start=NEW_YEARS_DAY,
            eligibility=Eligibility(None),
            level7_rules=LEVEL_7,
            has_levy_account=True,
            transfer=False,
            price=PRICE,
            funding_band=None,
            government_share=Decimal("0.95"),
        )
    assert error.value.field == "standard"


# --- Off-the-job minimum --------------------------------------------------------------------------


def minimum(start, end, hours, standard_hours=None, prior=0) -> int:
    return funding.off_the_job_minimum(
        rules=OFF_THE_JOB,
        start=start,
        planned_end=end,
        hours_per_week=Decimal(hours),
        standard_hours=standard_hours,
        prior_learning_hours=prior,
    )


def test_before_august_2022_it_is_20_percent_of_every_contracted_hour():
    # 1 September 2021 to 31 August 2023: 730 days, 104 2/7 weeks.
    assert minimum(D(2021, 9, 1), D(2023, 8, 31), "37.5") == 783  # 7.5 h x 104.29 = 782.14
    assert minimum(D(2021, 9, 1), D(2023, 8, 31), "20") == 418  # 4 h x 104.29 = 417.14


def test_from_august_2022_at_most_30_hours_a_week_count():
    # 1 September 2022 to 31 August 2024: 731 days (a leap day), 104 3/7 weeks.
    assert minimum(D(2022, 9, 1), D(2024, 8, 31), "37.5") == 627  # 6 h x 104.43 = 626.57
    assert minimum(D(2022, 9, 1), D(2024, 8, 31), "20") == 418  # 4 h x 104.43 = 417.71


def test_either_side_of_1_august_2022():
    assert minimum(D(2022, 7, 31), D(2024, 7, 30), "37.5") == 784  # 7.5 h x 731/7
    assert minimum(D(2022, 8, 1), D(2024, 7, 31), "37.5") == 627  # 6 h x 731/7
    assert minimum(D(2022, 7, 31), D(2024, 7, 30), "20") == 418
    assert minimum(D(2022, 8, 1), D(2024, 7, 31), "20") == 418


def test_whole_weeks_give_whole_hours_without_rounding_up():
    assert minimum(D(2023, 1, 2), D(2023, 12, 31), "37.5") == 312  # 364 days: 52 weeks x 6 h


def test_from_august_2025_the_standards_published_hours_less_prior_learning():
    for hours in ("37.5", "20"):
        assert minimum(D(2025, 8, 1), D(2027, 7, 31), hours, standard_hours=400) == 400
        assert minimum(D(2025, 8, 1), D(2027, 7, 31), hours, standard_hours=400, prior=40) == 360
    # The day before, the share of hours still applies: 730 days.
    assert minimum(D(2025, 7, 31), D(2027, 7, 30), "37.5", standard_hours=400) == 626
    assert minimum(D(2025, 7, 31), D(2027, 7, 30), "20", standard_hours=400) == 418


def test_from_august_2025_a_standard_without_published_hours_is_a_plain_error():
    with pytest.raises(ValueError, match="no published minimum off-the-job hours") as error:
        minimum(D(2025, 8, 1), D(2027, 7, 31), "37.5")
    assert error.value.field == "standard"


@pytest.mark.parametrize(
    ("start", "end", "hours", "prior", "field"),
    [
        (D(2025, 8, 1), D(2025, 8, 1), "37.5", 0, "planned_end_on"),
        (D(2024, 8, 1), D(2025, 8, 1), "0", 0, "hours_per_week"),
        (D(2024, 8, 1), D(2025, 8, 1), "169", 0, "hours_per_week"),
        (D(2025, 8, 1), D(2026, 8, 1), "37.5", -1, "prior_learning_hours"),
        (D(2025, 8, 1), D(2026, 8, 1), "37.5", 401, "prior_learning_hours"),
        (D(2016, 1, 1), D(2017, 8, 1), "37.5", 0, "start_on"),
    ],
)
def test_bad_facts_name_their_field(start, end, hours, prior, field):
    with pytest.raises(RuleError) as error:
        minimum(start, end, hours, standard_hours=400, prior=prior)
    assert error.value.field == field


# --- Minimum duration -----------------------------------------------------------------------------


def test_minimum_duration_is_12_months_before_august_2025_and_8_from():
    assert funding.minimum_duration_months(rules=DURATION, start=D(2025, 7, 31)) == 12
    assert funding.minimum_duration_months(rules=DURATION, start=D(2025, 8, 1)) == 8


def test_earliest_planned_end_either_side_of_1_august_2025():
    assert funding.earliest_planned_end(rules=DURATION, start=D(2025, 7, 31)) == D(2026, 7, 30)
    assert funding.earliest_planned_end(rules=DURATION, start=D(2025, 8, 1)) == D(2026, 3, 31)
    assert funding.earliest_planned_end(rules=DURATION, start=D(2025, 9, 1)) == D(2026, 4, 30)
    # 31 August + 8 months has no 31 April: the last day of April.
    assert funding.earliest_planned_end(rules=DURATION, start=D(2025, 8, 31)) == D(2026, 4, 30)


def test_check_duration_refuses_a_plan_a_day_too_short_on_planned_end():
    funding.check_duration(rules=DURATION, start=D(2025, 7, 31), planned_end=D(2026, 7, 30))
    with pytest.raises(RuleError, match="at least 12 months") as error:
        funding.check_duration(rules=DURATION, start=D(2025, 7, 31), planned_end=D(2026, 7, 29))
    assert error.value.field == "planned_end_on"
    funding.check_duration(rules=DURATION, start=D(2025, 8, 1), planned_end=D(2026, 3, 31))
    with pytest.raises(RuleError, match="at least 8 months: plan it to end on 31 March 2026"):
        funding.check_duration(rules=DURATION, start=D(2025, 8, 1), planned_end=D(2026, 3, 30))
