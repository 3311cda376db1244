"""Forms for people, employments, roles, organisations and sign-in."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from joinedup.lib.govuk_forms import GovukForm

from . import access
from .models import (
    Destination,
    Employment,
    EmploymentKind,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Person,
    Sector,
    official_code_problem,
    seniority_band,
)
from .notifications import notify


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account cannot sign in",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "govuk-input" + (
                " govuk-input--error" if self.is_bound and name in self.errors else ""
            )
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class ResetPasswordForm(PasswordResetForm):
    """Password reset e-mails go through the notifications module like every other message."""

    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"class": "govuk-input", "autocomplete": "email"})

    def get_users(self, email: str):
        return Person.objects.filter(email__iexact=email.strip(), is_active=True)

    def save(self, domain_override=None, use_https=False, request=None, **kwargs) -> None:
        for person in self.get_users(self.cleaned_data["email"]):
            uid = urlsafe_base64_encode(force_bytes(person.pk))
            token = default_token_generator.make_token(person)
            path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            base = request.build_absolute_uri("/")[:-1] if request else ""
            notify(person, "password_reset", {"reset_url": f"{base}{path}"})


# --- Organisation and partnership administration ----------------------------------------------


BAD_EMAIL = "Enter an email address in the correct format, like name@example.com"
ROLE_ERRORS = {"required": "Choose a role", "invalid_choice": "Choose a role from the list"}


class DateInputWidget(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "partnership/widgets/date_input.html"
    labels = ("Day", "Month", "Year")

    def __init__(self, attrs: dict | None = None) -> None:
        boxes = {part: forms.TextInput() for part in ("day", "month", "year")}
        super().__init__(boxes, attrs)

    def decompress(self, value: dt.date | None) -> list:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box, as the GOV.UK pattern asks.
        return f"{id_}_0" if id_ else ""

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        for box, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            box["label"] = label
        return context


class DateInputField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = DateInputWidget

    def clean(self, value) -> dt.date | None:
        parts = [str(part or "").strip() for part in value] if isinstance(value, list) else []
        day, month, year = parts if len(parts) == 3 else ("", "", "")
        name = self.label or "Date"
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter the {name.lower()}")
            return None
        units = (("day", day), ("month", month), ("year", year))
        missing = [unit for unit, part in units if not part]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        if not all(part.isascii() and part.isdigit() for part in (day, month, year)):
            raise ValidationError(f"{name} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day or month of many digits
            raise ValidationError(f"{name} must be a real date") from None


class LineManagerField(forms.CharField):
    """A current member of staff named by employee number or e-mail; cleans to their employment."""

    def __init__(self, *, organisation: Organisation, **kwargs) -> None:
        self.organisation = organisation
        kwargs.setdefault("label", "Line manager")
        kwargs.setdefault("help_text", "Their employee number or work email address")
        super().__init__(required=False, max_length=254, **kwargs)

    def clean(self, value) -> Employment | None:
        identifier = super().clean(value)
        if not identifier:
            return None
        manager = access.find_current_staff(self.organisation, identifier)
        if manager is None:
            raise ValidationError(
                f"No one working at {self.organisation} has this employee number or email address"
            )
        return manager


def grade_field(organisation: Organisation) -> forms.ModelChoiceField:
    """A choice from the organisation's own grade table."""
    return forms.ModelChoiceField(
        queryset=organisation.grades.all(),
        label="Grade",
        required=False,
        empty_label="No grade",
        error_messages={"invalid_choice": "Choose a grade from your organisation's grade table"},
    )


class ConfirmForm(GovukForm):
    """A confirmation button with nothing to fill in; carries a service's refusal as an error."""


# GovukForm cleans a bound form while it starts, so the forms below put their fields that depend
# on the organisation into this instance's base_fields before calling its __init__.


