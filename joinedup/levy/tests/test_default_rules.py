"""The default levy rules are there after migrating and after a flush, and loading keeps edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from joinedup.levy import default_rules, rules
from joinedup.levy.models import Rule, RuleKind


@pytest.mark.django_db(transaction=True)
def test_a_flush_of_every_table_loads_the_default_rules_again():
    call_command("flush", interactive=False, verbosity=0)
    assert Rule.objects.count() == len(default_rules.DEFAULTS)
    assert rules.value_on(RuleKind.TOP_UP_RATE, dt.date(2026, 7, 31)) == Decimal("0.1")
    assert rules.value_on(RuleKind.TOP_UP_RATE, dt.date(2026, 8, 1)) == 0


@pytest.mark.django_db
def test_loading_again_adds_only_what_is_missing_and_keeps_an_admins_change():
    Rule.objects.filter(kind=RuleKind.PLEDGE_MINIMUM).update(value=Decimal("2500"))
    Rule.objects.create(
        kind=RuleKind.TOP_UP_RATE, starts_on=dt.date(2030, 4, 1), value=Decimal("0.05")
    )
    Rule.objects.filter(kind=RuleKind.LEVY_RATE).delete()
    default_rules.load()
    assert Rule.objects.get(kind=RuleKind.PLEDGE_MINIMUM).value == Decimal("2500")
    assert Rule.objects.filter(kind=RuleKind.TOP_UP_RATE).count() == 3
    assert Rule.objects.get(kind=RuleKind.LEVY_RATE).value == Decimal("0.005")
