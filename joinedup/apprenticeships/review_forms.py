"""Forms of the progress review pages. They read what was typed; `reviews` checks the rules and
names the field of any refusal, which `show_refusal` puts on the form's field of the same name."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .reviews import TEXT_LIMIT


def _text(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be {TEXT_LIMIT} characters or fewer",
        },
    )


class RecordForm(GovukForm):
    """What the practice tutor records after meeting the apprentice and line manager."""

    held_on = DateInputField(label="Date the review was held", help_text="For example, 27 11 2026")
    progress = _text("Progress", "Progress since the last review against the plan and the KSBs")
    actions = _text("Actions", "What each of the three will do before the next review")
    off_the_job_check = _text(
        "Off-the-job check",
        "Whether off-the-job time is on track, with the hours logged and verified so far",
    )


class SignForm(GovukForm):
    """Signing a recorded review: the signer confirms it is a fair record."""

    agree = forms.BooleanField(
        label="I attended this review and agree it is a fair record",
        error_messages={"required": "Confirm you attended the review and agree with the record"},
    )
