"""Reading the JSON input of the command-line contracts by the common rules of DESIGN.md.

Pure Python, no Django: the contract subcommands need no settings or database. Every check raises
`ContractInputError` with a message that names the field (`requests[2].requested_at: ...`);
`run_json_contract` turns any failure into one line on standard error and exit status 2.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

EXIT_FAILURE = 2

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TAX_YEAR = re.compile(r"(\d{2})-(\d{2})", re.ASCII)
_EPOCH = dt.datetime(1970, 1, 1)


class ContractInputError(ValueError):
    """The input breaks a rule; the message names the field and says what is wrong."""


@dataclass(frozen=True, order=True)
class Instant:
    """A moment in time, exact to any number of decimal places of a second.

    `seconds` counts whole seconds since 1970-01-01T00:00:00Z; `fraction` holds the digits after the
    point with trailing zeros removed, so comparing the strings compares the fractions.
    """

    seconds: int
    fraction: str = ""

    @classmethod
    def of(cls, moment: dt.datetime) -> Instant:
        """The instant of an aware datetime."""
        if moment.utcoffset() is None:
            raise ValueError("a naive datetime is not an instant")
        since = moment.astimezone(dt.UTC).replace(tzinfo=None) - _EPOCH
        return cls(since.days * 86400 + since.seconds, f"{since.microseconds:06d}".rstrip("0"))


def describe(value: object) -> str:
    """A short, single-line description of a JSON value for an error message."""
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, Decimal | float):
        return "a number with a fraction or exponent"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def quoted(text: str, limit: int = 60) -> str:
    """Text as a JSON string literal for a message (ASCII only, so it always stays on one line)."""
    shown = text if len(text) <= limit else text[:limit] + "..."
    return json.dumps(shown)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ContractInputError(f"duplicate key {quoted(key)} in an object")
        result[key] = value
    return result


def _no_constants(name: str) -> object:
    raise ContractInputError(f"malformed JSON: {name} is not allowed")


def load_json(text: str) -> object:
    """Parse JSON text; numbers with a fraction or exponent become exact `Decimal`s."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_float=Decimal,
            parse_constant=_no_constants,
        )
    except json.JSONDecodeError as error:
        raise ContractInputError(
            f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ContractInputError("malformed JSON: nested too deeply") from None
    except ContractInputError:
        raise
    except ValueError as error:  # for example an integer with thousands of digits
        raise ContractInputError(f"malformed JSON: {one_line(str(error))}") from None


def read_json_file(path: str) -> object:
    """Read and parse a UTF-8 JSON file (a leading byte order mark is allowed)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ContractInputError(f"cannot read input file {quoted(path, 200)}: {reason}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContractInputError(
            f"input file is not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None
    return load_json(text)


def expect_object(
    value: object, where: str, *, required: Collection[str], optional: Collection[str] = ()
) -> dict[str, object]:
    """A JSON object with every required key and no key outside required and optional."""
    if not isinstance(value, dict):
        raise ContractInputError(f"{where}: must be an object, not {describe(value)}")
    for key in value:
        if key not in required and key not in optional:
            raise ContractInputError(f"{where}: unknown key {quoted(key)}")
    for key in required:
        if key not in value:
            raise ContractInputError(f"{where}: missing key {quoted(key)}")
    return value


def expect_list(value: object, where: str) -> list[object]:
    """A JSON array."""
    if not isinstance(value, list):
        raise ContractInputError(f"{where}: must be a list, not {describe(value)}")
    return value


def expect_id(value: object, where: str) -> str:
    """An id: a non-empty string."""
    if not isinstance(value, str):
        raise ContractInputError(f"{where}: must be a string id, not {describe(value)}")
    if not value:
        raise ContractInputError(f"{where}: must not be empty")
    return value


def expect_unique_ids(ids: list[str], where: str) -> None:
    """Ids within one list must not repeat."""
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            raise ContractInputError(f"{where}[{index}].id: {quoted(value)} is repeated")
        seen.add(value)


def expect_count(value: object, where: str, *, allow_negative: bool = False) -> int:
    """A count: a JSON integer (not a boolean, fraction or string), never negative."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContractInputError(f"{where}: must be a whole number, not {describe(value)}")
    if value < 0 and not allow_negative:
        raise ContractInputError(f"{where}: must not be negative (got {value})")
    return value


def expect_flag(value: object, where: str) -> bool:
    """A flag: true or false."""
    if not isinstance(value, bool):
        raise ContractInputError(f"{where}: must be true or false, not {describe(value)}")
    return value


def expect_count_map(value: object, where: str) -> dict[str, int]:
    """An object from ids (non-empty keys) to counts."""
    if not isinstance(value, dict):
        raise ContractInputError(f"{where}: must be an object, not {describe(value)}")
    result: dict[str, int] = {}
    for key, count in value.items():
        if not key:
            raise ContractInputError(f"{where}: an organisation id must not be empty")
        result[key] = expect_count(count, f"{where}[{quoted(key)}]")
    return result


def expect_timestamp(value: object, where: str) -> Instant:
    """An RFC 3339 timestamp with `Z` or an offset, as an exact instant."""
    if not isinstance(value, str):
        raise ContractInputError(f"{where}: must be a timestamp string, not {describe(value)}")
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        hint = "" if _TIMESTAMP.fullmatch(value + "Z") is None else " (it has no Z or offset)"
        raise ContractInputError(
            f"{where}: {quoted(value)} is not an RFC 3339 timestamp like 2026-11-01T09:00:00Z{hint}"
        )
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    try:
        if int(off_h or 0) > 23 or int(off_m or 0) > 59:
            raise ValueError("offset out of range")
        local = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        raise ContractInputError(f"{where}: {quoted(value)} is not a real date and time") from None
    offset = 0 if zulu else (int(off_h) * 3600 + int(off_m) * 60) * (-1 if sign == "-" else 1)
    since = local - _EPOCH
    return Instant(since.days * 86400 + since.seconds - offset, (fraction or "").rstrip("0"))


# A JSON number such as 1e999999999 is finite, but written in plain notation it is a billion digits.
AMOUNT_EXPONENT_LIMIT = 1000


def expect_amount(value: object, where: str) -> Decimal:
    """An amount: a finite decimal string or JSON number, exactly, of a printable size."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ContractInputError(f"{where}: must be an amount, not {describe(value)}")
    if isinstance(value, str) and _AMOUNT.fullmatch(value) is None:
        raise ContractInputError(
            f"{where}: {quoted(value)} is not an amount (digits, an optional sign and point)"
        )
    amount = Decimal(value)
    if amount and abs(amount.adjusted()) > AMOUNT_EXPONENT_LIMIT:
        raise ContractInputError(
            f"{where}: the amount is too large or too small to write out "
            f"(at most {AMOUNT_EXPONENT_LIMIT} digits either side of the point)"
        )
    return amount


def expect_month(value: object, where: str) -> str:
    """A month as YYYY-MM."""
    if not isinstance(value, str) or _MONTH.fullmatch(value) is None:
        raise ContractInputError(f"{where}: must be a month like 2026-04")
    return value


def expect_date(value: object, where: str) -> dt.date:
    """A date as YYYY-MM-DD."""
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        raise ContractInputError(f"{where}: must be a date like 2026-04-30")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ContractInputError(f"{where}: {quoted(value)} is not a real date") from None


def expect_tax_year(value: object, where: str) -> str:
    """A tax year as YY-YY, the second year following the first (25-26)."""
    match = _TAX_YEAR.fullmatch(value) if isinstance(value, str) else None
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ContractInputError(f"{where}: must be a tax year like 25-26")
    return match[0]


def format_amount(value: Decimal) -> str:
    """An amount in plain notation: no exponent, no trailing zeros after the point, no -0."""
    if value == 0:
        return "0"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def one_line(text: str) -> str:
    """Text with every kind of line break turned into a space."""
    return " ".join(text.splitlines())


def input_path(argv: list[str], usage: str) -> str:
    """The FILE of `--input FILE` (or `--input=FILE`), the only argument a contract takes."""
    if len(argv) == 2 and argv[0] == "--input":
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--input="):
        return argv[0].removeprefix("--input=")
    raise ContractInputError(f"usage: {usage}")


def run_json_contract(
    argv: list[str],
    *,
    usage: str,
    compute: Callable[[object], Mapping[str, object]],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Read --input, compute, print JSON; any failure is one line on stderr and status 2."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    try:
        result = json.dumps(compute(read_json_file(input_path(argv, usage))))
    except ContractInputError as error:
        err.write(one_line(f"{usage.split(' --')[0]}: {error}") + "\n")
        return EXIT_FAILURE
    except Exception as error:  # the contract promises one line and status 2, never a traceback
        err.write(one_line(f"{usage.split(' --')[0]}: internal error: {error!r}") + "\n")
        return EXIT_FAILURE
    out.write(result + "\n")
    return 0
