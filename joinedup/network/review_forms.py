"""Forms of the learning review and adoption pages. They read what was typed; `reviews` and
`spread` check the rules and name the field (or row and field) of any refusal, which
`show_refusal` puts on the form's field of the same name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from . import places
from .fields import TEXT_LIMIT
from .models import Rating
from .reviews import MAX_ROWS, TEXTS

BLANK_ROWS = 2
FEWEST_ROWS = 3
RATING_CHOICES = [("", "Not rated"), *Rating.choices]


def _area(label: str, help_text: str = "", *, required: bool = False, rows: int = 4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label.lower()}"},
    )


def row_count(data: QueryDict | None, name: str, saved: int) -> int:
    """How many rows of a list the form shows: what the posted form had, else the saved rows
    and two blank ones (at least three, at most `MAX_ROWS`)."""
    if data is not None and str(data.get(name, "")).isdigit():
        return max(1, min(int(data[name]), MAX_ROWS))
    return max(FEWEST_ROWS, min(saved + BLANK_ROWS, MAX_ROWS))


class ReviewForm(GovukForm):
    """A learning review: the date, what was learnt, ratings, then rows of evidence and of
    outcome measures."""

    reviewed_on = DateInputField(label="Date of the review", help_text="For example, 27 3 2027")
    what_worked = _area(TEXTS["what_worked"], required=True)
    what_did_not = _area(TEXTS["what_did_not"])
    place_history = _area(
        "History", "Earlier programmes, reorganisations or events that shaped the result"
    )
    place_geography = _area("Geography", "Rural or urban, distances, transport, boundaries")
    place_relationships = _area(
        "Relationships", "Trust between organisations and people, shared leaders, past disputes"
    )
    frontline_buy_in = forms.ChoiceField(
        label="Frontline buy-in", choices=RATING_CHOICES, required=False
    )
    frontline_buy_in_notes = _area(TEXTS["frontline_buy_in_notes"], rows=3)
    reporting_burden = forms.ChoiceField(
        label="Reporting burden", choices=RATING_CHOICES, required=False
    )
    reporting_burden_notes = _area(TEXTS["reporting_burden_notes"], rows=3)
    # How many rows of each list the form has (see `review_form`).
    evidence_rows = 0
    measure_rows = 0

    def evidence_groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (n, [self[f"evidence_{n}_{part}"] for part in ("title", "link", "material")])
            for n in range(1, self.evidence_rows + 1)
        ]

    def measure_groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (n, [self[f"measures_{n}_{part}"] for part in ("name", "value", "unit", "measured_on")])
            for n in range(1, self.measure_rows + 1)
        ]

    def to_data(self) -> dict[str, Any]:
        """What was typed, in the shape `reviews.add_review` takes."""
        data = {name: self.cleaned_data.get(name) for name in ReviewForm.base_fields}
        data["evidence"] = [
            {
                part: self.cleaned_data.get(f"evidence_{n}_{part}")
                for part in ("title", "link", "material")
            }
            for n in range(1, self.evidence_rows + 1)
        ]
        data["measures"] = [
            {
                part: self.cleaned_data.get(f"measures_{n}_{part}")
                for part in ("name", "value", "unit", "measured_on")
            }
            for n in range(1, self.measure_rows + 1)
        ]
        return data


def review_form(
    data: QueryDict | None,
    *,
    evidence_rows: int,
    measure_rows: int,
    initial: dict[str, Any] | None = None,
) -> ReviewForm:
    """A review form with this many rows of evidence and of outcome measures."""
    rows: dict[str, Any] = {"evidence_rows": evidence_rows, "measure_rows": measure_rows}
    for n in range(1, evidence_rows + 1):
        rows[f"evidence_{n}_title"] = forms.CharField(label="Title", required=False, max_length=200)
        rows[f"evidence_{n}_link"] = forms.CharField(
            label="Link",
            help_text="Starting with https://",
            required=False,
            max_length=500,
            widget=forms.URLInput(attrs={"spellcheck": "false"}),
        )
        rows[f"evidence_{n}_material"] = forms.CharField(
            label="Or a material from the library",
            help_text="Its number or its address, for example /materials/123/",
            required=False,
            max_length=500,
            widget=forms.TextInput(attrs={"spellcheck": "false"}),
        )
    for n in range(1, measure_rows + 1):
        rows[f"measures_{n}_name"] = forms.CharField(label="Name", required=False, max_length=200)
        rows[f"measures_{n}_value"] = forms.CharField(
            label="Value",
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        )
        rows[f"measures_{n}_unit"] = forms.CharField(
            label="Unit", help_text="For example people, days or %", required=False, max_length=50
        )
        rows[f"measures_{n}_measured_on"] = DateInputField(
            label=f"Date measure {n} was taken", required=False
        )
    form_class = type("ReviewRowsForm", (ReviewForm,), rows)
    return form_class(data, initial=initial)


def review_initial(data: dict[str, Any]) -> dict[str, Any]:
    """A saved review's data (`reviews.review_data`) as the form's initial values."""
    initial = {key: value for key, value in data.items() if key not in ("evidence", "measures")}
    for n, row in enumerate(data["evidence"], start=1):
        initial |= {f"evidence_{n}_{key}": value for key, value in row.items()}
    for n, row in enumerate(data["measures"], start=1):
        initial |= {f"measures_{n}_{key}": value for key, value in row.items()}
    return initial


def _place_choices() -> list[tuple[str, str]]:
    return [("", "No particular place"), *((p.gss_code, p.name) for p in places.all_places())]


class AdoptionForm(GovukForm):
    """That the acting organisation took an initiative on, and what it changed."""

    gss_code = forms.ChoiceField(
        label="Place",
        help_text="The local authority area where you run it, if it is in England",
        required=False,
        choices=_place_choices,
        error_messages={"invalid_choice": "Choose an English local authority from the list"},
    )
    adopted_on = DateInputField(label="Date adopted", help_text="For example, 27 3 2027")
    local_changes = forms.CharField(
        label="What you changed",
        help_text="What you changed for local conditions, and why",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what your organisation changed for local conditions"},
    )
    lessons = _area("What you learnt", "What others taking it on should know")
