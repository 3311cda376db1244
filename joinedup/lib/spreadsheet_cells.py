"""Making text safe to put in a cell of a CSV or spreadsheet that people open in Excel."""

from __future__ import annotations

from decimal import Decimal

# A cell starting with one of these can be run as a formula by a spreadsheet (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet might run it as a formula.

    Numbers stay numbers, so a finance system reads "-12.00" as minus twelve: a number written
    by Python cannot hold a formula, while text that merely looks like one can.
    """
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
