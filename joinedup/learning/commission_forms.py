"""Forms of the joint commission pages: places, terms and the programme (rules: the service)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from joinedup.lib.govuk_forms import GovukForm

from .commissions import MOST_PLACES
from .forms import GovukRadios
from .models import Programme, SplitMethod


class PlacesForm(GovukForm):
    """How many learners or places an organisation commits."""

    places = forms.IntegerField(
        label="Places your organisation commits",
        help_text="The number of your staff who will take the programme",
        min_value=1,
        max_value=MOST_PLACES,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number",
            "min_value": f"Places must be from 1 to {MOST_PLACES:,}",
            "max_value": f"Places must be from 1 to {MOST_PLACES:,}",
        },
    )


class StartForm(PlacesForm):
    """The lead's own places and how the cost will be split."""

    split_method = forms.ChoiceField(
        label="How will the cost be split?",
        choices=SplitMethod.choices,
        initial=SplitMethod.PLACES,
        widget=GovukRadios,
        error_messages={"required": "Choose how to split the cost"},
    )


class TermsForm(GovukForm):
    """The split method and total the lead previews, saves or agrees."""

    split_method = forms.ChoiceField(
        label="How will the cost be split?",
        choices=SplitMethod.choices,
        widget=GovukRadios,
        error_messages={
            "required": "Choose how to split the cost",
            "invalid_choice": "Choose how to split the cost",
        },
    )
    total_cost = forms.CharField(
        label="Total cost in pounds",
        help_text="Leave blank for the design cost plus delivery of every committed place",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class ProgrammeForm(GovukForm):
    """The lead's programme the commission produced."""

    def __init__(self, *args, programmes: QuerySet[Programme], **kwargs) -> None:
        programme = forms.ModelChoiceField(
            label="Programme",
            queryset=programmes,
            empty_label="Choose a programme",
            error_messages={
                "required": "Choose the programme",
                "invalid_choice": "Choose one of your organisation's programmes open to partners",
            },
        )
        # Built before the form is bound: GovukForm reads the errors while it sets up.
        self.base_fields = {**self.base_fields, "programme": programme}
        super().__init__(*args, **kwargs)
