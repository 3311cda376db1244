"""Pennies summed in SQL back to pounds, and pounds written as people read them."""

from __future__ import annotations

from decimal import Decimal

from joinedup.lib.money import from_pennies, pounds


def test_pennies_become_exact_pounds_and_nothing_summed_is_zero():
    assert from_pennies(123456) == Decimal("1234.56")
    assert from_pennies(None) == Decimal("0")


def test_pounds_have_separators_and_pence_without_a_sign():
    assert pounds(Decimal("1234567.5")) == "£1,234,567.50"
    assert pounds(Decimal("-12")) == "£12.00"
