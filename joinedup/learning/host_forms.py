"""Forms of the host's pages: a programme, a run with its sessions, and cancelling a run.

The forms read what was typed into the types the services take; the services check the rules
and name the field of any refusal (`show_refusal` puts it on the field here).
"""

from __future__ import annotations

import datetime as dt

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .models import (
    DEFAULT_OFFER_WINDOW_HOURS,
    LONDON,
    DeliveryMode,
    ProgrammeKind,
    ReleaseMode,
    Run,
    SharingPolicy,
)

SENIORITY = [(number, str(number)) for number in range(1, 10)]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%H:%M:%S"]
# Dates outside these years are typing mistakes (and would overflow working out a cut-off).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A service refusal naming a model field is shown on the form field that holds it.
FIELD_FOR = {"cut_off_at": "cut_off_date", "bookings_close_at": "bookings_close_date"}


def _amount_field(label: str, help_text: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _time_field(label: str, *, required: bool = False) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        help_text="24-hour clock, like 09:30",
        widget=forms.TimeInput(format="%H:%M", attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": f"{label} must be a time on the 24-hour clock, like 09:30",
            "required": f"Enter the {label.lower()}",
        },
    )


def _whole_field(label: str, help_text: str = "", *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 0 or more",
            "required": f"Enter the {label.lower()}",
        },
    )


