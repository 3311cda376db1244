"""The reference data loaded after migrate (reference.py): the standards of the 2021 list and the
default funding rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from joinedup.apprenticeships.models import FundingRule, FundingRuleKind, Standard

pytestmark = pytest.mark.django_db


def test_every_standard_of_the_2021_list_is_loaded_with_what_the_key_file_checked():
    assert Standard.objects.count() == 728
    senior = Standard.objects.get(reference_code="ST0480")
    assert senior.title == "Senior leader (degree)"
    assert senior.level == 7
    assert senior.funding_band == Decimal(14000)
    assert "feweek.co.uk" in senior.source
    unchecked = Standard.objects.get(reference_code="ST0000")
    assert unchecked.level is None and unchecked.funding_band is None


def test_the_default_funding_rules_are_rows_with_the_dates_the_issue_gives():
    starts = {
        kind: list(FundingRule.objects.filter(kind=kind).values_list("applies_from", flat=True))
        for kind in FundingRuleKind.values
    }
    assert starts[FundingRuleKind.OFF_THE_JOB] == [
        dt.date(2017, 5, 1),
        dt.date(2022, 8, 1),
        dt.date(2025, 8, 1),
    ]
    assert starts[FundingRuleKind.MINIMUM_DURATION] == [dt.date(2017, 5, 1), dt.date(2025, 8, 1)]
    level_7 = FundingRule.objects.get(kind=FundingRuleKind.LEVEL_7)
    assert (level_7.applies_from, level_7.age_limit, level_7.protected_age_limit) == (
        dt.date(2026, 1, 1),
        22,
        25,
    )


def test_the_front_page_answers_a_signed_in_person(client):
    from joinedup.partnership.tests.factories import EmploymentFactory

    employment = EmploymentFactory()
    client.force_login(employment.person)
    response = client.get("/apprenticeships/")
    assert response.status_code == 200
    assert "Apprenticeships" in response.content.decode()
