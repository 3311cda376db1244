"""Forms of the space pages. They read what was typed; `spaces` checks the rules and names the
field of any refusal (`show_refusal` puts it on the field here)."""

from __future__ import annotations

import copy

from django import forms

from joinedup.lib.govuk_forms import GovukForm

from .spaces import DESCRIPTION_LIMIT, TITLE_LIMIT

SEARCH_LIMIT = 200


class SpaceSearchForm(GovukForm):
    q = forms.CharField(
        label="Search by title",
        required=False,
        max_length=SEARCH_LIMIT,
        error_messages={"max_length": f"Search must be {SEARCH_LIMIT} characters or fewer"},
    )


class SpaceForm(GovukForm):
    """A community's (or, without join approval, another space's) title and description."""

    title = forms.CharField(
        label="Title",
        help_text="For example, Reflective supervision in adult social care",
        max_length=TITLE_LIMIT,
        error_messages={
            "required": "Enter a title",
            "max_length": f"Title must be {TITLE_LIMIT} characters or fewer",
        },
    )
    description = forms.CharField(
        label="What it is for",
        help_text="Who it is for and what members discuss. Everyone in the partnership can read "
        "this",
        required=False,
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer"
        },
    )
    join_approval = forms.BooleanField(
        label="I approve each request to join",
        help_text="Otherwise anyone in the partnership joins at once",
        required=False,
    )

    def __init__(self, *args, community: bool = True, **kwargs) -> None:
        if not community:
            self.base_fields = {
                name: field for name, field in self.base_fields.items() if name != "join_approval"
            }
        super().__init__(*args, **kwargs)


class ModeratorForm(GovukForm):
    """Name a member moderator, or stop one moderating (the remove buttons send action=remove)."""

    person = forms.TypedChoiceField(
        label="Member",
        help_text="Moderators hide and restore posts and lock threads in this space",
        coerce=int,
        error_messages={
            "required": "Choose a member of this space",
            "invalid_choice": "Choose a member of this space",
        },
    )
    action = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs) -> None:
        # GovukForm cleans a bound form while it starts, so the choices go in first.
        person = copy.deepcopy(self.base_fields["person"])
        person.choices = [("", "Choose a member"), *members]
        self.base_fields = {**self.base_fields, "person": person}
        super().__init__(*args, **kwargs)

    def clean_action(self) -> str:
        return "remove" if self.cleaned_data.get("action") == "remove" else "name"
