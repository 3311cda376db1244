"""`joinedup levy expiry --input FILE`: the levy expiry calculation as a command-line contract.

Reads the input described in the levy issue, checks it by the common input rules of DESIGN.md, runs
`expiry.expiries` and prints `{"expiries": {...}}`, with `"short_term_expiries"` beside it when a
policy change is given. No Django.
"""

from __future__ import annotations

from decimal import Decimal

from joinedup.levy.expiry import Expiries, Month, PolicyChange, expiries
from joinedup.lib.contract_input import (
    ContractInputError,
    describe,
    expect_amount,
    expect_count,
    expect_month,
    expect_object,
    format_amount,
    quoted,
    run_json_contract,
)

USAGE = "joinedup levy expiry --input FILE"

# The latest month that `YYYY-MM` can write.
LAST_MONTH = Month(9999, 12)


def read_month(value: object, where: str) -> Month:
    """A month as YYYY-MM."""
    return Month.parse(expect_month(value, where))


def read_amounts(value: object, where: str) -> dict[Month, Decimal]:
    """An object from months to amounts."""
    if not isinstance(value, dict):
        raise ContractInputError(f"{where}: must be an object of months, not {describe(value)}")
    return {
        read_month(key, f"{where}: key {quoted(key)}"): expect_amount(
            amount, f"{where}[{quoted(key)}]"
        )
        for key, amount in value.items()
    }


def read_optional_amounts(value: object, where: str) -> dict[Month, Decimal]:
    """An object from months to amounts, or null (none)."""
    return {} if value is None else read_amounts(value, where)


def read_expiry_months(value: object, where: str) -> int:
    """A period in months: a JSON integer of at least 1."""
    months = expect_count(value, where, allow_negative=True)
    if months < 1:
        raise ContractInputError(f"{where}: must be at least 1 (got {months})")
    return months


def read_policy_change(value: object) -> PolicyChange | None:
    """The policy change, or null (none); its `already_expired` may be absent or null."""
    if value is None:
        return None
    data = expect_object(
        value, "policy_change", required=("from", "expiry_months"), optional=("already_expired",)
    )
    return PolicyChange(
        start=read_month(data["from"], "policy_change.from"),
        expiry_months=read_expiry_months(data["expiry_months"], "policy_change.expiry_months"),
        already_expired=read_optional_amounts(
            data.get("already_expired"), "policy_change.already_expired"
        ),
    )


def compute(value: object) -> dict[str, object]:
    """Check the whole input, work out the expiries, and shape the output."""
    data = expect_object(
        value,
        "input",
        required=("expiry_months", "funds_in", "funds_out"),
        optional=("already_expired", "policy_change", "as_of"),
    )
    expiry_months = read_expiry_months(data["expiry_months"], "expiry_months")
    funds_in = read_amounts(data["funds_in"], "funds_in")
    funds_out = read_amounts(data["funds_out"], "funds_out")
    already_expired = read_optional_amounts(data.get("already_expired"), "already_expired")
    policy_change = read_policy_change(data.get("policy_change"))
    as_of_value = data.get("as_of")
    as_of = None if as_of_value is None else read_month(as_of_value, "as_of")
    result = expiries(funds_in, funds_out, expiry_months, already_expired, policy_change, as_of)
    return output(result, expiry_months, policy_change)


def written(amounts: dict[Month, Decimal], period: int, where: str) -> dict[str, str]:
    """Expiry months and amounts as output strings; a month past 9999-12 cannot be written."""
    for month in amounts:
        if month > LAST_MONTH:
            raise ContractInputError(
                f"{where}: funds landing in {month - period} would expire after "
                f"{LAST_MONTH}, which a month YYYY-MM cannot show"
            )
    return {str(month): format_amount(amount) for month, amount in sorted(amounts.items())}


def output(
    result: Expiries, expiry_months: int, policy_change: PolicyChange | None
) -> dict[str, object]:
    """The contract's output object."""
    shaped: dict[str, object] = {
        "expiries": written(result.long_term, expiry_months, "expiry_months")
    }
    if policy_change is not None and result.short_term is not None:
        shaped["short_term_expiries"] = written(
            result.short_term, policy_change.expiry_months, "policy_change.expiry_months"
        )
    return shaped


def main(argv: list[str]) -> int:
    """Run the contract on the arguments after `levy expiry`; returns the exit status."""
    return run_json_contract(argv, usage=USAGE, compute=compute)
