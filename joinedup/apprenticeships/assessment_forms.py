"""Forms of the end-point assessment pages. They read what was typed; `assessments` checks the
rules and names the field of any refusal, which `show_refusal` puts on the form's field."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .models import Grade

GRADES = [("", "Choose"), *Grade.choices]


def _line(label: str, *, required: bool = True, limit: int = 200, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be {limit} characters or fewer",
        },
    )


def _grade(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=GRADES,
        error_messages={
            "required": f"Choose the {label.lower()}",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


class BookForm(GovukForm):
    """The next attempt: the assessment organisation, the date and the independent assessor (an
    existing account, found by e-mail, or a new external assessor account)."""

    assessment_organisation = _line(
        "Assessment organisation", help_text="The end-point assessment organisation, by name"
    )
    assessment_on = DateInputField(label="Date of the assessment")
    assessor_email = _line(
        "Assessor's email address",
        limit=254,
        help_text="Someone who works for neither the apprentice's employer nor the provider",
    )
    new_external = forms.BooleanField(
        label="This is a new external assessor: give them an account",
        required=False,
        help_text="They get an e-mail to choose a password; they see only their own bookings",
    )
    given_name = _line("Given name (new external assessor)", required=False, limit=100)
    family_name = _line("Family name (new external assessor)", required=False, limit=100)


class ResultsForm(GovukForm):
    """Each method's result and the overall grade (a fail if either method fails)."""

    presentation_result = _grade("Presentation and questions")
    discussion_result = _grade("Professional discussion")
    overall_grade = _grade("Overall grade")
    result_note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )
