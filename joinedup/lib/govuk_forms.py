"""A base form whose widgets carry GOV.UK Frontend classes and point at their hint and error."""

from __future__ import annotations

import html

from django import forms
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")


class QuickSelect(forms.Select):
    """A select written out in Python rather than through a template per option.

    The same HTML as Django's `select.html` (but for the whitespace between tags), for long lists
    on busy pages (the catalogue's filters, a member's 200 discussion spaces): each option
    otherwise costs a template include, and even `format_html` per option costs about 10 us.
    """

    def render(
        self, name: str, value: object, attrs: dict | None = None, renderer=None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        written = [
            f'<select name="{_escaped(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>'
        ]
        for group, options in _grouped(self.choices):
            if group:
                written.append(f'<optgroup label="{_escaped(group)}">')
            for option_value, label in options:
                value_text = "" if option_value is None else str(option_value)
                selected = value_text in chosen
                if selected and not self.allow_multiple_selected:
                    chosen = set()
                written.append(
                    f'<option value="{_escaped(value_text)}"{SELECTED if selected else ""}>'
                    f"{_escaped(label)}</option>"
                )
            if group:
                written.append("</optgroup>")
        written.append("</select>")
        return mark_safe("".join(written))  # noqa: S308 - every part above is escaped


def _escaped(text: object) -> str:
    """`conditional_escape` without its wrappers: safe text as it is, anything else escaped."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _attributes(attrs: dict) -> str:
    """The attributes in their order, as Django's `attrs.html` writes them (True bare, False and
    None left out)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _grouped(choices) -> list[tuple[object, list[tuple[object, object]]]]:
    """Choices as (group label or None, its options), as Django's `optgroups` reads them."""
    groups: list[tuple[object, list[tuple[object, object]]]] = []
    for option_value, label in choices:
        if isinstance(label, (list, tuple)):
            groups.append((option_value, list(label)))
        else:
            groups.append((None, [(option_value, label)]))
    return groups


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
