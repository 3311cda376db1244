"""The system-translator measure on worked examples, and its properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.talent.translators import (
    SECTORS,
    THREE_MONTHS_DAYS,
    Prior,
    Spell,
    is_translator,
    measure,
    percent,
    share_of,
)

D = dt.date


def test_a_council_officer_seconded_to_a_trust_becomes_a_translator_on_the_91st_day():
    council = Spell("local_government", "org:1", D(2019, 4, 1))
    secondment = Spell("health", "org:2", D(2026, 1, 1), D(2026, 12, 31))
    # 1 January to 31 March is 90 days: not yet three months.
    assert not is_translator([council, secondment], [], D(2026, 3, 31))
    found = measure([council, secondment], [], D(2026, 4, 1))
    assert found.is_translator
    assert found.sectors == {"local_government", "health"}
    assert found.days_by_sector["health"] == THREE_MONTHS_DAYS


def test_a_secondment_that_has_not_started_counts_nothing():
    council = Spell("local_government", "org:1", D(2019, 4, 1))
    secondment = Spell("health", "org:2", D(2027, 1, 4))
    assert measure([council, secondment], [], D(2026, 12, 1)).sectors == {"local_government"}


def test_an_ended_spell_counts_only_to_its_end():
    spell = Spell("housing", "org:3", D(2020, 1, 1), D(2020, 3, 30))  # 90 days
    assert measure([spell], [], D(2030, 1, 1)).sectors == frozenset()
    longer = Spell("housing", "org:3", D(2020, 1, 1), D(2020, 3, 31))  # 91 days (leap year)
    assert measure([longer], [], D(2030, 1, 1)).sectors == {"housing"}


def test_overlapping_spells_in_one_sector_count_their_days_once():
    # 1 January to 1 March (60 days) and 1 February to 1 March (29): 89 if added, 60 as a union.
    overlapping = [
        Spell("health", "org:2", D(2025, 1, 1), D(2025, 3, 1)),
        Spell("health", "org:4", D(2025, 2, 1), D(2025, 3, 1)),
    ]
    assert measure(overlapping, [], D(2026, 1, 1)).days_by_sector["health"] == 60
    # Apart, 45 days and 46 days make 91.
    apart = [
        Spell("health", "org:2", D(2025, 1, 1), D(2025, 2, 14)),
        Spell("health", "org:4", D(2025, 6, 1), D(2025, 7, 16)),
    ]
    found = measure(apart, [], D(2026, 1, 1))
    assert found.sectors == {"health"}
    assert found.organisations == frozenset()  # neither organisation reached 91 days


def test_two_organisations_of_one_sector_make_no_translator():
    spells = [
        Spell("local_government", "org:1", D(2018, 1, 1), D(2020, 12, 31)),
        Spell("local_government", "org:5", D(2021, 1, 1)),
    ]
    found = measure(spells, [], D(2026, 1, 1))
    assert found.organisations == {"org:1", "org:5"}
    assert not found.is_translator


def test_prior_experience_counts_its_years_from_about_three_months():
    council = Spell("local_government", "org:1", D(2019, 4, 1))
    assert not is_translator([council], [Prior("private", Decimal("0.2"))], D(2026, 1, 1))
    found = measure([council], [Prior("private", Decimal("0.3"), "Acme  Ltd")], D(2026, 1, 1))
    assert found.sectors == {"local_government", "private"}
    assert found.organisations == {"org:1", "prior:acme ltd"}
    assert found.days_by_sector["private"] == Decimal("109.575")


def test_prior_experience_adds_to_a_sector_worked_in_since():
    spells = [Spell("health", "org:2", D(2026, 1, 1))]  # 31 days by 31 January
    prior = [Prior("health", Decimal("0.2"))]  # 73.05 days
    assert measure(spells, prior, D(2026, 1, 31)).sectors == {"health"}


def test_rotation_placements_are_spells_like_any_other():
    home = Spell("local_government", "org:1", D(2025, 9, 1))
    placement = Spell("blue_light", "org:6", D(2025, 9, 1), D(2026, 4, 30))
    assert is_translator([home, placement], [], D(2025, 12, 1))


def test_a_sector_outside_the_vocabulary_is_refused_by_name():
    with pytest.raises(ValueError, match="sector"):
        measure([Spell("retail", "org:9", D(2020, 1, 1))], [], D(2026, 1, 1))
    with pytest.raises(ValueError, match="sector"):
        measure([], [Prior("retail", Decimal(1))], D(2026, 1, 1))


def test_the_share_is_exact_with_its_denominator():
    council = Spell("local_government", "org:1", D(2019, 4, 1))
    trust = Spell("health", "org:2", D(2019, 4, 1))
    people = [measure([council, trust], [], D(2026, 1, 1))] + [
        measure([council], [], D(2026, 1, 1)) for _ in range(2)
    ]
    share = share_of(people)
    assert (share.translators, share.people) == (1, 3)
    assert share.share == Fraction(1, 3)
    assert share.percent == Decimal("33.3")
    assert share_of([]).share is None


def test_percentages_round_halves_up_to_one_place():
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25
    assert percent(2, 3) == Decimal("66.7")
    assert percent(0, 0) is None


# --- Properties ------------------------------------------------------------------------------

DAYS = st.dates(min_value=D(2015, 1, 1), max_value=D(2027, 12, 31))


@st.composite
def spells(draw):
    start = draw(DAYS)
    end = draw(st.none() | st.dates(min_value=start, max_value=D(2028, 12, 31)))
    return Spell(
        draw(st.sampled_from(SECTORS)), draw(st.sampled_from(["a", "b", "c", "d"])), start, end
    )


priors = st.builds(
    Prior,
    sector=st.sampled_from(SECTORS),
    years=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(60), places=1),
    organisation=st.sampled_from(["", "Acme", "acme "]),
)


@given(st.lists(spells(), max_size=6), st.lists(priors, max_size=3), spells(), DAYS)
def test_adding_a_spell_never_removes_a_sector_or_organisation(some, prior, extra, as_of):
    before = measure(some, prior, as_of)
    after = measure([*some, extra], prior, as_of)
    assert before.sectors <= after.sectors
    assert before.organisations <= after.organisations
    assert after.is_translator or not before.is_translator


@given(st.lists(spells(), max_size=6), st.lists(priors, max_size=3), DAYS, DAYS)
def test_a_later_date_never_removes_a_sector(some, prior, first, second):
    earlier, later = sorted([first, second])
    assert measure(some, prior, earlier).sectors <= measure(some, prior, later).sectors


@given(st.lists(spells(), max_size=6), DAYS)
def test_the_days_in_a_sector_never_exceed_the_days_since_its_first_spell(some, as_of):
    found = measure(some, [], as_of)
    for sector, days in found.days_by_sector.items():
        first = min(spell.start for spell in some if spell.sector == sector)
        assert 0 <= days <= max(0, (as_of - first).days + 1)
