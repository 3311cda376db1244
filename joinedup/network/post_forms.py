"""Forms for threads and posts. They only collect what was typed and chosen: the limits (title and
body lengths, files) are the posting services' (`posts.py`), whose refusals name the field."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm

from . import posts
from .posts import FILES_MAX

BODY_HELP = (
    "Write *emphasis*, **strong**, [words](https://example.org) for a link, lines starting - "
    "for a list and > for a quote."
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to FILES_MAX files chosen in one file input (checked by the service)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


def _body(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        error_messages={"required": "Enter your post"},
    )


def _files() -> MultipleFileField:
    return MultipleFileField(
        label="Attach files",
        help_text=(
            f"Up to {FILES_MAX} files: PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, "
            "PNG, JPEG, MP4 or ZIP"
        ),
        required=False,
        error_messages={"empty": "The file you chose is empty", "invalid": "Choose a file"},
    )


def _checked(check, value: str) -> str:
    """The service's check of a field, so every field's problem is shown at once."""
    try:
        return check(value)
    except posts.PostRefused as refusal:
        raise forms.ValidationError(refusal.message) from refusal


class TextChecks:
    def clean_title(self) -> str:
        return _checked(posts.clean_title, self.cleaned_data["title"])

    def clean_body(self) -> str:
        return _checked(posts.clean_body, self.cleaned_data["body"])


class ThreadForm(TextChecks, GovukForm):
    title = forms.CharField(
        label="Title",
        strip=False,
        widget=forms.TextInput(attrs={"spellcheck": "true"}),
        error_messages={"required": "Enter a title"},
    )
    body = _body("Your post")
    files = _files()


class ReplyForm(TextChecks, GovukForm):
    body = _body("Your reply")
    files = _files()


class EditForm(TextChecks, GovukForm):
    """The post's words; the thread's title too when it is the opening post."""

    title = forms.CharField(
        label="Title", strip=False, error_messages={"required": "Enter a title"}
    )
    body = _body("Your post")

    def __init__(self, *args, opening: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not opening:
            del self.fields["title"]
