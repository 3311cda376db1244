"""The form for signing a commitment statement version."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm


class SignForm(GovukForm):
    """Signing the version shown on the page: the signer confirms they have read it."""

    agree = forms.BooleanField(
        label="I have read this commitment statement and training plan and agree to it",
        error_messages={"required": "Confirm you have read and agree to the statement"},
    )
