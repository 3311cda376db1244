"""Forms of the programme and cohort pages. They check the shape of what was typed; the rules
are the services' (`programmes.py`)."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField
from joinedup.partnership.models import Partnership

from . import programmes
from .models import Assignment, Module, ProgrammeRole, Term


def _whole(label: str, least: int, most: int) -> forms.IntegerField:
    name = label.capitalize()
    return forms.IntegerField(
        label=label.capitalize(),
        min_value=least,
        max_value=most,
        error_messages={
            "required": f"Enter the {label}",
            "invalid": f"{name} must be a whole number",
            "min_value": f"{name} must be between {least} and {most}",
            "max_value": f"{name} must be between {least} and {most}",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class ProgrammeForm(GovukForm):
    standard = forms.CharField(
        max_length=200,
        label="Standard",
        help_text="Its reference code, such as ST0480, or its exact title",
        error_messages={"required": "Enter the standard's reference code or title"},
    )
    title = forms.CharField(
        max_length=programmes.TITLE_MAX,
        label="Title",
        error_messages={"required": "Enter the title"},
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=programmes.SUMMARY_MAX,
        required=False,
        label="Summary",
        help_text="Who it is for and how it is taught",
    )

    def __init__(self, *args, partnerships: list[Partnership] | None = None, **kwargs) -> None:
        if partnerships and len(partnerships) > 1:
            self.base_fields = dict(self.base_fields)
            self.base_fields["partnership"] = forms.TypedChoiceField(
                coerce=int,
                choices=[(p.pk, p.name) for p in partnerships],
                label="Partnership",
                error_messages={"invalid_choice": "Choose one of your partnerships"},
            )
        super().__init__(*args, **kwargs)


class ModuleForm(GovukForm):
    title = forms.CharField(
        max_length=programmes.TITLE_MAX,
        label="Title",
        error_messages={"required": "Enter the title"},
    )
    online_weeks = _whole("online weeks", 0, programmes.MAX_ONLINE_WEEKS)
    campus_days = _whole("campus days", 0, programmes.MAX_CAMPUS_DAYS)
    term = forms.ChoiceField(
        choices=[("", "Choose a term"), *Term.choices],
        label="Term",
        error_messages={
            "required": "Choose the term: autumn, spring or summer",
            "invalid_choice": "Choose the term: autumn, spring or summer",
        },
    )


class AssignmentForm(GovukForm):
    title = forms.CharField(
        max_length=programmes.TITLE_MAX,
        label="Title",
        error_messages={"required": "Enter the title"},
    )
    brief = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=programmes.BRIEF_MAX,
        required=False,
        label="Brief",
        help_text="What the apprentice is asked to do",
    )
    weighting = _whole("weighting", 1, 100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weighting"].help_text = "Percent of the module's mark, from 1 to 100"


class StaffForm(GovukForm):
    email = forms.CharField(
        max_length=254,
        label="Work email address",
        help_text="They must work for the programme's provider now",
        error_messages={"required": "Enter their work email address"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *ProgrammeRole.choices],
        label="Role",
        error_messages={
            "required": "Choose programme leader or practice tutor",
            "invalid_choice": "Choose programme leader or practice tutor",
        },
    )


class ConfirmForm(GovukForm):
    """A confirmation with nothing to fill in; carries a service's refusal."""


class CohortForm(GovukForm):
    """The cohort's name and dates, then a start date (and an optional first campus day) for
    each module and a deadline for each assignment, as fields named after their ids."""

    name = forms.CharField(
        max_length=programmes.NAME_MAX,
        label="Name",
        help_text="For example: September 2026",
        error_messages={"required": "Enter the name"},
    )
    starts_on = DateInputField(label="Start date")
    ends_on = DateInputField(label="Planned end date")

    def __init__(
        self, *args, modules: list[Module], assignments: list[Assignment], **kwargs
    ) -> None:
        self.base_fields = dict(type(self).base_fields)
        self.modules = modules
        self.assignments = assignments
        for module in modules:
            self.base_fields[f"module_{module.pk}"] = DateInputField(
                label=f"Module {module.order} starts",
                help_text=f"{module.title}: {module.get_term_display().lower()} term, "
                f"{module.online_weeks} weeks online then {module.campus_days} days on campus",
            )
            self.base_fields[f"campus_{module.pk}"] = DateInputField(
                label=f"Module {module.order} first campus day", required=False
            )
        for assignment in assignments:
            self.base_fields[f"deadline_{assignment.pk}"] = DateInputField(
                label=f"Deadline for {assignment.title}",
                help_text=f"Module {assignment.module.order}: {assignment.module.title}",
            )
        super().__init__(*args, **kwargs)

    def dates(self) -> dict:
        """The cleaned values as the service's keyword arguments."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "module_starts": {m.pk: data.get(f"module_{m.pk}") for m in self.modules},
            "campus_from": {m.pk: data.get(f"campus_{m.pk}") for m in self.modules},
            "deadlines": {a.pk: data.get(f"deadline_{a.pk}") for a in self.assignments},
        }
