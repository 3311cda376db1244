"""Forms of the initiatives register and the missions vocabulary. They check the shape of what
was typed; the rules are the services' (`initiatives.py`, `missions.py`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from joinedup.partnership.forms import DateInputField
from joinedup.partnership.models import Partnership, Sector

from . import places
from .models import InitiativeStatus, Level, Mission, Problem

BLANK = [("", "Any")]


class MissionForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Description",
        help_text="What the partnership means by it, in a sentence or two",
    )

    def __init__(self, *args, partnerships: list[Partnership], retired: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if len(partnerships) > 1:
            self.fields["partnership"] = forms.TypedChoiceField(
                coerce=int,
                choices=[(p.pk, p.name) for p in partnerships],
                label="Partnership",
            )
            self.order_fields(["partnership"])
        if retired:
            self.fields["retired"] = forms.BooleanField(
                required=False,
                label="Retired",
                help_text="Kept on the initiatives that name it, but no longer offered",
            )


def _place_codes(text: str) -> list[str]:
    """One local authority a line (its GSS code or its exact name) as GSS codes; an unknown one
    is refused by name."""
    codes, unknown = [], []
    for line in text.splitlines():
        wanted = line.strip()
        if not wanted:
            continue
        place = places.place_for(wanted) or next(
            (p for p in places.search(wanted) if p.name.casefold() == wanted.casefold()), None
        )
        if place is None:
            unknown.append(wanted)
        else:
            codes.append(place.gss_code)
    if unknown:
        raise ValidationError(f"Not an English local authority: {', '.join(unknown)}")
    return codes


class InitiativeForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        label="Summary",
        help_text="What the initiative does and for whom",
    )
    problem = forms.ChoiceField(
        choices=[("", "Choose a problem"), *Problem.choices],
        label="Problem or root cause it addresses",
    )
    problem_detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        required=False,
        label="The root cause, in a sentence or two",
    )
    missions = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Partnership missions it serves",
    )
    levels = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        choices=Level.choices,
        required=False,
        label="Levels of government involved",
    )
    sectors = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        choices=Sector.choices,
        required=False,
        label="Sectors involved",
    )
    places = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        required=False,
        label="Places",
        help_text="One local authority a line: its name (Barnet) or its GSS code (E09000003)",
    )
    started_on = DateInputField(
        required=False, label="Start date", help_text="For example, 27 3 2025"
    )
    ended_on = DateInputField(
        required=False, label="End date", help_text="Leave blank if it has not ended"
    )
    status = forms.ChoiceField(
        choices=[("", "Choose a status"), *InitiativeStatus.choices], label="Status"
    )
    funding_amount = forms.CharField(
        required=False,
        max_length=30,
        label="Funding in pounds",
        help_text="The total, for example 250000 or 1250.50",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    funding_source = forms.CharField(
        required=False, max_length=200, label="Where the funding comes from"
    )
    is_public = forms.BooleanField(
        required=False,
        label="Public",
        help_text="Its summary is published on the open register, with organisations named but "
        "no people",
    )

    def __init__(
        self,
        *args,
        partnerships: list[Partnership],
        missions: list[Mission],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        several = len({mission.partnership_id for mission in missions}) > 1
        self.fields["missions"].choices = [
            (
                str(mission.pk),
                f"{mission.name} ({mission.partnership.name})" if several else mission.name,
            )
            for mission in missions
        ]
        if len(partnerships) > 1:
            self.fields["partnership"] = forms.TypedChoiceField(
                coerce=int,
                choices=[("", "Choose a partnership"), *((p.pk, p.name) for p in partnerships)],
                label="Partnership",
            )
            self.order_fields(["partnership"])

    def clean_places(self) -> list[str]:
        return _place_codes(self.cleaned_data["places"])


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Words")
    problem = forms.ChoiceField(choices=BLANK + Problem.choices, required=False, label="Problem")
    mission = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Mission")
    status = forms.ChoiceField(
        choices=BLANK + InitiativeStatus.choices, required=False, label="Status"
    )
    sector = forms.ChoiceField(choices=BLANK + Sector.choices, required=False, label="Sector")
    level = forms.ChoiceField(
        choices=BLANK + Level.choices, required=False, label="Level of government"
    )
    place = forms.CharField(
        required=False,
        max_length=100,
        label="Place",
        help_text="A local authority's name or GSS code",
    )

    def __init__(self, *args, missions: list[Mission], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = BLANK + [(m.pk, m.name) for m in missions]
