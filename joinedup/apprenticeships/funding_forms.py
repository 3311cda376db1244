"""Forms of the funding pages: adding a dated funding rule, and the funding check. They check the
shape of what was typed; the rules are `funding.py`'s (through `rules.py`)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from joinedup.lib.govuk_forms import GovukForm, QuickSelect
from joinedup.partnership.forms import DateInputField

from .models import FundingRuleKind, OffTheJobMethod, Standard

PAID_BY = [
    ("levy", "The employer's levy account"),
    ("transfer", "A levy transfer from a partner"),
    ("neither", "Neither: the employer does not pay the levy (co-funded)"),
]


class Radios(forms.RadioSelect):
    """Radios whose label target is the first radio (id `id_<name>` in learning/_radios.html), so
    the error summary's link reaches them."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


def _whole(label: str, low: int, high: int, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {low} or more",
            "max_value": f"{label} must be {high} or fewer",
        },
        **kwargs,
    )


def _decimal(label: str, low: Decimal, high: Decimal, places: int, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=low,
        max_value=high,
        decimal_places=places,
        max_digits=14,
        error_messages={
            "invalid": f"{label} must be a number",
            "min_value": f"{label} must be at least {low}",
            "max_value": f"{label} must be {high} or less",
            "max_decimal_places": f"{label} can have at most {places} decimal places",
            "max_digits": f"{label} is too long",
        },
        **kwargs,
    )


class FundingRuleForm(GovukForm):
    """A new dated rule: its kind, the date it applies to starts from, and the values its kind
    uses (the others are ignored)."""

    kind = forms.ChoiceField(
        label="Kind of rule",
        choices=[("", "Choose a kind"), *FundingRuleKind.choices],
        error_messages={"required": "Choose the kind of rule", "invalid_choice": "Choose a kind"},
    )
    applies_from = DateInputField(
        label="Applies to apprenticeships starting from",
        help_text="For example, 1 8 2027. Apprenticeships already started keep their rules.",
    )
    method = forms.ChoiceField(
        label="Off-the-job minimum: how it is worked out",
        required=False,
        choices=[("", "Not an off-the-job rule"), *OffTheJobMethod.choices],
    )
    percent = _decimal(
        "Off-the-job share of contracted hours (%)",
        Decimal("0.01"),
        Decimal(100),
        2,
        required=False,
        help_text="For a share of contracted hours, for example 20",
    )
    weekly_hours_cap = _decimal(
        "Most contracted hours a week counted",
        Decimal("0.01"),
        Decimal(168),
        2,
        required=False,
        help_text="Leave empty to count every contracted hour",
    )
    months = _whole(
        "Minimum duration in months", 1, 60, required=False, help_text="For a minimum duration"
    )
    level = _whole("Level the age rule applies to", 2, 7, required=False, help_text="Usually 7")
    age_limit = _whole(
        "Age limit",
        16,
        100,
        required=False,
        help_text="The levy pays only for apprentices younger than this at the start",
    )
    protected_age_limit = _whole(
        "Age limit for care leavers and EHC plan holders", 16, 100, required=False
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=300,
        help_text="Leave empty to describe the rule from its values",
    )


class FundingCheckForm(GovukForm):
    """The facts a funding decision rests on. Nothing typed here is stored."""

    start_on = DateInputField(label="Start date", help_text="For example, 1 9 2026")
    planned_end_on = DateInputField(label="Planned end date", help_text="For example, 31 8 2028")
    price = _decimal(
        "Agreed price",
        Decimal("0.01"),
        Decimal("10000000"),
        2,
        help_text="In pounds, for example 16000",
    )
    hours_per_week = _decimal(
        "Contracted hours a week", Decimal("0.01"), Decimal(168), 2, help_text="For example, 37.5"
    )
    prior_learning_hours = _whole(
        "Recognised prior learning in hours",
        0,
        100000,
        required=False,
        help_text="Taken off the standard's published off-the-job hours for starts from "
        "1 August 2025",
    )
    paid_by = forms.ChoiceField(
        label="Who pays",
        choices=PAID_BY,
        widget=Radios,
        error_messages={"required": "Choose who pays", "invalid_choice": "Choose who pays"},
    )
    date_of_birth = DateInputField(
        label="Apprentice's date of birth",
        required=False,
        help_text="Needed for Level 7 apprenticeships. For example, 27 3 2001",
    )
    care_leaver = forms.BooleanField(label="The apprentice is a care leaver", required=False)
    ehc_plan = forms.BooleanField(
        label="The apprentice holds an education, health and care (EHC) plan", required=False
    )

    field_order = ("standard",)

    def __init__(self, *args, standards: list[Standard], **kwargs) -> None:
        # GovukForm cleans a bound form while it starts: the choices must be there first.
        self.base_fields = {**self.base_fields, "standard": standard_field(standards)}
        self.standards = {standard.pk: standard for standard in standards}
        super().__init__(*args, **kwargs)


def standard_field(standards: list[Standard]) -> forms.TypedChoiceField:
    """A choice of the standards, by title, showing each one's code and level."""
    return forms.TypedChoiceField(
        label="Apprenticeship standard",
        coerce=int,
        widget=QuickSelect,
        choices=[
            ("", "Choose a standard"),
            *(
                (
                    standard.pk,
                    f"{standard.title} ({standard.reference_code})"
                    + (f", Level {standard.level}" if standard.level else ""),
                )
                for standard in standards
            ),
        ],
        error_messages={
            "required": "Choose the apprenticeship standard",
            "invalid_choice": "Choose a standard from the list",
        },
    )
