"""Amounts of money: whole pennies summed in SQL back to pounds, and pounds as people read them."""

from __future__ import annotations

from decimal import Decimal


def from_pennies(pennies: int | None) -> Decimal:
    """Whole pennies (summed exactly in SQL, even on SQLite) as pounds; nothing summed is zero."""
    return Decimal(pennies or 0).scaleb(-2)


def pounds(amount: Decimal) -> str:
    """An amount as pounds and pence with thousands separators, without its sign (the words
    around it say which way it goes)."""
    return f"£{abs(amount):,.2f}"
