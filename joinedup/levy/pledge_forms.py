"""Forms for pledges and applications: what was typed, read into the types `pledges` takes.

The rules (the minimum, the remaining allowance, levels, match and cost) are the services'; a
refusal is shown on the form. Amounts are pounds and pence.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.models import Sector

from .models import ApprovalMode

LEVEL_CHOICES = [(str(level), f"Level {level}") for level in range(2, 8)]
MAX_APPRENTICES = 1000
MAX_DURATION_MONTHS = 72


def _amount(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower().removesuffix(' (£)')}",
            "invalid": f"{label} must be an amount in pounds, like 12500.50",
            "max_digits": f"{label} is too large",
            "max_whole_digits": f"{label} is too large",
            "max_decimal_places": f"{label} must be in pounds and pence (2 decimal places)",
            "min_value": f"{label} must be more than £0",
        },
        **kwargs,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PledgeForm(GovukForm):
    """A new pledge: its amount, who it is for, and how applications are approved."""

    amount = _amount(
        "Amount (£)", help_text="At least £2,000 and no more than your remaining transfer allowance"
    )
    sectors = forms.MultipleChoiceField(
        label="Sectors",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to accept any sector",
    )
    levels = forms.MultipleChoiceField(
        label="Levels",
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to accept any level",
    )
    job_roles = forms.CharField(
        label="Job roles",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, like Care worker; leave empty to accept any job role",
    )
    locations = forms.CharField(
        label="Locations",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, like Barnet; leave empty to accept anywhere",
    )
    approval_mode = forms.ChoiceField(
        label="How are applications approved?",
        choices=ApprovalMode.choices,
        initial=ApprovalMode.MANUAL,
        error_messages={"required": "Choose how applications are approved"},
    )
    note = forms.CharField(
        label="Note for applicants",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_levels(self) -> list[int]:
        return [int(level) for level in self.cleaned_data["levels"]]

    def clean_job_roles(self) -> list[str]:
        return _lines(self.cleaned_data["job_roles"])

    def clean_locations(self) -> list[str]:
        return _lines(self.cleaned_data["locations"])


class ApplicationForm(GovukForm):
    """An application for part of a pledge: the apprenticeship and where it will be."""

    standard_title = forms.CharField(
        label="Apprenticeship standard",
        max_length=200,
        help_text="Its title, like Adult care worker",
        error_messages={"required": "Enter the apprenticeship standard"},
    )
    standard_code = forms.CharField(
        label="Standard reference", max_length=10, required=False, help_text="Like ST0005"
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=[("", "Choose a level"), *LEVEL_CHOICES],
        coerce=int,
        error_messages={"required": "Choose the level"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Sector.choices,
        error_messages={"required": "Choose the sector"},
    )
    job_role = forms.CharField(
        label="Job role", max_length=200, error_messages={"required": "Enter the job role"}
    )
    location = forms.CharField(
        label="Location",
        max_length=200,
        help_text="Where the apprentices will work, like Barnet",
        error_messages={"required": "Enter the location"},
    )
    apprentices = forms.IntegerField(
        label="Number of apprentices",
        min_value=1,
        max_value=MAX_APPRENTICES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the number of apprentices",
            "invalid": "Number of apprentices must be a whole number, like 2",
            "min_value": "Number of apprentices must be at least 1",
            "max_value": f"Number of apprentices must be at most {MAX_APPRENTICES}",
        },
    )
    duration_months = forms.IntegerField(
        label="Duration in months",
        min_value=1,
        max_value=MAX_DURATION_MONTHS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the duration in months",
            "invalid": "Duration must be a whole number of months, like 18",
            "min_value": "Duration must be at least 1 month",
            "max_value": f"Duration must be at most {MAX_DURATION_MONTHS} months",
        },
    )
    funding_band = _amount("Funding band (£)", help_text="The standard's funding band maximum")
    start_month = forms.CharField(
        label="Start month",
        max_length=7,
        help_text="Like 2027-01",
        error_messages={"required": "Enter the start month, like 2027-01"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
    )

    def clean_start_month(self) -> dt.date:
        text = self.cleaned_data["start_month"].strip()
        found = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
            raise forms.ValidationError("Start month must be a real month, like 2027-01")
        return dt.date(int(found.group(1)), int(found.group(2)), 1)


class RejectForm(GovukForm):
    reason = forms.CharField(
        label="Why is the application rejected?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The applicant sees this",
        error_messages={"required": "Say why the application is rejected"},
    )
