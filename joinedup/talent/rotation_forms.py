"""Forms of the rotation scheme pages.

The forms read what was typed; `talent.rotations` checks the rules and names the field of any
refusal (`show_refusal` puts it on the field here).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .rotations import MAX_CAPACITY, MAX_PLACEMENT_MONTHS, MAX_ROUNDS


def _whole_number(label: str, help_text: str, low: int, high: int, **kwargs) -> forms.IntegerField:
    message = f"{label} must be a whole number from {low} to {high}"
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


class ConfirmForm(GovukForm):
    """A confirmation button with nothing to fill in; carries a service's refusal as an error."""


class SchemeForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name"}
    )
    description = forms.CharField(
        label="Description",
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rounds = _whole_number(
        "Number of rounds", "Placements each participant has, for example 3", 1, MAX_ROUNDS
    )
    placement_months = _whole_number(
        "Months per placement",
        "How long each placement lasts, for example 8",
        1,
        MAX_PLACEMENT_MONTHS,
    )


class CohortForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="For example, 2027 intake",
        max_length=200,
        error_messages={"required": "Enter a name"},
    )
    starts_on = DateInputField(
        label="Start date", help_text="The first placement starts on this day, for example 4 1 2027"
    )


class ParticipantForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address",
        help_text="Their work e-mail address at a member organisation",
        max_length=254,
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address like name@example.org",
        },
    )


class PostForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    description = forms.CharField(
        label="Description",
        help_text="What the participant would do, and with whom",
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = _whole_number("Places", "How many participants the post can take", 1, MAX_CAPACITY)


class RankingForm(GovukForm):
    """A rank box per choice (1 is the first choice; blank leaves it out). Cleans to the chosen
    ids, best first, as `ranked`."""

    def __init__(self, *args, choices: Sequence[tuple[int, str]], noun: str, **kwargs) -> None:
        self.noun = noun
        self.choice_ids = [pk for pk, _ in choices]
        message = f"Rank must be a whole number from 1 to {max(len(choices), 1)}"
        # Before GovukForm's __init__, which validates a bound form to mark fields in error.
        self.base_fields = {
            f"rank_{pk}": forms.IntegerField(
                label=f"Rank for {label}",
                required=False,
                min_value=1,
                max_value=max(len(choices), 1),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
                error_messages={"invalid": message, "min_value": message, "max_value": message},
            )
            for pk, label in choices
        }
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] += " govuk-input--width-2"

    def clean(self) -> dict:
        cleaned = super().clean()
        seen: dict[int, str] = {}
        for pk in self.choice_ids:
            name = f"rank_{pk}"
            rank = cleaned.get(name)
            if rank is None:
                continue
            if rank in seen:
                self.add_error(
                    name, f"Rank {rank} is given to two {self.noun}s: give each a different rank"
                )
            seen[rank] = name
        ordered = sorted(
            (cleaned[f"rank_{pk}"], pk)
            for pk in self.choice_ids
            if cleaned.get(f"rank_{pk}") is not None
        )
        cleaned["ranked"] = [pk for _, pk in ordered]
        return cleaned


class PlaceForm(GovukForm):
    """Place an unmatched participant by hand."""

    participant = forms.TypedChoiceField(
        label="Participant",
        coerce=int,
        error_messages={
            "required": "Choose a participant",
            "invalid_choice": "Choose a participant from the list",
        },
    )
    post = forms.TypedChoiceField(
        label="Post",
        help_text="Posts with a free place",
        coerce=int,
        error_messages={
            "required": "Choose a post",
            "invalid_choice": "Choose a post from the list",
        },
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why they are placed by hand; kept with the placement",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, participants, posts, **kwargs) -> None:
        # Before GovukForm's __init__, which validates a bound form to mark fields in error.
        fields = copy.deepcopy(type(self).base_fields)
        fields["participant"].choices = [("", "Choose a participant"), *participants]
        fields["post"].choices = [("", "Choose a post"), *posts]
        self.base_fields = fields
        super().__init__(*args, **kwargs)
