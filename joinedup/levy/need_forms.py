"""The form for an apprenticeship need: what was typed, read into the types `optimising` takes.

The rules (levels, durations, bands, who may add a need for whom) are checked by the service,
which names the field of any refusal.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import QuerySet

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.models import Organisation

from .optimising import LEVELS, PRIORITIES

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


class MonthField(forms.CharField):
    """A month typed as 2027-01, 01/2027 or January 2027; cleans to the month's first day."""

    def clean(self, value: object) -> dt.date | None:
        text = (super().clean(value) or "").strip().lower()
        if not text:
            return None
        numeric = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", text)
        worded = re.fullmatch(r"([a-z]+)\s+(\d{4})", text)
        month = year = 0
        if numeric:
            year = int(numeric.group(1) or numeric.group(4))
            month = int(numeric.group(2) or numeric.group(3))
        elif worded and worded.group(1) in MONTHS:
            year, month = int(worded.group(2)), MONTHS[worded.group(1)]
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise forms.ValidationError(
                f"{self.label} must be a real month, like 2027-01 or January 2027"
            )
        return dt.date(year, month, 1)


class AmountField(forms.CharField):
    """Pounds and pence, with or without £ and thousands separators."""

    def clean(self, value: object) -> Decimal | None:
        text = (super().clean(value) or "").strip().replace(",", "").removeprefix("£")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(f"{self.label} must be an amount, like 6000") from None
        if not amount.is_finite():
            raise forms.ValidationError(f"{self.label} must be an amount, like 6000")
        return amount


def _whole(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
        },
    )


class NeedForm(GovukForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        empty_label=None,
        error_messages={"invalid_choice": "Choose an organisation you may add needs for"},
    )
    standard_title = forms.CharField(
        label="Apprenticeship standard",
        max_length=200,
        help_text="Its title, for example Adult care worker",
        error_messages={"required": "Enter the apprenticeship standard's title"},
    )
    standard_code = forms.CharField(
        label="Standard code", max_length=10, required=False, help_text="For example ST0005"
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=[(level, f"Level {level}") for level in LEVELS],
        coerce=int,
        error_messages={"required": "Choose the level"},
    )
    start_month = MonthField(
        label="Start month",
        max_length=20,
        help_text="For example 2027-01 or January 2027",
        error_messages={"required": "Enter the start month"},
    )
    duration_months = _whole("Duration in months", "From the start to the end of training")
    apprentices = _whole("Apprentices")
    funding_band = AmountField(
        label="Funding band",
        max_length=20,
        help_text="The standard's funding band for one apprentice, in pounds",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the funding band"},
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        choices=[(number, f"{number}: {name}") for number, name in sorted(PRIORITIES.items())],
        coerce=int,
        initial=2,
        error_messages={"required": "Choose the priority"},
    )
    job_role = forms.CharField(label="Job role", max_length=200, required=False)
    location = forms.CharField(label="Location", max_length=200, required=False)

    def __init__(
        self, *args, organisations: QuerySet[Organisation] | None = None, **kwargs
    ) -> None:
        # The fields are settled before the base class reads the data (it marks fields in error).
        fields = dict(type(self).base_fields)
        if organisations is None:
            del fields["organisation"]
        else:
            chooser = copy.deepcopy(fields["organisation"])
            chooser.queryset = organisations.order_by("name", "pk")
            fields["organisation"] = chooser
        self.base_fields = fields
        super().__init__(*args, **kwargs)
