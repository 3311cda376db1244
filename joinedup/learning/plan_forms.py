"""Forms of the commissioning plan pages and the near-duplicate report.

The forms read what was typed; `learning.plans` checks the rules and names the field of any
refusal (`show_refusal` puts it on the field here).
"""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField

from .near_duplicates import DEFAULT_THRESHOLD


def _amount_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class PlanForm(GovukForm):
    """A programme the organisation intends to design or buy."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    need = forms.CharField(
        label="Need",
        help_text="What the programme is for: the problem it solves and for whom",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the need the programme meets"},
    )
    audience = forms.CharField(label="Who it is for", max_length=300, required=False)
    topics = forms.CharField(
        label="Topics", help_text="Separate topics with commas", required=False, max_length=2_000
    )
    estimated_design_cost = _amount_field(
        "Estimated design cost", "In pounds, to design or buy the programme; may be 0"
    )
    delivery_cost_per_place = _amount_field(
        "Delivery cost per place", "In pounds, for each learner; may be 0"
    )
    expected_learners = forms.CharField(
        label="Expected learners",
        help_text="How many people you expect to train",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    starts_on = DateInputField(
        label="Start date", required=False, help_text="For example, 1 4 2027"
    )
    ends_on = DateInputField(label="End date", required=False, help_text="For example, 31 3 2028")

    def clean_topics(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["topics"].split(",") if name.strip()]


class ReportForm(GovukForm):
    """The threshold of a near-duplicate report."""

    threshold = forms.CharField(
        label="Similarity threshold",
        help_text="From 0.50 to 1.00: pairs scoring at least this are reported (0.80 is close)",
        initial=str(DEFAULT_THRESHOLD),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter a threshold from 0.50 to 1.00"},
    )
