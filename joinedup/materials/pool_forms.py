"""The trainer pool's forms: a trainer's offer and availability, and the pool search filters."""

from __future__ import annotations

import copy
import datetime as dt

from django import forms

from joinedup.lib.govuk_forms import GovukForm, optional_id_choice
from joinedup.partnership.forms import DateInputField

from .pool_queries import LONGEST_SPAN
from .services.pool import DAYS_PER_MONTH_MAX, NOTE_MAX, RANGE_NOTE_MAX

DAYS_ERROR = "Days per month must be a whole number from 1 to 31"


class OfferForm(GovukForm):
    """Join the pool, or change the offer: days per month, partners, a note."""

    days_per_month = forms.IntegerField(
        label="Days per month",
        help_text="The most days a month you can deliver for partners, like 2; blank for no limit",
        required=False,
        min_value=1,
        max_value=DAYS_PER_MONTH_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": DAYS_ERROR,
            "min_value": DAYS_ERROR,
            "max_value": DAYS_ERROR,
        },
    )
    partners = forms.TypedMultipleChoiceField(
        label="Partner organisations you will deliver for",
        help_text="Choose none to deliver for every partner",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose partner organisations from the list"},
    )
    note = forms.CharField(
        label="Note for partners",
        help_text="For example, the days of the week that suit you",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"A note must be {NOTE_MAX:,} characters or fewer"},
    )

    def __init__(self, *args, partners: list[tuple[int, str]], **kwargs) -> None:
        # Before GovukForm's __init__, which validates a bound form to mark fields in error.
        chosen = copy.deepcopy(type(self).base_fields["partners"])
        chosen.choices = partners
        self.base_fields = {**type(self).base_fields, "partners": chosen}
        super().__init__(*args, **kwargs)


class AvailabilityForm(GovukForm):
    """A range of dates the trainer can deliver on."""

    starts_on = DateInputField(label="First date", help_text="For example, 2 3 2027")
    ends_on = DateInputField(label="Last date", help_text="The same as the first for one day")
    note = forms.CharField(
        label="Note",
        help_text="For example, 'Tuesdays and Wednesdays only'",
        required=False,
        max_length=RANGE_NOTE_MAX,
        error_messages={"max_length": f"A note must be {RANGE_NOTE_MAX} characters or fewer"},
    )

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last date must be the same as or after the first date")
        return data


class PoolSearchForm(GovukForm):
    """The pool search filters (a GET form; every field optional)."""

    available_from = DateInputField(
        label="Available from", required=False, help_text="For example, 2 3 2027"
    )
    available_to = DateInputField(
        label="Available until", required=False, help_text="Blank for the one day"
    )

    def __init__(
        self,
        *args,
        programmes: list[tuple[int, str]],
        organisations: list[tuple[int, str]],
        **kwargs,
    ) -> None:
        programme = optional_id_choice(
            label="Programme", everything="All programmes", choices=programmes, noun="a programme"
        )
        organisation = optional_id_choice(
            label="Lending organisation",
            everything="All organisations",
            choices=organisations,
            noun="an organisation",
        )
        self.base_fields = {
            "programme": programme,
            "organisation": organisation,
            **{k: v for k, v in type(self).base_fields.items() if k.startswith("available")},
        }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        first: dt.date | None = data.get("available_from")
        last: dt.date | None = data.get("available_to")
        if last and not first and "available_from" not in self.errors:
            self.add_error("available_from", "Enter the first date you need the trainer")
        elif first and last and last < first:
            self.add_error("available_to", "The last date must be the same as or after the first")
        elif first and last and last - first > LONGEST_SPAN:
            self.add_error("available_to", "The dates must be within a year of each other")
        return data
