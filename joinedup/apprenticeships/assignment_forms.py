"""Forms of the assignment pages: submitting an attempt and marking one. They read what was typed;
`submissions` checks the rules and names the field of any refusal."""

from __future__ import annotations

import copy

from django import forms

from joinedup.lib.govuk_forms import GovukForm

from .models import Grade


class SubmitForm(GovukForm):
    """An attempt at one of the programme's assignments: text, a file, or both."""

    assignment = forms.TypedChoiceField(
        label="Assignment",
        coerce=int,
        error_messages={
            "required": "Choose the assignment you are submitting",
            "invalid_choice": "Choose an assignment from the list",
        },
    )
    text = forms.CharField(
        label="Your submission",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Write it here, upload a file, or both.",
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="PDF, Word, OpenDocument, plain text and other documents, up to 50 MB.",
    )

    def __init__(self, *args, assignments: list[tuple[int, str]], **kwargs) -> None:
        # GovukForm cleans a bound form while it starts, so the choices go in first (on this
        # instance's own copy of the fields).
        fields = dict(self.base_fields)
        fields["assignment"] = copy.deepcopy(fields["assignment"])
        fields["assignment"].choices = [("", "Choose an assignment"), *assignments]
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            self.add_error("text", "Write your submission or choose a file to upload")
        return data


class MarkForm(GovukForm):
    """A grade and feedback for one attempt."""

    grade = forms.ChoiceField(
        label="Grade",
        choices=[("", "Choose a grade"), *Grade.choices],
        error_messages={
            "required": "Choose a grade",
            "invalid_choice": "Choose a grade from the list",
        },
    )
    feedback = forms.CharField(
        label="Feedback",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Write your feedback"},
    )
