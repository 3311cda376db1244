"""Leakage buckets, their exact shares and moves between partner employers, on worked examples."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.talent.leakage import (
    BUCKETS,
    DESTINATIONS,
    LEFT_PUBLIC,
    OTHER_PUBLIC,
    RETAINED,
    RETIRED,
    UNKNOWN,
    Ending,
    Leaver,
    Starting,
    bucket_of,
    figures,
    figures_by,
    month_of,
    partner_moves,
)

D = dt.date


def leaver(destination: str, to_member: bool = False, **kwargs) -> Leaver:
    values = {"organisation": "Barnet", "band": "middle", "left_on": D(2026, 5, 31)} | kwargs
    return Leaver(destination=destination, to_member=to_member, **values)


@pytest.mark.parametrize(
    ("destination", "to_member", "sector", "bucket"),
    [
        ("partner", True, "health", RETAINED),
        # A named member charity is retained, whatever box was ticked.
        ("voluntary", True, "voluntary", RETAINED),
        ("voluntary", False, "", LEFT_PUBLIC),
        ("private", False, "", LEFT_PUBLIC),
        ("education", False, "", LEFT_PUBLIC),
        ("not_working", False, "", LEFT_PUBLIC),
        ("other_public", False, "", OTHER_PUBLIC),
        # "A partner" without a member named: a public body elsewhere, unless it is plainly not.
        ("partner", False, "", OTHER_PUBLIC),
        ("partner", False, "health", OTHER_PUBLIC),
        ("partner", False, "private", LEFT_PUBLIC),
        ("retired", False, "", RETIRED),
        ("unknown", False, "", UNKNOWN),
        ("", False, "", UNKNOWN),
    ],
)
def test_each_destination_goes_in_its_bucket(destination, to_member, sector, bucket):
    assert bucket_of(leaver(destination, to_member, destination_sector=sector)) == bucket


def test_a_destination_outside_the_vocabulary_is_refused_by_name():
    with pytest.raises(ValueError, match="destination"):
        bucket_of(leaver("abroad"))


def test_shares_are_exact_over_all_leavers_and_over_the_known():
    found = figures(
        [
            leaver("partner", True),
            leaver("partner", True),
            leaver("other_public"),
            leaver("private"),
            leaver("retired"),
            leaver(""),
        ]
    )
    assert found.counts == {
        RETAINED: 2,
        OTHER_PUBLIC: 1,
        LEFT_PUBLIC: 1,
        RETIRED: 1,
        UNKNOWN: 1,
    }
    assert (found.leavers, found.known) == (6, 4)
    assert found.share_of_all(RETAINED) == Fraction(1, 3)
    assert found.share_of_known(RETAINED) == Fraction(1, 2)
    assert found.share_of_all(UNKNOWN) == Fraction(1, 6)
    with pytest.raises(ValueError, match="bucket"):
        found.share_of_known(RETIRED)


def test_nobody_leaving_has_no_share_rather_than_zero():
    found = figures([])
    assert found.leavers == 0
    assert found.share_of_all(RETAINED) is None
    assert found.share_of_known(LEFT_PUBLIC) is None


def test_figures_by_organisation_band_and_month():
    leavers = [
        leaver("partner", True, organisation="Barnet", band="senior", left_on=D(2026, 4, 2)),
        leaver("private", organisation="Trust", band="entry", left_on=D(2026, 4, 30)),
        leaver("retired", organisation="Barnet", band="senior", left_on=D(2026, 6, 1)),
    ]
    by_org = figures_by(leavers, lambda one: one.organisation)
    assert list(by_org) == ["Barnet", "Trust"]
    assert by_org["Barnet"].counts[RETAINED] == 1 and by_org["Barnet"].counts[RETIRED] == 1
    by_band = figures_by(leavers, lambda one: one.band)
    assert by_band["senior"].leavers == 2
    by_month = figures_by(leavers, month_of)
    assert list(by_month) == [D(2026, 4, 1), D(2026, 6, 1)]
    assert by_month[D(2026, 4, 1)].counts[LEFT_PUBLIC] == 1


@given(
    st.lists(
        st.builds(
            leaver,
            destination=st.sampled_from([*DESTINATIONS, ""]),
            to_member=st.booleans(),
        ),
        max_size=30,
    )
)
def test_every_leaver_is_in_exactly_one_bucket(leavers):
    found = figures(leavers)
    assert set(found.counts) == set(BUCKETS)
    assert found.leavers == len(leavers)
    if found.leavers:
        assert sum(found.share_of_all(bucket) for bucket in BUCKETS) == 1


# --- Moves between partner employers ---------------------------------------------------------

PERIOD = (D(2026, 1, 1), D(2026, 12, 31))


def test_a_leaver_naming_a_partner_is_a_move():
    moves = partner_moves(
        [Ending("amy", "council", D(2026, 3, 31), destination_organisation="trust")], [], *PERIOD
    )
    assert [(m.person, m.source, m.destination, m.kind) for m in moves] == [
        ("amy", "council", "trust", "move")
    ]


def test_a_new_job_at_a_partner_within_31_days_of_leaving_is_a_move():
    endings = [Ending("bo", "council", D(2026, 3, 31)), Ending("cy", "council", D(2026, 3, 31))]
    startings = [
        Starting("bo", "trust", D(2026, 5, 1)),  # 31 days after: a move
        Starting("cy", "trust", D(2026, 5, 2)),  # 32 days after: not
    ]
    moves = partner_moves(endings, startings, *PERIOD)
    assert [(m.person, m.destination, m.on) for m in moves] == [("bo", "trust", D(2026, 5, 1))]


def test_a_new_job_at_the_same_employer_is_no_move_and_endings_outside_the_period_are_left():
    endings = [Ending("di", "council", D(2026, 3, 31)), Ending("ed", "council", D(2025, 12, 31))]
    startings = [Starting("di", "council", D(2026, 4, 1)), Starting("ed", "trust", D(2026, 1, 1))]
    assert partner_moves(endings, startings, *PERIOD) == []


def test_a_secondment_to_a_partner_while_holding_a_job_at_another_is_a_move_of_its_own_kind():
    startings = [
        Starting("fay", "trust", D(2026, 2, 1), secondment=True, held_at=frozenset({"council"})),
        # A secondment within the same employer, or with no job at a partner, is none.
        Starting("gus", "trust", D(2026, 2, 1), secondment=True, held_at=frozenset({"trust"})),
        Starting("hal", "trust", D(2026, 2, 1), secondment=True),
    ]
    moves = partner_moves([], startings, *PERIOD)
    assert [(m.person, m.source, m.destination, m.kind) for m in moves] == [
        ("fay", "council", "trust", "secondment")
    ]
