"""Forms of the opportunity and application pages.

The forms read what was typed; `talent.opportunities` and `talent.applications` check the rules
and name the field of any refusal (`show_refusal` puts it on the field here).
"""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField
from joinedup.partnership.models import Organisation, Sector

from .models import Audience, OpportunityKind

KIND_CHOICES = [("", "Any kind"), *OpportunityKind.choices]
SECTOR_CHOICES = [("", "Any sector"), *Sector.choices]
SENIORITY_CHOICES = [(str(level), str(level)) for level in range(1, 10)]


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.replace("\n", ",").split(",") if name.strip()]


def _number(label: str, help_text: str, initial: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        initial=initial,
        max_length=10,
        error_messages={"required": f"Enter the {label.lower()}"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )


class OpportunityForm(GovukForm):
    """An opportunity a host offers; the service checks every rule."""

    kind = forms.ChoiceField(
        label="Kind of opportunity",
        choices=OpportunityKind.choices,
        error_messages={"invalid_choice": "Choose a kind of opportunity from the list"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    description = forms.CharField(
        label="Description",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a description"},
    )
    essential_skills = forms.CharField(
        label="Essential skills",
        help_text="Separate skills with commas; another name for a skill is understood",
        required=False,
        max_length=3_000,
    )
    desirable_skills = forms.CharField(
        label="Desirable skills",
        help_text="Separate skills with commas",
        required=False,
        max_length=3_000,
    )
    seniority_min = forms.ChoiceField(
        label="Lowest seniority (1 to 9)", choices=SENIORITY_CHOICES, initial="1"
    )
    seniority_max = forms.ChoiceField(
        label="Highest seniority (1 to 9)", choices=SENIORITY_CHOICES, initial="9"
    )
    starts_on = DateInputField(label="Start date", help_text="For example, 4 1 2027")
    duration_months = _number("Duration in months", "For example, 6")
    time_share = _number("Share of time", "Per cent of working time, 100 for full time", "100")
    location = forms.CharField(label="Location", max_length=200, required=False)
    remote = forms.BooleanField(label="Can be done remotely", required=False)
    closes_on = DateInputField(label="Closing date", help_text="The last day to apply")
    audience = forms.ChoiceField(
        label="Who may apply", choices=Audience.choices, initial=Audience.PARTNERSHIP
    )
    audience_organisations = forms.TypedMultipleChoiceField(
        label="Chosen organisations",
        help_text="Only when chosen organisations may apply",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience_sectors = forms.MultipleChoiceField(
        label="Chosen sectors",
        help_text="Only when chosen sectors may apply",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience_organisations"].choices = [(o.pk, o.name) for o in organisations]

    def clean_essential_skills(self) -> list[str]:
        return _names(self.cleaned_data["essential_skills"])

    def clean_desirable_skills(self) -> list[str]:
        return _names(self.cleaned_data["desirable_skills"])


class SearchForm(GovukForm):
    """The opportunity search's filters; anything unknown is shown as an error on its field."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES, required=False)
    host = forms.TypedChoiceField(
        label="Host organisation", coerce=int, required=False, empty_value=None
    )
    sector = forms.ChoiceField(label="Host's sector", choices=SECTOR_CHOICES, required=False)
    remote = forms.BooleanField(label="Remote only", required=False)

    def __init__(self, *args, organisations: list[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [
            ("", "Any organisation"),
            *((o.pk, o.name) for o in organisations),
        ]

    def clean_q(self) -> str:
        return self.cleaned_data["q"].replace("\x00", "")


class ApplyForm(GovukForm):
    statement = forms.CharField(
        label="Your statement",
        help_text="Why you want this opportunity and what you would bring",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter a statement saying why you are applying"},
    )


class InterviewForm(GovukForm):
    interview_notes = forms.CharField(
        label="Interview notes",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter interview notes"},
    )


class DeclineForm(GovukForm):
    decline_reason = forms.CharField(
        label="Reason",
        help_text="The applicant reads this",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for declining"},
    )
