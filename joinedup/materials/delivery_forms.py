"""Forms of the delivery request pages: asking for a trainer, and declining with a reason.

The dates are typed one a line, in any of a few everyday shapes; a line that is not a date is
named by its number. The service checks the rules (future dates, the accreditation, the trainer's
availability) and names the field of any refusal, which the view puts on the form.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from joinedup.lib.govuk_forms import GovukForm

DATE_SHAPES = ("%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%m-%Y")
LINES_MAX = 30


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def read_dates(text: str) -> list[dt.date]:
    """The dates typed one a line; a ValidationError names each line that is not a date."""
    dates, problems = [], []
    lines = [line.strip() for line in str(text).splitlines()]
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line]
    if len(numbered) > LINES_MAX:
        raise forms.ValidationError(f"Enter no more than {LINES_MAX} dates")
    for number, line in numbered:
        day = _date(re.sub(r"\s+", " ", line))
        if day is None:
            problems.append(f"Line {number}: enter a real date, like 14/3/2027")
        else:
            dates.append(day)
    if problems:
        raise forms.ValidationError("; ".join(problems))
    if not dates:
        raise forms.ValidationError("Enter the dates, one a line")
    return dates


def _date(line: str) -> dt.date | None:
    for shape in DATE_SHAPES:
        try:
            return dt.datetime.strptime(line, shape).date()
        except ValueError:
            continue
    return None


class DeliveryRequestForm(GovukForm):
    """What B asks for: the dates, times, places, venue, an optional day rate and a message."""

    trainer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    programme = forms.IntegerField(widget=forms.HiddenInput, required=False)
    dates = forms.CharField(
        label="Dates",
        help_text="One date a line, like 14/3/2027",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("Enter the dates, one a line"),
    )
    starts_at = forms.TimeField(
        label="Start time each day",
        help_text="Like 09:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time, like 09:30",
        },
    )
    ends_at = forms.TimeField(
        label="End time each day",
        help_text="Like 16:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the end time",
            "invalid": "Enter the end time, like 16:30",
        },
    )
    places = forms.IntegerField(
        label="Places",
        help_text="How many people the run takes",
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number, like 20",
            "min_value": "Places must be 1 or more",
            "max_value": "Places must be 1,000 or fewer",
        },
    )
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    day_rate = forms.CharField(
        label="Day rate in pounds",
        help_text="Charged to your organisation for each day after the delivery; blank for none",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    message = forms.CharField(
        label="Message to the trainer and their organisation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_dates(self) -> list[dt.date]:
        return read_dates(self.cleaned_data["dates"])


class DeclineDeliveryForm(GovukForm):
    """Declining a delivery request, with the reason the requesting organisation reads."""

    reason = forms.CharField(
        label="Why are you declining",
        help_text="The organisation that asked reads this",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Give the reason for declining"),
    )