class AddPersonForm(GovukForm):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="If they already have a Joined Up account with this address, we will invite them",
        error_messages={"required": "Enter their work email address", "invalid": BAD_EMAIL},
    )
    given_name = forms.CharField(
        label="Given name", max_length=100, error_messages={"required": "Enter their given name"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter their family name"}
    )
    job_title = forms.CharField(
        label="Job title", max_length=200, error_messages={"required": "Enter their job title"}
    )
    kind = forms.ChoiceField(
        label="Kind of employment",
        choices=EmploymentKind.choices,
        error_messages={
            "required": "Choose the kind of employment",
            "invalid_choice": "Choose the kind of employment from the list",
        },
    )
    start_date = DateInputField(label="Start date", help_text="For example, 27 3 2025")
    employee_number = forms.CharField(label="Employee number", max_length=40, required=False)

    field_order = ("email", "given_name", "family_name", "job_title", "grade", "kind")

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        self.base_fields = {
            **self.base_fields,
            "grade": grade_field(organisation),
            "line_manager": LineManagerField(organisation=organisation),
        }
        super().__init__(*args, **kwargs)

    def clean_employee_number(self) -> str:
        return self.cleaned_data["employee_number"].strip()


class ChangeJobForm(GovukForm):
    job_title = forms.CharField(
        label="New job title",
        max_length=200,
        error_messages={"required": "Enter the new job title"},
    )
    start_date = DateInputField(
        label="Start date of the new job",
        help_text="The current job ends the day before. For example, 1 4 2025",
    )

    field_order = ("job_title", "grade", "start_date", "line_manager")

    def __init__(self, *args, employment: Employment, **kwargs) -> None:
        self.employment = employment
        keep = "Their employee number or work email address. Leave empty to keep the current one"
        self.base_fields = {
            **self.base_fields,
            "grade": grade_field(employment.organisation),
            "line_manager": LineManagerField(organisation=employment.organisation, help_text=keep),
        }
        super().__init__(*args, **kwargs)

    def clean_line_manager(self) -> Employment | None:
        manager = self.cleaned_data["line_manager"]
        if manager is not None and manager.person_id == self.employment.person_id:
            raise ValidationError("Choose someone else as their line manager")
        return manager


class LeaverForm(GovukForm):
    end_date = DateInputField(
        label="Leaving date", help_text="Their last day. For example, 31 3 2025"
    )
    leaving_reason = forms.CharField(
        label="Reason for leaving",
        max_length=200,
        error_messages={"required": "Enter the reason for leaving"},
    )
    destination = forms.ChoiceField(
        label="Where they went",
        choices=[("", "Choose where they went"), *Destination.choices],
        error_messages={
            "required": "Choose where they went",
            "invalid_choice": "Choose where they went from the list",
        },
    )

    def __init__(self, *args, partners: QuerySet[Organisation], **kwargs) -> None:
        self.base_fields = {
            **self.base_fields,
            "destination_organisation": forms.ModelChoiceField(
                queryset=partners,
                required=False,
                label="Partner organisation they moved to",
                help_text="Only when they moved to a partner organisation",
                empty_label="Choose a partner organisation",
                error_messages={"invalid_choice": "Choose a partner organisation from the list"},
            ),
        }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        destination = cleaned.get("destination")
        if destination == Destination.PARTNER and not cleaned.get("destination_organisation"):
            self.add_error(
                "destination_organisation", "Choose the partner organisation they moved to"
            )
        if destination != Destination.PARTNER:
            cleaned["destination_organisation"] = None
        return cleaned


class GrantRoleForm(GovukForm):
    email = forms.CharField(
        label="Email address",
        max_length=254,
        help_text="The work email address of a current member of staff",
        error_messages={"required": "Enter their email address"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *OrganisationRole.choices],
        error_messages=ROLE_ERRORS,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_email(self) -> Person:
        employment = access.find_current_staff(self.organisation, self.cleaned_data["email"])
        if employment is None:
            raise ValidationError(f"No one working at {self.organisation} has this email address")
        return employment.person


SENIORITY_CHOICES = [
    ("", "Choose seniority"),
    *((level, f"{level} ({seniority_band(level)})") for level in range(1, 10)),
]


class GradeForm(GovukForm):
    name = forms.CharField(
        label="Grade name",
        max_length=60,
        help_text="As your organisation calls it",
        error_messages={"required": "Enter the grade name"},
    )
    seniority = forms.TypedChoiceField(
        label="Seniority",
        coerce=int,
        choices=SENIORITY_CHOICES,
        help_text="1 to 3 entry, 4 to 6 middle, 7 to 9 senior, so grades compare across employers",
        error_messages={
            "required": "Choose a seniority from 1 to 9",
            "invalid_choice": "Choose a seniority from 1 to 9",
        },
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class AddOrganisationForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=[("", "Choose a kind"), *OrganisationKind.choices],
        error_messages={
            "required": "Choose the kind of organisation",
            "invalid_choice": "Choose the kind of organisation from the list",
        },
    )
    official_code = forms.CharField(
        label="Official code",
        max_length=12,
        required=False,
        help_text=(
            "ONS GSS code for councils, such as E09000005; NHS ODS code for NHS bodies, such as R1K"
        ),
    )
    is_levy_payer = forms.BooleanField(label="Pays the apprenticeship levy", required=False)
    headcount = forms.IntegerField(
        label="Headcount",
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "required": "Enter the headcount",
            "invalid": "Headcount must be a whole number",
            "min_value": "Headcount must be 0 or more",
            "max_value": "Headcount must be 10,000,000 or fewer",
        },
    )
    admin_email = forms.EmailField(
        label="First admin's work email address",
        max_length=254,
        error_messages={"required": "Enter the first admin's email address", "invalid": BAD_EMAIL},
    )
    admin_given_name = forms.CharField(
        label="First admin's given name",
        max_length=100,
        error_messages={"required": "Enter the first admin's given name"},
    )
    admin_family_name = forms.CharField(
        label="First admin's family name",
        max_length=100,
        error_messages={"required": "Enter the first admin's family name"},
    )

    def clean_official_code(self) -> str:
        return self.cleaned_data["official_code"].strip().upper()

    def clean(self) -> dict:
        cleaned = super().clean()
        problem = official_code_problem(cleaned.get("kind", ""), cleaned.get("official_code", ""))
        if problem:
            self.add_error("official_code", problem)
        return cleaned


class GrantPartnershipRoleForm(GovukForm):
    email = forms.CharField(
        label="Email address",
        max_length=254,
        help_text="The work email address of someone working at a member organisation",
        error_messages={"required": "Enter their email address"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *PartnershipRole.choices],
        error_messages=ROLE_ERRORS,
    )

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_email(self) -> Person:
        person = access.find_member_staff(self.partnership, self.cleaned_data["email"])
        if person is None:
            raise ValidationError("No one working at a member organisation has this email address")
        return person


class StaffImportForm(GovukForm):
    file = forms.FileField(
        label="Staff file",
        help_text="A CSV or XLSX file with the columns described above",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Select a staff file",
            "empty": "The selected file is empty",
            "invalid": "Select a staff file",
        },
    )
    full_import = forms.BooleanField(
        label="This file lists everyone who works here",
        help_text="You can then choose to mark anyone missing from the file as a leaver",
        required=False,
    )


