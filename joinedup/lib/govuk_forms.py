"""A base form whose widgets carry GOV.UK Frontend classes and point at their hint and error."""

from __future__ import annotations

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukForm(forms.Form):
    """Use instead of forms.Form; render each field with templates/includes/field.html."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(field.widget, kind)),
                "govuk-input",
            )
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if self.is_bound and name in self.errors:
                css += f" {css.split()[0]}--error"
                described.append(f"id_{name}-error")
            field.widget.attrs["class"] = css
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            if isinstance(field, forms.EmailField):
                field.widget.attrs.setdefault("autocomplete", "email")
                field.widget.attrs.setdefault("spellcheck", "false")
