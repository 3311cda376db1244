"""Forms of the moderation pages. They read what was typed; `moderation` checks the rules and
names the field of any refusal (`show_refusal` puts it on the field here)."""

from __future__ import annotations

from django import forms

from joinedup.learning.forms import GovukRadios
from joinedup.lib.govuk_forms import GovukForm

from .models import ModerationKind, ReportReason
from .moderation import DETAIL_LIMIT, REASON_LIMIT, REASON_MISSING


class ReportForm(GovukForm):
    """Reporting a post to the space's moderators."""

    reason = forms.ChoiceField(
        label="What is wrong with this post?",
        choices=ReportReason.choices,
        widget=GovukRadios,
        error_messages={
            "required": "Choose why you are reporting this post",
            "invalid_choice": "Choose why you are reporting this post",
        },
    )
    detail = forms.CharField(
        label="Tell the moderators more",
        help_text="Needed if you chose 'Something else'. Do not include anyone's personal details.",
        required=False,
        max_length=DETAIL_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The details must be {DETAIL_LIMIT:,} characters or fewer"},
    )


# The reason's label and hint for each moderator's action.
REASON_LABELS = {
    ModerationKind.HIDE: ("Why are you hiding this post?", "The author is sent this reason."),
    ModerationKind.RESTORE: ("Why are you restoring this post?", "The author is sent this reason."),
    ModerationKind.LOCK: ("Why are you locking this thread?", "The author is sent this reason."),
    ModerationKind.UNLOCK: (
        "Why are you unlocking this thread?",
        "The author is sent this reason.",
    ),
    ModerationKind.DISMISS: (
        "Why does this report need no action?",
        "Kept in the space's moderation log, which only its moderators read.",
    ),
}


def _reason_form(kind: str) -> type[GovukForm]:
    """A moderator's action asks only for the reason, which the moderation log keeps."""
    label, hint = REASON_LABELS[kind]
    reason = forms.CharField(
        label=label,
        help_text=hint,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": REASON_MISSING[kind],
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )
    return type(f"{kind.title()}Form", (GovukForm,), {"reason": reason})


REASON_FORMS: dict[str, type[GovukForm]] = {kind: _reason_form(kind) for kind in REASON_LABELS}
