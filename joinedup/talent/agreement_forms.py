"""Forms of the secondment agreement pages.

The forms read what was typed; `talent.agreements` checks the rules and names the field of any
refusal (`show_refusal` puts it on the field here).
"""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .agreements import LD_LEAD, LINE_MANAGER
from .models import SalaryPayer, SignatureParty

CAPACITY_LABELS = {LINE_MANAGER: "Line manager", LD_LEAD: "Learning and development lead"}


def _text(label: str, *, help_text: str = "", required: bool = False, rows: int = 4, **kw):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


def _number(label: str, help_text: str, **kw) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        **kw,
    )


class TermsForm(GovukForm):
    """The terms of a secondment: dates, hours, title, who pays, recharge, objectives, return."""

    starts_on = DateInputField(label="Start date", help_text="For example, 4 1 2027")
    ends_on = DateInputField(label="End date", help_text="The last day of the secondment")
    hours_per_week = _number(
        "Hours a week",
        "Hours a week at the host, for example 15 for two days",
        error_messages={"required": "Enter the hours a week"},
    )
    job_title = forms.CharField(
        label="Job title at the host",
        max_length=200,
        error_messages={"required": "Enter the job title at the host"},
    )
    salary_paid_by = forms.ChoiceField(
        label="Who pays the salary",
        choices=SalaryPayer.choices,
        error_messages={"required": "Choose who pays the salary"},
    )
    recharge_amount = _number(
        "Recharge amount",
        "In pounds, what the host pays the home for the whole secondment; 0 for none",
        required=False,
    )
    objectives = _text("Objectives", help_text="What the secondment is to achieve")
    return_arrangements = _text(
        "Return arrangements", help_text="The job the person returns to, and how"
    )

    def clean_recharge_amount(self) -> str:
        return self.cleaned_data["recharge_amount"].strip() or "0"


class ReleaseForm(GovukForm):
    """A release; someone who may give both chooses which (one person never gives both)."""

    def __init__(self, *args, capacities: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if len(capacities) > 1:
            self.fields["capacity"] = forms.ChoiceField(
                label="Release as",
                choices=[(c, CAPACITY_LABELS[c]) for c in capacities],
                error_messages={"required": "Choose whether you release as line manager or lead"},
            )
            self.order_fields(["capacity"])


class SignForm(GovukForm):
    """Signing the version of the terms shown on the page."""

    terms_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    agree = forms.BooleanField(
        label="I have read these terms and agree to them",
        error_messages={"required": "Confirm you have read and agree to the terms"},
    )

    def __init__(self, *args, parties: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if len(parties) > 1:
            labels = dict(SignatureParty.choices)
            self.fields["party"] = forms.ChoiceField(
                label="Sign for",
                choices=[(p, labels[p]) for p in parties],
                error_messages={"required": "Choose who you sign for"},
            )
            self.order_fields(["party"])


class ReasonForm(GovukForm):
    """Why an agreement is cancelled."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )


class EndForm(ReasonForm):
    """Ending a secondment before its end date."""

    ended_on = DateInputField(
        label="Last day", required=False, help_text="Leave blank for today. For example, 31 3 2027"
    )


class FeedbackForm(GovukForm):
    text = _text(
        "Feedback", required=True, rows=6, error_messages={"required": "Enter your feedback"}
    )

    def __init__(self, *args, parties: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if len(parties) > 1:
            labels = dict(SignatureParty.choices)
            self.fields["party"] = forms.ChoiceField(
                label="Feedback as", choices=[(p, labels[p]) for p in parties]
            )
            self.order_fields(["party"])


class ReturnForm(GovukForm):
    returned_on = DateInputField(label="Date of return", help_text="For example, 5 7 2027")
    note = _text("Note", help_text="The job they returned to and anything to follow up")
