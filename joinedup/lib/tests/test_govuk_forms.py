"""`QuickSelect` writes the HTML Django's own select template writes, only faster."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from joinedup.lib.govuk_forms import QuickSelect

CHOICES = [
    ("", "All spaces"),
    (1, "Carers' network & friends"),
    (2, '<script>alert("x")</script>'),
    (3, mark_safe("<em>Already safe</em>")),
    ("North & East", [(10, "Hull"), (11, "York")]),
    (None, "No value"),
]
ATTRS = {"id": "id_space", "class": "govuk-select", "aria-describedby": "id_space-hint"}


def django_select(value: object, choices: list = CHOICES) -> str:
    """Django's `select.html`, with the whitespace between tags taken out."""
    return re.sub(r">\s+<", "><", forms.Select(choices=choices).render("space", value, ATTRS))


@pytest.mark.parametrize("value", [None, "", 1, "2", 11, "10", "not a choice"])
def test_writes_what_djangos_select_writes(value: object) -> None:
    assert QuickSelect(choices=CHOICES).render("space", value, ATTRS) == django_select(value)


def test_escapes_labels_and_marks_one_option_selected() -> None:
    written = QuickSelect(choices=CHOICES).render("space", 2, ATTRS)

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in written
    assert "<script>" not in written
    assert "Carers&#x27; network &amp; friends" in written
    assert "<em>Already safe</em>" in written
    assert written.count(" selected") == 1
    assert '<option value="2" selected>' in written
    assert '<optgroup label="North &amp; East">' in written


def test_repeated_values_select_only_the_first() -> None:
    choices = [(1, "First"), (1, "Second")]
    written = QuickSelect(choices=choices).render("space", 1, ATTRS)

    assert written == django_select(1, choices)
    assert written.count(" selected") == 1


def test_required_attribute_is_written_bare() -> None:
    written = QuickSelect(choices=CHOICES).render("space", "", {**ATTRS, "required": True})

    assert re.search(r'<select name="space"[^>]* required[ >]', written)
