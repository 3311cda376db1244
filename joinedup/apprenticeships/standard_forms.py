"""Forms of the standard pages. They read what was typed; `standards` checks the rules and names
the field of any refusal (`show_refusal` puts it on the field here)."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm

from .standards import (
    ASSESSMENT_LIMIT,
    DESCRIPTION_LIMIT,
    GRADES_LIMIT,
    SOURCE_LIMIT,
    VERSION_LIMIT,
)

SEARCH_LIMIT = 200
LEVEL_CHOICES = [("", "Any level"), *((str(level), f"Level {level}") for level in range(2, 8))]


class StandardSearchForm(GovukForm):
    q = forms.CharField(
        label="Code or words in the title",
        help_text="For example ST0480, or senior leader",
        required=False,
        max_length=SEARCH_LIMIT,
        error_messages={"max_length": f"Search must be {SEARCH_LIMIT} characters or fewer"},
    )
    level = forms.ChoiceField(
        label="Level",
        choices=LEVEL_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a level from 2 to 7, or any level"},
    )


class StandardForm(GovukForm):
    """A standard's details. Numbers are read as text so the service names what is wrong."""

    level = forms.ChoiceField(
        label="Level",
        choices=[("", "Not known"), *LEVEL_CHOICES[1:]],
        required=False,
        error_messages={"invalid_choice": "Choose a level from 2 to 7"},
    )
    version = forms.CharField(
        label="Version",
        help_text="For example 1.0",
        max_length=VERSION_LIMIT,
        error_messages={
            "required": "Enter the version, like 1.0",
            "max_length": f"Version must be {VERSION_LIMIT} characters or fewer",
        },
    )
    typical_duration_months = forms.CharField(
        label="Typical duration, in months",
        help_text="Not counting end-point assessment. Leave empty if not known",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    funding_band = forms.CharField(
        label="Maximum funding band, in pounds",
        help_text="The most the levy pays, for example 14000. Leave empty if not known",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    off_the_job_hours = forms.CharField(
        label="Minimum off-the-job hours",
        help_text="The published minimum for starts from 1 August 2025. Leave empty if not known",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    assessment_methods = forms.CharField(
        label="Assessment methods",
        help_text="For example: project with presentation; professional discussion",
        required=False,
        max_length=ASSESSMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Assessment methods must be {ASSESSMENT_LIMIT:,} characters or fewer"
        },
    )
    grades = forms.CharField(
        label="Grades",
        help_text="For example: fail, pass, distinction",
        required=False,
        max_length=GRADES_LIMIT,
        error_messages={"max_length": f"Grades must be {GRADES_LIMIT} characters or fewer"},
    )
    source = forms.CharField(
        label="Source",
        help_text="Where these figures came from",
        required=False,
        max_length=SOURCE_LIMIT,
        error_messages={"max_length": f"Source must be {SOURCE_LIMIT} characters or fewer"},
    )


class KsbForm(GovukForm):
    code = forms.CharField(
        label="Code",
        help_text="K for knowledge, S for skill or B for behaviour, then its number: K1, S3, B2",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the code, like K1, S3 or B2",
            "max_length": "Enter a code like K1, S3 or B2",
        },
    )
    description = forms.CharField(
        label="Description",
        help_text="A short description, in the standard's words",
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a description",
            "max_length": f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer",
        },
    )
    illustrative = forms.BooleanField(
        label="Illustrative",
        help_text="Made up for a demonstration, not the published wording",
        required=False,
    )


class KsbImportForm(GovukForm):
    file = forms.FileField(
        label="KSB file",
        help_text="A CSV file with the columns code, type and description",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a CSV file of KSBs",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file of KSBs",
        },
    )
