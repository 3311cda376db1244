"""Forms of the talent profile pages and the skills vocabulary.

The forms read what was typed; `talent.profiles` checks the rules and names the field of any
refusal (`show_refusal` puts it on the field here).
"""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField
from joinedup.partnership.models import Sector

from .models import OpportunityKind

SENIORITY_CHOICES = [
    ("", "No preference"),
    *[
        (str(level), f"{level} ({'entry' if level <= 3 else 'middle' if level <= 6 else 'senior'})")
        for level in range(1, 10)
    ],
]


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first input carries the field's id, so error links find it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class GovukRadios(forms.RadioSelect):
    """Radios whose first input carries the field's id, so error links find it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


def _text(label: str, limit: int, help_text: str = "", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=limit,
        error_messages={"max_length": f"{label} must be {limit:,} characters or fewer"},
        **kwargs,
    )


class ProfileForm(GovukForm):
    """A person's own talent profile: skills, aspirations, mobility and availability."""

    headline = _text("Headline", 200, "One line about you, for example Data analyst in housing")
    summary = _text(
        "About you",
        5_000,
        "What you do now and what you would like to try",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    skills = _text("Skills", 3_000, "Separate skills with commas")
    aspiration_kinds = forms.MultipleChoiceField(
        label="Kinds of opportunity you would like",
        choices=OpportunityKind.choices,
        required=False,
        widget=GovukCheckboxes,
        error_messages={"invalid_choice": "Choose kinds of opportunity from the list"},
    )
    aspiration_sectors = forms.MultipleChoiceField(
        label="Sectors you would like to work in",
        choices=Sector.choices,
        required=False,
        widget=GovukCheckboxes,
        error_messages={"invalid_choice": "Choose sectors from the list"},
    )
    aspiration_seniority_min = forms.ChoiceField(
        label="Lowest seniority you would move to",
        help_text="Seniority runs from 1 to 9 across employers: 1-3 entry, 4-6 middle, 7-9 senior",
        choices=SENIORITY_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose the lowest seniority from the list"},
    )
    aspiration_seniority_max = forms.ChoiceField(
        label="Highest seniority you would move to",
        choices=SENIORITY_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose the highest seniority from the list"},
    )
    areas = _text("Areas you could work in", 300, "For example Barnet, Brent and Harrow")
    remote = forms.BooleanField(label="I can work remotely", required=False)
    hours_per_week = _text(
        "Hours a week you could give",
        10,
        "For a part-time opportunity, for example 7.5",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    available_from = DateInputField(
        label="Available from", required=False, help_text="For example, 1 4 2027"
    )
    availability_note = _text(
        "Anything else about your availability", 300, "For example term time only"
    )

    def clean_skills(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["skills"].split(",") if name.strip()]

    def clean_aspiration_seniority_min(self) -> int | None:
        value = self.cleaned_data["aspiration_seniority_min"]
        return int(value) if value else None

    def clean_aspiration_seniority_max(self) -> int | None:
        value = self.cleaned_data["aspiration_seniority_max"]
        return int(value) if value else None


class DiscoverableForm(GovukForm):
    """Whether partners may find the profile."""

    discoverable = forms.ChoiceField(
        label="Let partners find my profile",
        choices=[
            ("yes", "Yes, people across the partnership may find my profile"),
            ("no", "No, only my own organisation sees it"),
        ],
        widget=GovukRadios,
        error_messages={
            "required": "Choose whether partners may find your profile",
            "invalid_choice": "Choose whether partners may find your profile",
        },
    )


class ExperienceForm(GovukForm):
    """A role in a sector before joining the partnership."""

    sector = forms.ChoiceField(
        label="Sector",
        choices=[("", "Choose a sector"), *Sector.choices],
        error_messages={
            "required": "Choose the sector",
            "invalid_choice": "Choose the sector from the list",
        },
    )
    role = forms.CharField(
        label="Role",
        max_length=200,
        error_messages={
            "required": "Enter the role",
            "max_length": "Role must be 200 characters or fewer",
        },
    )
    organisation_name = _text("Organisation", 200, "Where you did it, if you want to say")
    years = forms.CharField(
        label="Years",
        help_text="How long, for example 2 or 3.5",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the years, like 2 or 3.5"},
    )


class SkillForm(GovukForm):
    """A skill's name and description in the vocabulary."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={
            "required": "Enter a name",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    description = _text("Description", 300, "What the skill covers, if the name is not enough")


class SynonymForm(GovukForm):
    """Another name for a curated skill (not `name`: the rename form shares its page)."""

    synonym = forms.CharField(
        label="Another name",
        help_text="Typed on a profile or opportunity, it means this skill",
        max_length=100,
        error_messages={
            "required": "Enter another name",
            "max_length": "Name must be 100 characters or fewer",
        },
    )


class MergeForm(GovukForm):
    """The curated skill a free entry is merged into, by name or synonym."""

    into = forms.CharField(
        label="Merge into",
        help_text="The name, or another name, of a skill in the vocabulary",
        max_length=100,
        error_messages={
            "required": "Enter the skill to merge into",
            "max_length": "Name must be 100 characters or fewer",
        },
    )


class SearchForm(GovukForm):
    """Narrow the vocabulary's lists by name."""

    q = _text("Search skills", 100)


class ConfirmForm(GovukForm):
    """A confirmation button with nothing to fill in; carries a service's refusal as an error."""
