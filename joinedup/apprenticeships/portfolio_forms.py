"""Forms of the portfolio pages. They read what was typed; `portfolio` checks the rules and names
the field of any refusal, which `show_refusal` puts on the form's field of the same name."""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm

from . import portfolio
from .funding_forms import Radios
from .models import EvidenceKind, Ksb

KIND_HINTS = {
    EvidenceKind.TEXT: "Write what you did and what it shows",
    EvidenceKind.LINK: "A page on the web, such as a shared document or a published report",
    EvidenceKind.FILE: "A document, spreadsheet, presentation, image, video or zip, up to 50 MB",
}
DECISIONS = [
    (portfolio.SIGN_OFF, "Sign it off"),
    (portfolio.ASK_FOR_MORE, "Ask for more"),
]


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose label target is the first box (id `id_<name>` in _ksb_checkboxes.html), so
    the error summary's link reaches them."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


def ksb_label(ksb: Ksb) -> str:
    return f"{ksb.code}: {ksb.description}"


class EvidenceForm(GovukForm):
    """An evidence item: its title, kind and content, and the KSBs it shows."""

    title = forms.CharField(
        label="Title",
        max_length=portfolio.TITLE_LIMIT,
        error_messages={
            "required": "Enter a title for the evidence",
            "max_length": f"The title must be {portfolio.TITLE_LIMIT} characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of evidence is it?",
        choices=EvidenceKind.choices,
        widget=Radios,
        error_messages={
            "required": "Choose a written account, a link or a file",
            "invalid_choice": "Choose a written account, a link or a file",
        },
    )
    text = forms.CharField(
        label="Your account",
        required=False,
        help_text=KIND_HINTS[EvidenceKind.TEXT],
        max_length=portfolio.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "max_length": f"The account must be {portfolio.TEXT_LIMIT:,} characters or fewer"
        },
    )
    url = forms.CharField(
        label="Link",
        required=False,
        help_text=KIND_HINTS[EvidenceKind.LINK],
        max_length=portfolio.URL_LIMIT,
        error_messages={
            "max_length": f"The link must be {portfolio.URL_LIMIT} characters or fewer"
        },
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=KIND_HINTS[EvidenceKind.FILE],
        error_messages={"invalid": "The selected file could not be read: choose it again"},
    )
    ksbs = forms.TypedMultipleChoiceField(
        label="Which KSBs does it show?",
        coerce=int,
        widget=Checkboxes,
        error_messages={
            "required": "Choose at least one KSB this evidence shows",
            "invalid_choice": "Choose KSBs of this apprenticeship's standard from the list",
        },
    )

    def __init__(self, *args, ksbs: list[Ksb], replacing: str = "", **kwargs) -> None:
        self.base_fields = dict(self.base_fields)
        field = forms.TypedMultipleChoiceField(
            label=self.base_fields["ksbs"].label,
            coerce=int,
            widget=Checkboxes,
            choices=[(ksb.pk, ksb_label(ksb)) for ksb in ksbs],
            error_messages=self.base_fields["ksbs"].error_messages,
        )
        self.base_fields["ksbs"] = field
        if replacing:
            upload = forms.FileField(
                label="Replace the file",
                required=False,
                help_text=f"Leave empty to keep {replacing}",
            )
            self.base_fields["file"] = upload
        super().__init__(*args, **kwargs)

    def content(self) -> dict:
        """Only the content the chosen kind needs (other boxes may hold what was typed before the
        kind was changed)."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "text": data["text"] if kind == EvidenceKind.TEXT else "",
            "url": data["url"] if kind == EvidenceKind.LINK else "",
            "upload": data["file"] if kind == EvidenceKind.FILE else None,
        }


class CheckForm(GovukForm):
    """The tutor's decision on an item: sign it off or ask for more, with a note."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        widget=Radios,
        error_messages={
            "required": "Choose whether to sign it off or ask for more",
            "invalid_choice": "Choose whether to sign it off or ask for more",
        },
    )
    note = forms.CharField(
        label="Note to the apprentice",
        required=False,
        max_length=portfolio.NOTE_LIMIT,
        help_text="Needed when you ask for more: say what the evidence still needs to show",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The note must be {portfolio.NOTE_LIMIT} characters or fewer"
        },
    )
