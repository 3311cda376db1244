"""Forms of the workplace project and gateway pages. They read what was typed; `projects` and
`gateway` check the rules and name the field of any refusal (`show_refusal` puts it there)."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from . import projects
from .models import PROJECT_WEEKS

WEEKS = range(1, PROJECT_WEEKS + 1)


def _text(label: str, limit: int, *, rows: int = 5, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"The {label.lower()} must be {limit:,} characters or fewer",
        },
    )


def _milestone(week: int) -> forms.CharField:
    return forms.CharField(
        label=f"Week {week}",
        required=False,
        max_length=projects.MILESTONE_LIMIT,
        error_messages={
            "max_length": f"Week {week}'s milestone must be {projects.MILESTONE_LIMIT} "
            "characters or fewer"
        },
    )


class ProposeForm(GovukForm):
    """The project's title, scope, sponsor, start and a milestone for any of its 12 weeks."""

    title = forms.CharField(
        label="Project title",
        max_length=projects.TITLE_LIMIT,
        error_messages={
            "required": "Enter the project title",
            "max_length": f"The project title must be {projects.TITLE_LIMIT} characters or fewer",
        },
    )
    scope = _text(
        "Scope",
        projects.SCOPE_LIMIT,
        help_text="The business question the proposal answers, what is in and out of scope",
    )
    sponsor_email = forms.CharField(
        label="Sponsor's work email address",
        max_length=254,
        help_text="A senior member of your employer's staff who will sign the project off",
        error_messages={
            "required": "Enter the sponsor's work email address",
            "max_length": "The sponsor's work email address must be 254 characters or fewer",
        },
    )
    starts_on = DateInputField(label="Start date", help_text="For example, 5 4 2027")
    week_1 = _milestone(1)
    week_2 = _milestone(2)
    week_3 = _milestone(3)
    week_4 = _milestone(4)
    week_5 = _milestone(5)
    week_6 = _milestone(6)
    week_7 = _milestone(7)
    week_8 = _milestone(8)
    week_9 = _milestone(9)
    week_10 = _milestone(10)
    week_11 = _milestone(11)
    week_12 = _milestone(12)

    def milestones(self) -> list[projects.PlannedMilestone]:
        """The plan typed in (blank weeks left out by the service)."""
        return [
            projects.PlannedMilestone(week, self.cleaned_data.get(f"week_{week}", ""))
            for week in WEEKS
        ]

    def week_fields(self) -> list:
        return [self[f"week_{week}"] for week in WEEKS]

    def main_fields(self) -> list:
        return [self[name] for name in ("title", "scope", "sponsor_email")]


class SubmitForm(GovukForm):
    """The submitted proposal: a summary and optionally the proposal as a file."""

    summary = _text(
        "Summary",
        projects.SUMMARY_LIMIT,
        help_text="What the proposal recommends, in a few paragraphs",
    )
    file = forms.FileField(
        label="The proposal as a file",
        required=False,
        help_text="A document, spreadsheet, presentation or PDF",
        error_messages={"invalid": "The selected file could not be read: choose it again"},
    )


class SignOffForm(GovukForm):
    """The sponsor's sign-off, with their comment."""

    comment = _text("Comment", projects.COMMENT_LIMIT, help_text="Shown to the apprentice")
