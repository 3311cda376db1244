"""Forms of the enrolment pages. They read what was typed; `enrolments` checks the rules and names
the field of any refusal, which `show_refusal` puts on the form's field of the same name."""

from __future__ import annotations

import copy

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.forms import DateInputField

from . import access, enrolments
from .models import Cohort, Enrolment, EnrolmentStatus

NO_TUTOR = [("", "Choose later")]


def _money(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number, like 14000",
            "max_digits": f"{label} is too large",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
        },
    )


def _hours() -> forms.DecimalField:
    return forms.DecimalField(
        label="Contracted hours a week",
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter the contracted hours a week",
            "invalid": "Contracted hours a week must be a number, like 37",
            "max_digits": "Contracted hours a week is too large",
            "max_decimal_places": "Contracted hours a week can have at most 2 decimal places",
        },
    )


def _whole(label: str, *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=100000,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} cannot be negative",
            "max_value": f"{label} must be at most 100,000",
        },
    )


def _text(label: str, *, required: bool = True, help_text: str = "", limit: int = 500):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be {limit} characters or fewer",
        },
    )


def _email(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be 254 characters or fewer",
        },
    )


def _choose(form: forms.Form, choices: dict[str, list], drop: tuple[str, ...] = ()) -> None:
    """Give fields their choices before the form starts (GovukForm cleans a bound form while it
    starts, so the choices must be in place first); drop the named fields."""
    fields = {name: field for name, field in form.base_fields.items() if name not in drop}
    for name, options in choices.items():
        field = copy.deepcopy(fields[name])
        field.choices = options
        fields[name] = field
    form.base_fields = fields


def _tutor_choices(cohort: Cohort) -> list[tuple[str, str]]:
    tutors = access.named_tutors(cohort.programme).select_related("person")
    return [*NO_TUTOR, *((str(row.person_id), row.person.full_name) for row in tutors)]


class EnrolForm(GovukForm):
    """An apprentice of the acting organisation on a cohort, with the terms and the facts the
    funding decision needs."""

    apprentice_email = _email(
        "Apprentice's work email address", help_text="A current member of your organisation's staff"
    )
    line_manager_email = _email(
        "Line manager's work email address",
        required=False,
        help_text="Leave blank to use the apprentice's line manager in your staff records",
    )
    practice_tutor = forms.ChoiceField(label="Practice tutor", required=False)
    start_on = DateInputField(label="Start date", help_text="For example, 1 9 2026")
    planned_end_on = DateInputField(label="Planned end date", help_text="For example, 31 8 2028")
    price = _money("Agreed price", "In pounds, before any funding")
    hours_per_week = _hours()
    date_of_birth = DateInputField(
        label="Apprentice's date of birth",
        help_text="Used only for the funding decision; seen only by the apprentice, your L&D "
        "leads and the provider's programme leaders",
    )
    care_leaver = forms.BooleanField(label="The apprentice is a care leaver", required=False)
    ehc_plan = forms.BooleanField(
        label="The apprentice has an education, health and care plan", required=False
    )
    use_levy_account = forms.BooleanField(
        label="Pay from our levy account", required=False, initial=True
    )
    transfer_from = forms.TypedChoiceField(
        label="Or a transfer from a partner's levy account",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a partner's levy account from the list"},
    )
    prior_learning_hours = _whole(
        "Recognised prior learning, in hours", required=False, help_text="Leave blank for none"
    )
    prior_learning_note = _text("What prior learning was recognised", required=False, limit=300)

    def __init__(self, *args, cohort: Cohort, actor, **kwargs) -> None:
        employer = actor.organisation
        accounts = enrolments.transfer_accounts(actor, employer) if employer else []
        no_account = employer is None or enrolments.employer_account(employer) is None
        _choose(
            self,
            {
                "practice_tutor": _tutor_choices(cohort),
                "transfer_from": [
                    ("", "No transfer"),
                    *((account.pk, account.organisation.name) for account in accounts),
                ],
            },
            drop=("use_levy_account",) if no_account else (),
        )
        super().__init__(*args, **kwargs)


class StatusForm(GovukForm):
    """A change of status with its date and reason (a return from a break needs a new end)."""

    status = forms.ChoiceField(
        label="New status",
        error_messages={
            "required": "Choose the new status",
            "invalid_choice": "Choose a status from the list",
        },
    )
    effective_on = DateInputField(label="Date it takes effect")
    reason = _text("Reason")
    planned_end_on = DateInputField(
        label="New planned end date",
        required=False,
        help_text="Only when coming back from a break",
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs) -> None:
        allowed = enrolments.allowed_statuses(enrolment)
        options = [("", "Choose"), *((s, EnrolmentStatus(s).label) for s in allowed)]
        _choose(self, {"status": options})
        super().__init__(*args, **kwargs)


class EmployerChangeForm(GovukForm):
    """The apprentice's move to a partner organisation."""

    new_employer = forms.TypedChoiceField(
        label="New employer",
        coerce=int,
        empty_value=None,
        error_messages={
            "required": "Choose the new employer",
            "invalid_choice": "Choose a partner organisation from the list",
        },
    )
    new_employer_email = _email(
        "Apprentice's work email address at the new employer",
        help_text="They must be a current member of its staff",
    )
    effective_on = DateInputField(label="Date of the move")
    reason = _text("Reason")

    def __init__(self, *args, enrolment: Enrolment, actor, **kwargs) -> None:
        partners = partner_organisations(actor).exclude(pk=enrolment.employer_id).order_by("name")
        options = [("", "Choose"), *((o.pk, o.name) for o in partners)]
        _choose(self, {"new_employer": options})
        super().__init__(*args, **kwargs)


class OffTheJobForm(GovukForm):
    """The planned off-the-job hours and any recognised prior learning."""

    planned_hours = _whole(
        "Planned off-the-job hours",
        help_text="At least the minimum; lower it only by recording prior learning",
    )
    prior_learning_hours = _whole("Recognised prior learning, in hours", required=False)
    prior_learning_note = _text("What prior learning was recognised", required=False, limit=300)


class TermsForm(GovukForm):
    """The terms of the apprenticeship that make a new commitment statement version."""

    price = _money("Agreed price", "In pounds, before any funding")
    planned_end_on = DateInputField(label="Planned end date")
    hours_per_week = _hours()
    practice_tutor = forms.ChoiceField(label="Practice tutor", required=False)
    line_manager_email = _email(
        "Line manager's work email address",
        required=False,
        help_text="Leave blank for no line manager",
    )
    reason = _text("Reason for the change", help_text="Shown on the new commitment statement")

    def __init__(self, *args, enrolment: Enrolment, **kwargs) -> None:
        _choose(self, {"practice_tutor": _tutor_choices(enrolment.cohort)})
        super().__init__(*args, **kwargs)
