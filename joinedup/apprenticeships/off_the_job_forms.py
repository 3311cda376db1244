"""Forms of the off-the-job pages. They read what was typed; `off_the_job` checks the rules and
names the field of any refusal, which `show_refusal` puts on the form's field of the same name."""

from __future__ import annotations

import copy

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from . import off_the_job
from .models import Enrolment, OffTheJobActivity


class FirstIdCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first input carries the field's id, so the error summary's link finds it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class FirstIdRadios(forms.RadioSelect):
    """Radios whose first input carries the field's id, so the error summary's link finds it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class EntryForm(GovukForm):
    on = DateInputField(label="Date", help_text="For example, 27 3 2027")
    hours = forms.DecimalField(
        label="Hours",
        help_text="More than 0 and at most 24, for example 3.5",
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter the hours",
            "invalid": "Hours must be a number, for example 3.5",
            "max_digits": "Hours must be at most 24",
            "max_decimal_places": "Hours can have at most 2 decimal places",
        },
    )
    activity = forms.ChoiceField(
        label="Activity",
        choices=[("", "Choose the activity"), *OffTheJobActivity.choices],
        error_messages={
            "required": "Choose the activity",
            "invalid_choice": "Choose the activity",
        },
    )
    ksbs = forms.TypedMultipleChoiceField(
        label="Knowledge, skills and behaviours",
        help_text="The KSBs of the standard this time helped you with",
        required=False,
        coerce=int,
        widget=FirstIdCheckboxes,
        error_messages={"invalid_choice": "Choose only KSBs of the apprenticeship's standard"},
    )
    reflection = forms.CharField(
        label="Reflection",
        help_text="What you did and what you learned",
        required=False,
        max_length=off_the_job.REFLECTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"The reflection must be {off_the_job.REFLECTION_LIMIT} characters "
            "or fewer"
        },
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs) -> None:
        # GovukForm cleans a bound form while it starts, so the KSB choices go in first (on this
        # instance's own copy of the fields), or every ticked KSB would be refused.
        standard = enrolment.cohort.programme.standard
        fields = dict(self.base_fields)
        fields["ksbs"] = copy.deepcopy(fields["ksbs"])
        fields["ksbs"].choices = [
            (ksb.pk, f"{ksb.code}: {ksb.description}") for ksb in standard.ksbs.all()
        ]
        self.base_fields = fields
        super().__init__(*args, **kwargs)


class CheckForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=off_the_job.DECISIONS,
        widget=FirstIdRadios,
        error_messages={
            "required": "Choose whether to verify or query the entry",
            "invalid_choice": "Choose whether to verify or query the entry",
        },
    )
    note = forms.CharField(
        label="Note to the apprentice",
        help_text="Needed for a query: say what to change or explain",
        required=False,
        max_length=off_the_job.NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The note must be {off_the_job.NOTE_LIMIT} characters or fewer"
        },
    )
