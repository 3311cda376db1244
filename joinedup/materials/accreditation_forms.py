"""Forms of the accreditation pages: accrediting a trainer, and withdrawing an accreditation.

The forms read what was typed; `services.accredit` and `services.withdraw_accreditation` check
the rules and name the field of any refusal, which the views put on that field.
"""

from __future__ import annotations

from django import forms

from joinedup.lib.govuk_forms import GovukForm
from joinedup.partnership.actor import Actor
from joinedup.partnership.forms import DateInputField
from joinedup.partnership.models import Person

from . import access


class AccreditForm(GovukForm):
    """Who is accredited, when, until when, and the evidence of their training."""

    person = forms.CharField(
        label="Trainer's work e-mail address",
        help_text="Someone on the staff of your organisation or a partner organisation",
        max_length=254,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter the trainer's work e-mail address"},
    )
    accredited_on = DateInputField(
        label="Accreditation date", help_text="When they completed the training, like 12 10 2026"
    )
    expires_on = DateInputField(label="Expiry date", help_text="For example, 12 10 2028")
    evidence_url = forms.CharField(
        label="Link to the evidence",
        help_text="Like a certificate or an observation record, starting https://",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args, actor: Actor, materials: list[tuple[int, str]], **kwargs) -> None:
        # Set before GovukForm's __init__, which cleans a bound form.
        self.actor = actor
        self.base_fields = {
            **self.base_fields,
            "evidence_material": forms.TypedChoiceField(
                label="Evidence from the library",
                help_text="A material linked to this programme, instead of or as well as a link",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "No material"), *materials],
                error_messages={"invalid_choice": "Choose a material from the list"},
            ),
        }
        super().__init__(*args, **kwargs)
        self.order_fields(["person", "accredited_on", "expires_on", "evidence_material"])

    def clean_person(self) -> Person:
        found = access.find_person_to_accredit(self.actor, self.cleaned_data["person"])
        if found is None:
            raise forms.ValidationError(
                "No one on the staff of your organisation or a partner has that e-mail address"
            )
        return found


class WithdrawAccreditationForm(GovukForm):
    """Withdrawing an accreditation, with the reason kept beside it."""

    reason = forms.CharField(
        label="Why withdraw it",
        help_text="The trainer and the programme's host see this reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why it is withdrawn"},
    )
