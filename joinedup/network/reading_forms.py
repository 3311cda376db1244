"""Forms of the reading pages: a member's subscription to a space."""

from __future__ import annotations

from django import forms

from .models import Subscription


class SubscriptionForm(forms.Form):
    subscription = forms.ChoiceField(
        label="How do you want to hear about new posts?",
        choices=Subscription.choices,
        help_text="Digests list the posts since the last one, without your own posts.",
        error_messages={
            "required": "Select how you want to hear about new posts",
            "invalid_choice": "Select one of the choices for how you want to hear about new posts",
        },
    )
