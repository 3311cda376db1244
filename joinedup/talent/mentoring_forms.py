"""Forms of the mentoring pages. They read what was typed; `mentoring_services` checks the rules
and names the field of any refusal (`show_refusal` puts it on the field here)."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .mentoring_services import ASPIRATIONS_LIMIT, NOTES_LIMIT, REASON_LIMIT


def _number(label: str, help_text: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        **kwargs,
    )


class MenteeForm(GovukForm):
    """Asking for a mentor."""

    aspirations = forms.CharField(
        label="What you want to grow",
        help_text="Name the skills you want to learn, separated by commas (for example "
        "Budgeting, Leading a team), then anything else your mentor should know",
        max_length=ASPIRATIONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what you want to grow, such as the skills you want to learn"
        },
    )
    skills = forms.CharField(
        label="Your skills",
        help_text="Separate skills with commas",
        required=False,
        max_length=2_500,
    )
    prefers_other_sector = forms.BooleanField(
        label="I would like a mentor from another sector", required=False, initial=True
    )


class MentorForm(GovukForm):
    """Offering to mentor."""

    skills = forms.CharField(
        label="Skills you can offer",
        help_text="Separate skills with commas",
        max_length=2_500,
        error_messages={"required": "Enter at least one skill you can offer"},
    )
    capacity = _number("Mentees at once", "From 1 to 10", initial="1")
    aspirations = forms.CharField(
        label="About your mentoring",
        help_text="Your experience, and what mentees can expect",
        required=False,
        max_length=ASPIRATIONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    prefers_other_sector = forms.BooleanField(
        label="I would like to mentor someone from another sector", required=False, initial=True
    )


class MeetingForm(GovukForm):
    """A meeting of a pair."""

    met_on = DateInputField(label="Date you met", help_text="For example, 27 3 2027")
    minutes = _number(
        "Minutes", "How long you met, in minutes", error_messages={"required": "Enter the minutes"}
    )
    notes = forms.CharField(
        label="Notes",
        help_text="Both of you can read these",
        required=False,
        max_length=NOTES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EndForm(GovukForm):
    """Ending a pairing."""

    end_reason = forms.CharField(
        label="Why the pairing is ending",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the pairing is ending"},
    )


class ConfirmForm(GovukForm):
    """A button with nothing to fill in; carries a service's refusal as an error."""