class ApplyStaffImportForm(GovukForm):
    mark_missing_as_leavers = forms.BooleanField(
        label="Mark the people missing from the file as leavers",
        help_text="Their employment ends today and their destination is recorded as unknown",
        required=False,
    )


# --- Directory pages and my profile ------------------------------------------------------------

SENIORITY_BAND_CHOICES = [
    ("entry", "Entry (1 to 3)"),
    ("middle", "Middle (4 to 6)"),
    ("senior", "Senior (7 to 9)"),
]
SEARCH_TOO_LONG = "Search terms must be 100 characters or fewer"


class SearchInput(forms.TextInput):
    input_type = "search"


class PeopleFilterForm(GovukForm):
    """The people directory's search box and filter panel (a GET form; every field optional)."""

    q = forms.CharField(
        label="Name or email address",
        help_text="The start of a given name, family name or email address",
        required=False,
        max_length=100,
        widget=SearchInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": SEARCH_TOO_LONG},
    )
    job_title = forms.CharField(
        label="Job title",
        help_text="Words in the job title, like nurse",
        required=False,
        max_length=100,
        widget=SearchInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "Job title must be 100 characters or fewer"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        required=False,
        choices=[("", "All sectors"), *Sector.choices],
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    band = forms.ChoiceField(
        label="Seniority",
        required=False,
        choices=[("", "Any seniority"), *SENIORITY_BAND_CHOICES],
        error_messages={"invalid_choice": "Choose a seniority band from the list"},
    )

    field_order = ("q", "job_title", "organisation", "sector", "band")

    def __init__(self, *args, organisations: list[tuple[int, str]], **kwargs) -> None:
        organisation = forms.TypedChoiceField(
            label="Organisation",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "All organisations"), *organisations],
            error_messages={"invalid_choice": "Choose an organisation from the list"},
        )
        self.base_fields = {**self.base_fields, "organisation": organisation}
        super().__init__(*args, **kwargs)


