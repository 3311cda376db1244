"""Forms of the learning pages: the catalogue's search and filters, and the booking note."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm, QuickSelect, optional_id_choice
from joinedup.partnership.forms import DateInputField

from . import attendance
from .models import DeliveryMode, Outcome, ProgrammeKind


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
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose a kind of programme from the list"},
    )
    mode = forms.ChoiceField(
        label="Delivery mode",
        required=False,
        choices=[("", "All delivery modes"), *DeliveryMode.choices],
        widget=QuickSelect,
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
        host = optional_id_choice(
            label="Host organisation",
            everything="All host organisations",
            choices=hosts,
            noun="a host organisation",
        )
        topic = optional_id_choice(
            label="Topic", everything="All topics", choices=topics, noun="a topic"
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


# --- Attendance, outcomes and evaluations ---------------------------------------------------


class GovukRadios(forms.RadioSelect):
    """Radios whose first input carries the field's id, so labels and error links find it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class RegisterForm(GovukForm):
    """A session's register: present or absent for each person with a confirmed place."""

    def __init__(self, *args, people: list, marks: dict[int, bool], **kwargs) -> None:
        fields = {}
        for booking in people:
            name = booking.person.full_name
            fields[f"present_{booking.pk}"] = forms.ChoiceField(
                label=name,
                choices=[("yes", "Present"), ("no", "Absent")],
                widget=GovukRadios,
                initial={True: "yes", False: "no"}.get(marks.get(booking.pk)),
                error_messages={"required": f"Select whether {name} was present or absent"},
            )
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    def marks(self) -> dict[int, bool]:
        """Booking id to present (True) or absent (False)."""
        return {
            int(name.removeprefix("present_")): value == "yes"
            for name, value in self.cleaned_data.items()
        }


class OutcomesForm(GovukForm):
    """The outcome for each confirmed place; a place left blank stays unrecorded."""

    def __init__(self, *args, rows: list, **kwargs) -> None:
        fields = {}
        for row in rows:
            booking = row.booking
            fields[f"outcome_{booking.pk}"] = forms.ChoiceField(
                label=booking.person.full_name,
                choices=Outcome.choices,
                required=False,
                widget=GovukRadios,
                initial=booking.outcome or (Outcome.NO_SHOW if row.attended_none else None),
                error_messages={"invalid_choice": "Select an outcome from the list"},
            )
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    def outcomes(self) -> dict[int, str]:
        """Booking id to outcome, for the places given one."""
        return {
            int(name.removeprefix("outcome_")): value
            for name, value in self.cleaned_data.items()
            if value
        }


QUESTIONS = dict(attendance.QUESTIONS)
RATING_CHOICES = [
    (1, "1, very poor"),
    (2, "2, poor"),
    (3, "3, fair"),
    (4, "4, good"),
    (5, "5, excellent"),
]


def _rating(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=GovukRadios,
        error_messages={
            "required": f"Select a rating for \u201c{label}\u201d",
            "invalid_choice": "Select a rating from 1 to 5",
        },
    )


class EvaluationForm(GovukForm):
    """An attendee's evaluation: four ratings from 1 to 5 and two optional free texts."""

    rating_overall = _rating(QUESTIONS["rating_overall"])
    rating_content = _rating(QUESTIONS["rating_content"])
    rating_delivery = _rating(QUESTIONS["rating_delivery"])
    rating_usefulness = _rating(QUESTIONS["rating_usefulness"])
    went_well = forms.CharField(
        label="What went well?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "What went well must be 2,000 characters or fewer"},
    )
    to_improve = forms.CharField(
        label="What could be better?",
        help_text="The host sees your words without your name.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "What could be better must be 2,000 characters or fewer"},
    )


class DeclineRequestForm(GovukForm):
    """A line manager declining a report's booking request, with the reason they will see."""

    reason = forms.CharField(
        label="Why are you declining this booking?",
        help_text="The person will see this reason.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a reason for declining the booking",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


class BookForReportForm(GovukForm):
    """A line manager booking a place for one of their reports."""

    note = forms.CharField(
        label="Reasonable adjustments (optional)",
        help_text="Anything the host should arrange so they can take part. Only the host's "
        "learning and development lead and the programme leader see this.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Reasonable adjustments must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, reports: list[tuple[int, str]], **kwargs) -> None:
        person = forms.TypedChoiceField(
            label="Who are you booking for?",
            coerce=int,
            choices=[("", "Choose someone in your team"), *reports],
            error_messages={
                "required": "Choose who you are booking for",
                "invalid_choice": "Choose someone in your team from the list",
            },
        )
        self.base_fields = {"person": person, **self.base_fields}
        super().__init__(*args, **kwargs)


class CompletionsFilterForm(GovukForm):
    """The completions page's date filter (a GET form; both dates optional)."""

    completed_from = DateInputField(
        label="Completed from", required=False, help_text="For example, 1 9 2026"
    )
    completed_to = DateInputField(
        label="Completed to", required=False, help_text="For example, 31 3 2027"
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("completed_from"), cleaned.get("completed_to")
        if start and end and end < start:
            self.add_error(
                "completed_to", "Completed to must be the same as or after completed from"
            )
        return cleaned


class ReserveForm(GovukForm):
    """How many places a partner's L&D lead holds in their block on a run."""

    places = forms.IntegerField(
        label="Number of places",
        help_text="Your organisation holds these places until the cut-off; name people into them",
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Number of places must be a whole number",
            "min_value": "Number of places must be from 1 to 1,000",
            "max_value": "Number of places must be from 1 to 1,000",
        },
    )


class NameIntoBlockForm(GovukForm):
    """Choose one of the partner's current staff to name into its block."""

    def __init__(self, *args, staff: list[tuple[int, str]], **kwargs) -> None:
        person = forms.TypedChoiceField(
            label="Person",
            help_text="Current staff of your organisation who can take this programme",
            coerce=int,
            choices=[("", "Choose a person"), *staff],
            error_messages={
                "required": "Choose a person to name into the block",
                "invalid_choice": "Choose a person from the list",
            },
        )
        self.base_fields = {**self.base_fields, "person": person}
        super().__init__(*args, **kwargs)
