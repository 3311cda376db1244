"""Forms of the learning pages: the catalogue's search and filters, and the booking note."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm

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

    def __init__(self, *args, hosts: list[tuple[int, str]], **kwargs) -> None:
        host = forms.TypedChoiceField(
            label="Host organisation",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "All host organisations"), *hosts],
            error_messages={"invalid_choice": "Choose a host organisation from the list"},
        )
        self.base_fields = {**self.base_fields, "host": host}
        super().__init__(*args, **kwargs)


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
