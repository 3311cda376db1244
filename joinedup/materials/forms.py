"""Forms of the materials pages: a material's details, a file or a link, adapting, reuse, publishing
openly, reports and hiding.

The forms read what was typed into the types the services take; the services check the rules and
name the field of any refusal, which the views put on the form field of that name.

GovukForm cleans a bound form while it starts, so fields and facts that depend on the material or
the organisation are set before calling its __init__.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.core.validators import URLValidator

from joinedup.learning.forms import GovukRadios
from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.access import find_current_staff
from joinedup.partnership.forms import DateInputField
from joinedup.partnership.models import Organisation, Person

from . import licences
from .models import MaterialKind, ReportReason

if TYPE_CHECKING:
    from .services import MaterialRefused

MAX_AUTHORS = 20
MAX_TOPICS = 20
LINK_SCHEMES = ("http", "https")


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class MaterialDetailsForm(GovukForm):
    """What a material is, who may read it, what it is about and who wrote it."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages=_required("Enter the material's title")
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What it covers and who it is for; people search these words",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(
        label="Kind of material",
        choices=MaterialKind.choices,
        widget=GovukRadios,
        error_messages={
            "required": "Select the kind of material",
            "invalid_choice": "Select a kind of material from the list",
        },
    )
    topics = forms.CharField(
        label="Topics",
        help_text="Separate topics with commas, like safeguarding, trauma-informed practice",
        required=False,
        max_length=2000,
    )
    authors = forms.CharField(
        label="Authors",
        help_text="Work e-mail addresses or employee numbers of your organisation's staff who "
        "wrote it, one a line. On public pages an author's name shows only if they choose so; "
        "otherwise your organisation is credited",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    show_my_name = forms.BooleanField(
        label="Show my name on public pages where I am an author",
        help_text="Each author chooses this for themselves",
        required=False,
    )

    def __init__(
        self,
        *args,
        organisation: Organisation,
        programmes: list[tuple[int, str]],
        licence_choices: list[tuple[str, str]] | None = None,
        licence_help: str = "",
        licence_refusal: str = "Select a licence from the list",
        **kwargs,
    ) -> None:
        self.organisation = organisation
        self.base_fields = {
            **self.base_fields,
            "licence": forms.ChoiceField(
                label="Licence",
                help_text=licence_help
                or "Who may read and reuse it. An open licence lets your L&D lead publish it "
                "for anyone to read",
                choices=licence_choices or licences.LICENCE_CHOICES,
                widget=GovukRadios,
                error_messages={
                    "required": "Select a licence",
                    "invalid_choice": licence_refusal,
                },
            ),
            "programmes": forms.TypedMultipleChoiceField(
                label="Linked programmes",
                help_text="Programmes that use this material",
                required=False,
                coerce=int,
                choices=programmes,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Select programmes from the list"},
            ),
        }
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["title", "summary", "kind", "licence", "topics", "programmes", "authors"]
        )

    def clean_topics(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["topics"].split(",") if name.strip()]
        if len(names) > MAX_TOPICS:
            raise forms.ValidationError(f"Give at most {MAX_TOPICS} topics")
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError("Each topic must be 100 characters or fewer")
        return names

    def clean_authors(self) -> list[Person]:
        lines = [line.strip() for line in self.cleaned_data["authors"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_AUTHORS:
            raise forms.ValidationError(f"Name at most {MAX_AUTHORS} authors")
        people: list[Person] = []
        unknown = []
        for line in lines:
            employment = find_current_staff(self.organisation, line)
            if employment is None:
                unknown.append(line)
            elif employment.person not in people:
                people.append(employment.person)
        if unknown:
            raise forms.ValidationError(
                "Authors must be current staff of "
                f"{self.organisation.name}; not found: {', '.join(unknown[:5])}"
            )
        return people

    def author_choices(
        self, person: Person | None, earlier: dict[int, bool] | None = None
    ) -> list[tuple[Person, bool]]:
        """Each author with whether their name shows publicly: the person filling in the form
        chooses for themselves; everyone else keeps their earlier choice (new ones: not shown)."""
        earlier = earlier or {}
        choices = []
        for author in self.cleaned_data["authors"]:
            if person is not None and author.pk == person.pk:
                choices.append((author, self.cleaned_data["show_my_name"]))
            else:
                choices.append((author, earlier.get(author.pk, False)))
        return choices

    def details(self, person: Person | None, earlier: dict[int, bool] | None = None) -> dict:
        """The keyword arguments the services take for a material's details."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "kind": data["kind"],
            "licence": data["licence"],
            "topics": data["topics"],
            "programmes": data["programmes"],
            "authors": self.author_choices(person, earlier),
        }


class FileOrLinkMixin(forms.Form):
    """An uploaded file or a web link (exactly one, unless `optional`), and a change note."""

    upload = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word, PowerPoint, OpenDocument, text, CSV, PNG, JPEG, MP4 or ZIP",
        required=False,
        error_messages={"empty": "The file you chose is empty", "invalid": "Choose a file"},
    )
    external_url = forms.URLField(
        label="Or give a link",
        help_text="A web address starting https:// where the material lives",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=LINK_SCHEMES)],
        error_messages={
            "invalid": "The link must be a web address, like https://example.org/guide"
        },
    )
    optional_file = False
    missing_message = "Upload a file or give a link"

    def clean(self) -> dict:
        data = super().clean()
        has_file = bool(data.get("upload"))
        has_link = bool(data.get("external_url"))
        if has_file and has_link:
            self.add_error("upload", "Upload a file or give a link, not both")
        elif not (has_file or has_link) and not self.optional_file and not self.errors:
            self.add_error("upload", self.missing_message)
        return data

    def file_or_link(self) -> dict:
        return {
            "upload": self.cleaned_data.get("upload"),
            "external_url": self.cleaned_data.get("external_url") or "",
        }


class MaterialForm(MaterialDetailsForm, FileOrLinkMixin):
    """A new material: its details and its first file or link."""

    change_note = forms.CharField(
        label="Note about this version",
        help_text="Optional, like 'First version, tested with two cohorts'",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdaptForm(MaterialForm):
    """A new material adapted from a version of another, with the licences its source allows."""

    optional_file = True

    def __init__(self, *args, source_licence: str, same_organisation: bool, **kwargs) -> None:
        allowed = licences.allowed_adaptation_licences(
            source_licence, same_organisation=same_organisation
        )
        reasons = sorted(
            {
                reason
                for code in licences.LICENCES
                if (
                    reason := licences.adaptation_refusal(
                        source_licence, code, same_organisation=same_organisation
                    )
                )
            }
        )
        kwargs["licence_choices"] = [
            (code, label) for code, label in licences.LICENCE_CHOICES if code in allowed
        ]
        kwargs["licence_help"] = " ".join(reasons) or "An adaptation may take any licence"
        kwargs["licence_refusal"] = " ".join(reasons) or "Select a licence from the list"
        self.base_fields = {
            **self.base_fields,
            "upload": forms.FileField(
                label="Upload your adapted file",
                help_text="Leave both empty to start from the original's file or link as it is",
                required=False,
                error_messages={"empty": "The file you chose is empty", "invalid": "Choose a file"},
            ),
        }
        super().__init__(*args, **kwargs)


class VersionForm(GovukForm, FileOrLinkMixin):
    """A new version: its file or link, and what changed."""

    change_note = forms.CharField(
        label="What changed",
        help_text="People see this in the material's history, like 'New contacts on slide 4'",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Say what changed in this version"),
    )


def _amount(label: str, *, places: int, digits: int, example: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=f"Your estimate, like {example}; 0 if none",
        min_value=Decimal("0"),
        max_digits=digits,
        decimal_places=places,
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}, or 0",
            "invalid": f"{label} must be a number, like {example}",
            "min_value": f"{label} must be 0 or more",
            "max_digits": f"{label} is too large",
            "max_whole_digits": f"{label} is too large",
            "max_decimal_places": f"{label} must have at most {places} decimal "
            f"place{'s' if places > 1 else ''}",
        },
    )


class ReuseForm(GovukForm):
    """'We used this': when, in which run or context, whom it reached and what it saved."""

    used_on = DateInputField(label="Date you used it", help_text="For example, 12 10 2026")
    context = forms.CharField(
        label="Where you used it",
        help_text="Like 'Induction for new social workers'; needed if you choose no run",
        required=False,
        max_length=300,
    )
    learners_reached = forms.IntegerField(
        label="Learners reached",
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many learners it reached, or 0",
            "invalid": "Learners reached must be a whole number, like 12",
            "min_value": "Learners reached must be 0 or more",
            "max_value": "Learners reached must be 1,000,000 or fewer",
        },
    )
    hours_saved = _amount("Hours saved", places=1, digits=8, example="7.5")
    cost_saved = _amount("Cost saved in pounds", places=2, digits=12, example="450.00")

    def __init__(self, *args, runs: list[tuple[int, str]], **kwargs) -> None:
        self.base_fields = {
            **self.base_fields,
            "run": forms.TypedChoiceField(
                label="Run",
                help_text="One of your organisation's runs that used it",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "No run"), *runs],
                error_messages={"invalid_choice": "Choose one of your runs from the list"},
            ),
        }
        super().__init__(*args, **kwargs)
        self.order_fields(["used_on", "run", "context"])

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("run") and not data.get("context") and "context" not in self.errors:
            self.add_error("context", "Choose a run or say where you used it")
        return data


class PublishForm(GovukForm):
    """The owner's L&D lead's two confirmations before anyone may read a material."""

    licence_confirmed = forms.BooleanField(
        label="I confirm our organisation may publish this material under its licence",
        error_messages=_required("Confirm that your organisation may publish it under its licence"),
    )
    content_confirmed = forms.BooleanField(
        label="I confirm it holds no personal data or anything that must stay inside",
        error_messages=_required(
            "Confirm that it holds no personal data or anything that must stay inside"
        ),
    )


class ConfirmForm(GovukForm):
    """A confirmation button with nothing to fill in; carries a service's refusal as an error."""


class ReportForm(GovukForm):
    """A report about a material, to its owner and the partnership lead."""

    reason = forms.ChoiceField(
        label="What is wrong",
        choices=ReportReason.choices,
        widget=GovukRadios,
        error_messages={
            "required": "Select what is wrong",
            "invalid_choice": "Select what is wrong from the list",
        },
    )
    details = forms.CharField(
        label="Details",
        help_text="What you found and where, like the page or slide",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("Give the details of what is wrong"),
    )


class HideForm(GovukForm):
    """Hiding a material, with the reason its owner and the reporters read."""

    reason = forms.CharField(
        label="Why hide it",
        help_text="The owner organisation sees this reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Give the reason for hiding it"),
    )


class DismissForm(GovukForm):
    """Dismissing a report that needs no action, with an optional note."""

    note = forms.CharField(
        label="Why no action is needed",
        help_text="The reason is kept with the report",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Say why no action is needed"),
    )


def show_refusal(form: forms.Form, refusal: MaterialRefused) -> None:
    """Put a service's refusal on the form: each message on its field if the form has one,
    else at the top."""
    for field, message in refusal.errors.items():
        form.add_error(field if field in form.fields else None, message)