class OrganisationFilterForm(GovukForm):
    """The organisations directory's name search and filter panel."""

    q = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        widget=SearchInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": SEARCH_TOO_LONG},
    )
    sector = forms.ChoiceField(
        label="Sector",
        required=False,
        choices=[("", "All sectors"), *Sector.choices],
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All kinds"), *OrganisationKind.choices],
        error_messages={"invalid_choice": "Choose a kind of organisation from the list"},
    )


class FirstRadioLabelled(forms.RadioSelect):
    """Radios whose field id is the first radio's, so the error summary can link to it."""

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return super().id_for_label(id_, index)


class NotificationPreferenceForm(GovukForm):
    email_optional = forms.TypedChoiceField(
        label="Do you want reminder and digest emails?",
        help_text="Emails about your account and your bookings are always sent",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=FirstRadioLabelled,
        error_messages={
            "required": "Select whether you want reminder and digest emails",
            "invalid_choice": "Select whether you want reminder and digest emails",
        },
    )


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you recognise it later, for example ‘Rota sync’",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    days = forms.IntegerField(
        label="Expires after (days)",
        error_messages={
            "required": "Enter how many days the token should last",
            "invalid": "Enter a whole number of days, like 30",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        limit = settings.API_TOKEN_DAYS
        self.base_fields["days"].help_text = f"A whole number of days from 1 to {limit}"
        self.base_fields["days"].initial = limit
        super().__init__(*args, **kwargs)
        attrs = self.fields["days"].widget.attrs
        attrs["inputmode"] = "numeric"
        attrs["class"] += " govuk-input--width-4"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter a name for the token")
        return name

    def clean_days(self) -> int:
        days = self.cleaned_data["days"]
        limit = settings.API_TOKEN_DAYS
        if not 1 <= days <= limit:
            raise ValidationError(f"Enter a number of days from 1 to {limit}")
        return days


# --- Recharges -----------------------------------------------------------------------------------


def financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The financial year (1 April to 31 March) that contains the day."""
    first_year = today.year if today.month >= 4 else today.year - 1
    return dt.date(first_year, 4, 1), dt.date(first_year + 1, 3, 31)


class PeriodForm(GovukForm):
    """A period between two dates, the current financial year unless the query gives one."""

    start = DateInputField(label="From", help_text="For example, 1 4 2026")
    end = DateInputField(label="To", help_text="For example, 31 3 2027")

    def __init__(self, data, *, today: dt.date) -> None:
        # A page opened without a period shows the current financial year.
        if data is not None and not any(key.startswith(("start_", "end_")) for key in data):
            data = data.copy()
            for name, day in zip(("start", "end"), financial_year(today), strict=True):
                data[f"{name}_day"] = str(day.day)
                data[f"{name}_month"] = str(day.month)
                data[f"{name}_year"] = str(day.year)
        super().__init__(data)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The ‘To’ date must be the same as or after the ‘From’ date")
        return cleaned


class RechargePeriodForm(PeriodForm):
    """The period of a recharge statement, and optionally one partner."""

    partner = forms.TypedChoiceField(
        label="Partner",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a partner from the list"},
    )

    def __init__(self, data, *, partners: list[tuple[int, str]], today: dt.date) -> None:
        self.base_fields["partner"].choices = [("", "All partners"), *partners]
        super().__init__(data, today=today)


class ReverseRechargeForm(GovukForm):
    reason = forms.CharField(
        label="Reason for reversing",
        help_text="For example, the place was cancelled in time, or the charge is disputed",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for reversing this entry",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter the reason for reversing this entry")
        return reason