class ProgrammeForm(GovukForm):
    """A programme the host offers: what it is, who it is for, its costs and sharing policy."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    summary = forms.CharField(
        label="Summary", help_text="One sentence for the catalogue", required=False
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=ProgrammeKind.choices,
        error_messages={"required": "Choose a kind", "invalid_choice": "Choose a kind"},
    )
    delivery_mode = forms.ChoiceField(
        label="Delivery mode",
        choices=DeliveryMode.choices,
        error_messages={"required": "Choose a delivery mode", "invalid_choice": "Choose a mode"},
    )
    audience = forms.CharField(label="Who it is for", required=False)
    seniority_min = forms.TypedChoiceField(
        label="Lowest seniority", choices=SENIORITY, coerce=int, initial=1
    )
    seniority_max = forms.TypedChoiceField(
        label="Highest seniority", choices=SENIORITY, coerce=int, initial=9
    )
    topics = forms.CharField(
        label="Topics", help_text="Separate topics with commas", required=False
    )
    hours = _amount_field("Length in hours", "For example, 6 or 3.5")
    provider = forms.CharField(
        label="Provider",
        help_text="A named supplier; leave blank if delivered internally",
        required=False,
    )
    cost_per_place = _amount_field("Cost per place", "To your organisation, in pounds")
    partner_price = _amount_field(
        "Partner price per place", "Charged to a partner for each place, in pounds; may be 0"
    )
    sharing_policy = forms.ChoiceField(
        label="Who may book",
        choices=SharingPolicy.choices,
        initial=SharingPolicy.OWN_THEN_PARTNERS,
        error_messages={"required": "Choose who may book", "invalid_choice": "Choose who may book"},
    )
    approval_required = forms.BooleanField(
        label="A line manager must approve each booking", required=False
    )
    delivered_by_accredited_trainers = forms.BooleanField(
        label="Delivered by accredited trainers",
        help_text="Only trainers accredited for it (train-the-trainer) deliver its runs; your "
        "L&D lead or programme leader accredits the first trainers",
        required=False,
    )
    joining_instructions = forms.CharField(
        label="Joining instructions",
        help_text="Sent with each confirmed place",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_topics(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["topics"].split(",") if name.strip()]


class RunForm(GovukForm):
    """A run: its sessions (or a completion deadline when self-paced), places and charging."""

    capacity = _whole_field("Places", "How many people can take part", required=True)
    cut_off_date = DateInputField(
        label="Cut-off date",
        required=False,
        help_text="Unfilled places go to partners after this. Leave blank for 21 days before "
        "the first session.",
    )
    cut_off_time = _time_field("Cut-off time")
    bookings_close_date = DateInputField(
        label="Bookings close date",
        required=False,
        help_text="Leave blank to close bookings when the first session starts",
    )
    bookings_close_time = _time_field("Bookings close time")
    completion_deadline = DateInputField(
        label="Complete by", required=False, help_text="For self-paced learning"
    )
    partner_price = _amount_field(
        "Partner price per place", "Leave blank for the programme's price", required=False
    )
    charge_attended = forms.BooleanField(
        label="Charge partners for places attended", required=False, initial=True
    )
    charge_no_shows = forms.BooleanField(label="Charge partners for no-shows", required=False)
    charge_late_cancellations = forms.BooleanField(
        label="Charge partners for late cancellations", required=False
    )
    late_cancellation_days = _whole_field(
        "Late means within this many days", "Only when charging late cancellations"
    )
    partner_cap = _whole_field("Most places any one partner may hold", "Leave blank for no limit")
    release_mode = forms.ChoiceField(
        label="When places are released",
        choices=ReleaseMode.choices,
        initial=ReleaseMode.CONFIRM,
        error_messages={"invalid_choice": "Choose how released places are given"},
    )
    offer_window_hours = _whole_field(
        "Hours to accept an offer", "When places are offered", required=True
    )

    def __init__(self, *args, session_rows: int, **kwargs) -> None:
        sessions = {}
        for number in range(1, session_rows + 1):
            sessions |= {
                f"session_{number}_date": DateInputField(label="Date", required=False),
                f"session_{number}_starts_at": _time_field("Start time"),
                f"session_{number}_ends_at": _time_field("End time"),
                f"session_{number}_venue": forms.CharField(
                    label="Venue address",
                    required=False,
                    max_length=500,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
                f"session_{number}_online_link": forms.URLField(
                    label="Online link",
                    required=False,
                    assume_scheme="https",
                    max_length=200,
                    error_messages={
                        "invalid": "Enter a web address, like https://example.com",
                        "max_length": "Online link must be 200 characters or fewer",
                    },
                ),
            }
        self.session_rows = session_rows
        self.base_fields = {**sessions, **self.base_fields}
        kwargs.setdefault("initial", {"offer_window_hours": DEFAULT_OFFER_WINDOW_HOURS})
        super().__init__(*args, **kwargs)

    def session_fields(self) -> list[list[forms.BoundField]]:
        """The bound fields of each session row, for the template's fieldsets."""
        names = ("date", "starts_at", "ends_at", "venue", "online_link")
        return [
            [self[f"session_{number}_{name}"] for name in names]
            for number in range(1, self.session_rows + 1)
        ]

    def _moment(
        self, day_field: str, time_field: str, default: dt.time | None
    ) -> dt.datetime | None:
        day, time = self.cleaned_data.get(day_field), self.cleaned_data.get(time_field)
        if day is None and time is not None:
            self.add_error(day_field, "Enter a date for that time")
        if day is None or (time is None and default is None):
            if day is not None:
                self.add_error(time_field, "Enter a time for that date")
            return None
        return dt.datetime.combine(day, time or default, tzinfo=LONDON)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, field in self.fields.items():
            day = cleaned.get(name)
            if (
                isinstance(field, DateInputField)
                and day
                and not FIRST_YEAR <= day.year <= LAST_YEAR
            ):
                self.add_error(name, f"{field.label} must be between {FIRST_YEAR} and {LAST_YEAR}")
        sessions = []
        for number in range(1, self.session_rows + 1):
            row = {
                name: cleaned.get(f"session_{number}_{name}")
                for name in ("date", "starts_at", "ends_at", "venue", "online_link")
            }
            if not any(row.values()):
                continue
            for name in ("date", "starts_at", "ends_at"):
                field = f"session_{number}_{name}"
                if row[name] is None and field not in self.errors:
                    what = {"date": "a date", "starts_at": "a start time", "ends_at": "an end time"}
                    self.add_error(field, f"Session {number} needs {what[name]}")
            sessions.append(row)
        cleaned["sessions"] = sessions
        cleaned["cut_off_at"] = self._moment("cut_off_date", "cut_off_time", dt.time(17, 0))
        cleaned["bookings_close_at"] = self._moment(
            "bookings_close_date", "bookings_close_time", None
        )
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as the keyword arguments `add_run` and `update_run` take."""
        data = self.cleaned_data
        price = data["partner_price"].strip() if data.get("partner_price") else None
        return {
            "sessions": data["sessions"],
            "capacity": data["capacity"],
            "cut_off_at": data["cut_off_at"],
            "bookings_close_at": data["bookings_close_at"],
            "completion_deadline": data["completion_deadline"],
            "partner_price": price,
            "charge_attended": data["charge_attended"],
            "charge_no_shows": data["charge_no_shows"],
            "charge_late_cancellations": data["charge_late_cancellations"],
            "late_cancellation_days": data["late_cancellation_days"],
            "partner_cap": data["partner_cap"],
            "release_mode": data["release_mode"],
            "offer_window_hours": data["offer_window_hours"],
        }


def run_initial(run: Run) -> dict:
    """A run's current values as the form's initial data."""
    cut_off = run.cut_off_at.astimezone(LONDON)
    initial = {
        "capacity": run.capacity,
        "cut_off_date": cut_off.date(),
        "cut_off_time": cut_off.time(),
        "completion_deadline": run.completion_deadline,
        "partner_price": run.partner_price,
        "charge_attended": run.charge_attended,
        "charge_no_shows": run.charge_no_shows,
        "charge_late_cancellations": run.charge_late_cancellations,
        "late_cancellation_days": run.late_cancellation_days,
        "partner_cap": run.partner_cap,
        "release_mode": run.release_mode,
        "offer_window_hours": run.offer_window_hours,
    }
    if run.bookings_close_at:
        close = run.bookings_close_at.astimezone(LONDON)
        initial |= {"bookings_close_date": close.date(), "bookings_close_time": close.time()}
    for number, session in enumerate(run.sessions.all(), start=1):
        for name in ("date", "starts_at", "ends_at", "venue", "online_link"):
            initial[f"session_{number}_{name}"] = getattr(session, name)
    return initial


class CancelRunForm(GovukForm):
    """Cancelling a run: the reason is shown to everyone booked."""

    reason = forms.CharField(
        label="Why is the run cancelled?",
        help_text="Everyone booked or waiting is told this reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a reason for cancelling the run",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
    )
