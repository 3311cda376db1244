"""A base form whose widgets carry GOV.UK Frontend classes and point at their hint and error."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")


class QuickSelect(forms.Select):
    """A select written out in Python rather than through a template per option.

    The same HTML as Django's `select.html`, for long lists on busy pages (the catalogue's filters):
    each option otherwise costs a template include.
    """

    def render(
        self, name: str, value: object, attrs: dict | None = None, renderer=None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for label, options, _index in widget["optgroups"]:
            written = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], SELECTED if option["selected"] else "", option["label"])
                    for option in options
                ),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', label, written)
                if label
                else written
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )


WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


def optional_id_choice(
    *, label: str, everything: str, choices: list[tuple[int, str]], noun: str
) -> forms.TypedChoiceField:
    """A filter's optional choice of one of `choices` by id ("" offers `everything`), shown as a
    `QuickSelect`; anything else is "Choose a `noun` from the list"."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", everything), *choices],
        widget=QuickSelect,
        error_messages={"invalid_choice": f"Choose {noun} from the list"},
    )


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
