"""Forms of the working-day calendar pages: adding a bank holiday, adding a closure day. They
check the shape of what was typed; the rules (no weekends, no duplicates, closure days from today
on) are `calendar_days.py`'s."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.forms import DateInputField


class BankHolidayForm(GovukForm):
    """A bank holiday of England and Wales that GOV.UK's list does not have yet."""

    on = DateInputField(label="Date", help_text="For example, 1 1 2029")
    title = forms.CharField(
        label="Name",
        max_length=100,
        help_text="As GOV.UK names it, for example New Year’s Day",
        error_messages={
            "required": "Enter the name of the bank holiday",
            "max_length": "The name must be 100 characters or fewer",
        },
    )


class ClosureDayForm(GovukForm):
    """A day the acting organisation is closed, today or later."""

    on = DateInputField(label="Date", help_text="Today or later, for example 29 12 2026")
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="For example, University closed between Christmas and New Year",
        error_messages={
            "required": "Enter the reason",
            "max_length": "The reason must be 200 characters or fewer",
        },
    )
