"""The GOV.UK field partial shows errors for every kind of field, checkboxes included."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class ConsentForm(forms.Form):
    agree = forms.BooleanField(label="I agree", help_text="Tick to go on.")


def test_a_checkbox_error_is_shown_and_linked_to_the_checkbox():
    form = ConsentForm(data={})
    html = render_to_string("includes/field.html", {"field": form["agree"]})
    assert "govuk-form-group--error" in html
    assert 'id="id_agree-error"' in html
    assert "This field is required." in html
    assert 'aria-describedby="id_agree-hint id_agree-error"' in html


def test_a_valid_checkbox_has_only_its_hint():
    form = ConsentForm(data={"agree": "on"})
    form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["agree"]})
    assert "govuk-error-message" not in html
    assert 'aria-describedby="id_agree-hint"' in html
