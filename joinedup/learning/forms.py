"""Forms of the learning pages: the catalogue's search and filters, and the booking note."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .models import DeliveryMode, ProgrammeKind


class SearchInput(forms.TextInput):
    input_type = "search"


class CatalogueFilterForm(GovukForm):
    """The catalogue's search box and filter panel (a GET form; every field optional)."""

    q = forms.CharField(
        label="Search",
        help_text="Words in the title or summary, like safeguarding",
        required=False,
        max_length=100,
        widget=SearchInput(),
        error_messages={"max_length": "Search terms must be 100 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All kinds"), *ProgrammeKind.choices],
        error_messages={"invalid_choice": "Choose a kind of programme from the list"},
    )
    mode = forms.ChoiceField(
        label="Delivery mode",
        required=False,
        choices=[("", "All delivery modes"), *DeliveryMode.choices],
        error_messages={"invalid_choice": "Choose a delivery mode from the list"},
    )

    date_from = DateInputField(
        label="From date",
        help_text="Runs with a session on or after this day, for example 3 3 2027",
        required=False,
    )
    date_to = DateInputField(
        label="To date",
        help_text="Runs with a session on or before this day, for example 31 3 2027",
        required=False,
    )
    bookable = forms.BooleanField(label="Has places I can book", required=False)

    def __init__(
        self,
        *args,
        hosts: list[tuple[int, str]],
        topics: list[tuple[int, str]],
        **kwargs,
    ) -> None:
        host = forms.TypedChoiceField(
            label="Host organisation",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "All host organisations"), *hosts],
            error_messages={"invalid_choice": "Choose a host organisation from the list"},
        )
        topic = forms.TypedChoiceField(
            label="Topic",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "All topics"), *topics],
            error_messages={"invalid_choice": "Choose a topic from the list"},
        )
        fields = dict(self.base_fields)
        dates = {name: fields.pop(name) for name in ("date_from", "date_to", "bookable")}
        self.base_fields = {**fields, "host": host, "topic": topic, **dates}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "To date must be the same as or after the from date")
        return cleaned


class BookForm(GovukForm):
    """Booking a place on a run, with an optional note of reasonable adjustments."""

    note = forms.CharField(
        label="Reasonable adjustments (optional)",
        help_text="Anything the host should arrange so you can take part. Only the host's "
        "learning and development lead and the programme leader see this.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Reasonable adjustments must be 2,000 characters or fewer"},
    )


class ConfirmForm(GovukForm):
    """A confirmation button with nothing to fill in; carries a service's refusal as an error."""
