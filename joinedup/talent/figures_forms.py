"""The figures pages' filters: a date to count translators on, and a period (GET forms)."""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.forms import DateInputField, PeriodForm

from .figures import last_twelve_months

EARLIEST = dt.date(2000, 1, 1)
YEARS_AHEAD = 5


def _with_default(data, name: str, day: dt.date):
    """The query with `name`'s day, month and year boxes filled in when none were given."""
    if any(key.startswith(f"{name}_") for key in data):
        return data
    data = data.copy()
    data[f"{name}_day"] = str(day.day)
    data[f"{name}_month"] = str(day.month)
    data[f"{name}_year"] = str(day.year)
    return data


class LeakagePeriodForm(PeriodForm):
    """A period of leaving dates, the last 12 months unless the query gives one."""

    def __init__(self, data, *, today: dt.date) -> None:
        start, end = last_twelve_months(today)
        if data is not None:
            data = _with_default(_with_default(data, "start", start), "end", end)
        self.today = today
        super().__init__(data, today=today)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= self.latest():
                self.add_error(name, self.range_message(name))
        return cleaned

    def latest(self) -> dt.date:
        return self.today.replace(year=self.today.year + YEARS_AHEAD, day=min(self.today.day, 28))

    def range_message(self, name: str) -> str:
        label = self.fields[name].label
        return f"‘{label}’ must be between 1 January 2000 and {self.latest():%-d %B %Y}"


class TranslatorsForm(LeakagePeriodForm):
    """The date translators are counted on (today unless given), and the period of moves."""

    as_of = DateInputField(
        label="As of",
        help_text="For example, 31 3 2027. A later date than today assumes current jobs go on.",
    )

    def __init__(self, data, *, today: dt.date) -> None:
        if data is not None:
            data = _with_default(data, "as_of", today)
        super().__init__(data, today=today)

    def clean(self) -> dict:
        cleaned = super().clean()
        as_of = cleaned.get("as_of")
        if as_of is not None and not EARLIEST <= as_of <= self.latest():
            self.add_error("as_of", self.range_message("as_of"))
        return cleaned
