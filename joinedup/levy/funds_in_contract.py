"""`joinedup levy funds-in --input FILE`: funds in from declarations as a command-line contract.

Reads the input described in the levy issue, checks it by the common input rules of DESIGN.md, runs
`funds_in.funds_in` and prints `{"months": [...]}`. No Django.

Keys: `declarations` is required; `english_fraction` (an amount from 0 to 1, default 1) and
`top_up_rates` (default 10% from 2015-01-01, 0% from 2026-08-01) are optional and may be null,
which means the default. Every declaration key is required; `levy_due_ytd` may be null ("no payment
for period"). Top-up rates are never negative and no two start on the same date; an empty list
means no top-up at all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from joinedup.levy.funds_in import (
    DEFAULT_TOP_UP_RATES,
    Declaration,
    MonthFundsIn,
    TopUpRate,
    funds_in,
)
from joinedup.lib.contract_input import (
    ContractInputError,
    expect_amount,
    expect_count,
    expect_date,
    expect_id,
    expect_list,
    expect_object,
    expect_tax_year,
    expect_unique_ids,
    format_amount,
    run_json_contract,
)

USAGE = "joinedup levy funds-in --input FILE"

DECLARATION_KEYS = (
    "id",
    "scheme",
    "payroll_year",
    "payroll_month",
    "levy_due_ytd",
    "submitted_at",
)


def read_declaration(value: object, where: str) -> Declaration:
    """One declaration of the input."""
    data = expect_object(value, where, required=DECLARATION_KEYS)
    payroll_month = expect_count(data["payroll_month"], f"{where}.payroll_month")
    if not 1 <= payroll_month <= 12:
        raise ContractInputError(
            f"{where}.payroll_month: must be from 1 to 12 (got {payroll_month})"
        )
    figure = data["levy_due_ytd"]
    return Declaration(
        id=expect_id(data["id"], f"{where}.id"),
        scheme=expect_id(data["scheme"], f"{where}.scheme"),
        payroll_year=expect_tax_year(data["payroll_year"], f"{where}.payroll_year"),
        payroll_month=payroll_month,
        levy_due_ytd=None if figure is None else expect_amount(figure, f"{where}.levy_due_ytd"),
        submitted=expect_date(data["submitted_at"], f"{where}.submitted_at"),
    )


def read_english_fraction(value: object) -> Decimal:
    """The share of the pay bill in England: an amount from 0 to 1; null means 1."""
    if value is None:
        return Decimal(1)
    fraction = expect_amount(value, "english_fraction")
    if not 0 <= fraction <= 1:
        raise ContractInputError(f"english_fraction: must be from 0 to 1 (got {value})")
    return fraction


def read_top_up_rates(value: object) -> tuple[TopUpRate, ...]:
    """The dated top-up rates; null means the defaults."""
    if value is None:
        return DEFAULT_TOP_UP_RATES
    rates: list[TopUpRate] = []
    starts: set[dt.date] = set()
    for index, item in enumerate(expect_list(value, "top_up_rates")):
        where = f"top_up_rates[{index}]"
        data = expect_object(item, where, required=("from", "rate"))
        start = expect_date(data["from"], f"{where}.from")
        if start in starts:
            raise ContractInputError(f"{where}.from: {start.isoformat()} is repeated")
        starts.add(start)
        rate = expect_amount(data["rate"], f"{where}.rate")
        if rate < 0:
            raise ContractInputError(f"{where}.rate: must not be negative (got {data['rate']})")
        rates.append(TopUpRate(start, rate))
    return tuple(rates)


def compute(value: object) -> dict[str, object]:
    """Check the whole input, work out funds in, and shape the output."""
    data = expect_object(
        value, "input", required=("declarations",), optional=("english_fraction", "top_up_rates")
    )
    declarations = [
        read_declaration(item, f"declarations[{index}]")
        for index, item in enumerate(expect_list(data["declarations"], "declarations"))
    ]
    expect_unique_ids([declaration.id for declaration in declarations], "declarations")
    rows = funds_in(
        declarations,
        english_fraction=read_english_fraction(data.get("english_fraction")),
        top_up_rates=read_top_up_rates(data.get("top_up_rates")),
    )
    return output(rows)


def output(rows: list[MonthFundsIn]) -> dict[str, object]:
    """The contract's output object."""
    return {
        "months": [
            {
                "month": row.month,
                "levy": format_amount(row.levy),
                "top_up": format_amount(row.top_up),
                "total": format_amount(row.total),
                "balance": format_amount(row.balance),
            }
            for row in rows
        ]
    }


def main(argv: list[str]) -> int:
    """Run the contract on the arguments after `levy funds-in`; returns the exit status."""
    return run_json_contract(argv, usage=USAGE, compute=compute)
