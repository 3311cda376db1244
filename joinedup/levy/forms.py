"""Forms for setting up a levy account: schemes, declarations, the import and commitments."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from joinedup.lib.govuk_forms import GovukForm, QuickSelect
from joinedup.partnership.forms import DateInputField

from .declaration_file import MAX_BYTES, megabytes
from .models import CommitmentStatus, LevyAccount
from .standards import standards

MONTHS = (
    "April to 5 May",
    "May to 5 June",
    "June to 5 July",
    "July to 5 August",
    "August to 5 September",
    "September to 5 October",
    "October to 5 November",
    "November to 5 December",
    "December to 5 January",
    "January to 5 February",
    "February to 5 March",
    "March to 5 April",
)
PAYROLL_MONTHS = [("", "Choose a month")] + [
    (str(number), f"{number}: 6 {span}") for number, span in enumerate(MONTHS, start=1)
]


def _amount(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=20,
        decimal_places=5,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{label} must be an amount, like 12500.50",
            "max_digits": f"{label} is too large",
            "max_decimal_places": f"{label} must have no more than 5 decimal places",
            "max_whole_digits": f"{label} is too large",
            "min_value": f"{label} must be more than £0",
        },
        **kwargs,
    )


def _standard_choices() -> list[tuple[str, str]]:
    return [("", "Choose a standard")] + [
        (standard.code, standard.label) for standard in standards().values()
    ]


class SchemeForm(GovukForm):
    reference = forms.CharField(
        label="PAYE scheme reference",
        max_length=20,
        help_text="The employer PAYE reference: 3 digits, a slash, then letters and digits, "
        "like 123/AB45678",
        error_messages={"required": "Enter the PAYE scheme reference, like 123/AB45678"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="What you call this payroll, for example Schools payroll",
    )


class DeclarationForm(GovukForm):
    """One month's levy declaration as the employer payment summary gave it."""

    payroll_year = forms.CharField(
        label="Tax year",
        max_length=5,
        help_text="Like 25-26 for 6 April 2025 to 5 April 2026",
        error_messages={"required": "Enter the tax year, like 25-26"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
    )
    payroll_month = forms.TypedChoiceField(
        label="Payroll month",
        choices=PAYROLL_MONTHS,
        coerce=int,
        error_messages={
            "required": "Choose the payroll month",
            "invalid_choice": "Choose a payroll month from 1 to 12",
        },
    )
    levy_due_ytd = _amount(
        "Levy due for the year so far (£)",
        required=False,
        help_text="The year-to-date figure on the employer payment summary",
    )
    no_payment = forms.BooleanField(
        label="No payment for period",
        required=False,
        help_text="Tick when the summary said there was no payment for this period",
    )
    submitted_on = DateInputField(
        label="Submission date", help_text="The day it was sent to HMRC, for example 15 5 2025"
    )
    submission_id = forms.CharField(
        label="Submission id",
        max_length=64,
        required=False,
        help_text="HMRC's id of the submission, if you have it; we make one up if not",
    )

    field_order = ("scheme", "payroll_year", "payroll_month", "levy_due_ytd", "no_payment")

    def __init__(self, *args, account: LevyAccount, **kwargs) -> None:
        self.base_fields = {
            **self.base_fields,
            "scheme": forms.ModelChoiceField(
                label="PAYE scheme",
                queryset=account.schemes.all(),
                empty_label="Choose a scheme",
                error_messages={
                    "required": "Choose the PAYE scheme",
                    "invalid_choice": "Choose one of this account's PAYE schemes",
                },
            ),
        }
        super().__init__(*args, **kwargs)

    def clean_payroll_year(self) -> str:
        return self.cleaned_data["payroll_year"].strip()

    def clean(self) -> dict:
        data = super().clean()
        if "levy_due_ytd" not in data:
            return data
        if data.get("no_payment") and data["levy_due_ytd"] is not None:
            self.add_error(
                "levy_due_ytd", "Leave the levy due empty when there was no payment for the period"
            )
        elif not data.get("no_payment") and data["levy_due_ytd"] is None:
            self.add_error(
                "levy_due_ytd",
                "Enter the levy due for the year so far, or tick no payment for period",
            )
        return data


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Declarations file",
        help_text=f"A CSV file with the columns described above, smaller than "
        f"{megabytes(MAX_BYTES)}",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a declarations file",
            "empty": "The selected file is empty",
            "invalid": "Select a declarations file",
        },
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise ValidationError(
                f"The file must be smaller than {megabytes(MAX_BYTES)}; this one is "
                f"{megabytes(uploaded.size)}"
            )
        return uploaded


class ConfirmImportForm(GovukForm):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CommitmentForm(GovukForm):
    reference = forms.CharField(
        label="Your reference",
        max_length=60,
        help_text="Your own reference for this apprenticeship, unique in this account",
        error_messages={"required": "Enter your reference for the apprenticeship"},
    )
    provider = forms.CharField(
        label="Training provider",
        max_length=200,
        error_messages={"required": "Enter the training provider"},
    )
    standard = forms.ChoiceField(
        label="Apprenticeship standard",
        choices=_standard_choices,
        widget=QuickSelect,
        error_messages={
            "required": "Choose the apprenticeship standard",
            "invalid_choice": "Choose an apprenticeship standard from the list",
        },
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=[("", "Choose a level")] + [(str(level), str(level)) for level in range(2, 8)],
        coerce=int,
        error_messages={
            "required": "Choose the level",
            "invalid_choice": "Choose a level from 2 to 7",
        },
    )
    start_on = DateInputField(label="Start date", help_text="For example, 1 9 2026")
    planned_end_on = DateInputField(
        label="Planned end date",
        help_text="The last month is paid for only when this is its last day, like 31 8 2028",
    )
    price = _amount("Agreed price (£)", min_value=Decimal("0.01"))
    funding_band = _amount(
        "Funding band (£)",
        min_value=Decimal("0.01"),
        help_text="The most levy pays for this standard; you pay any excess to the provider",
    )


class EndCommitmentForm(GovukForm):
    status = forms.ChoiceField(
        label="How did it end?",
        choices=[
            (CommitmentStatus.COMPLETED, "Completed: the apprentice finished"),
            (CommitmentStatus.STOPPED, "Stopped: the apprentice left or the training stopped"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the apprenticeship was completed or stopped",
            "invalid_choice": "Choose completed or stopped",
        },
    )
