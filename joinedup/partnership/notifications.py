"""Templated messages to people: e-mail through Django's backend, or GOV.UK Notify when configured.

Every message is recorded (template and time, never its body). Optional messages (reminders,
digests) honour the person's preference; messages about their account or bookings always go.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from notifications_python_client.notifications import NotificationsAPIClient

from .models import NotificationPreference, Person, SentNotification

logger = logging.getLogger(__name__)


def wants_optional_email(person: Person) -> bool:
    """Whether the person accepts reminders and digests."""
    preference = NotificationPreference.objects.filter(person=person).first()
    return preference is None or preference.email_optional


def notify(
    person: Person, template: str, context: dict, *, optional: bool = False, to: str | None = None
) -> bool:
    """Send `notifications/<template>.txt` (first line: subject) to the person; say if it went."""
    if optional and not wants_optional_email(person):
        SentNotification.objects.create(person=person, template=template, skipped=True)
        return False
    text = render_text(f"notifications/{template}.txt", {"person": person, **context})
    subject, _, body = text.strip().partition("\n")
    send_email(to=to or person.email, subject=subject.strip(), body=body.strip() + "\n")
    SentNotification.objects.create(person=person, template=template)
    return True


def notify_after_commit(people: Iterable[Person], template: str, context: dict) -> None:
    """`notify` each person once the current transaction commits (at once outside one); a failed
    e-mail is logged and leaves what was saved as it is, and the others still go."""
    for person in people:
        transaction.on_commit(lambda person=person: notify(person, template, context), robust=True)


def render_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping, so "O'Neill" stays "O'Neill"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def send_email(*, to: str, subject: str, body: str) -> None:
    """Deliver one e-mail: by GOV.UK Notify when NOTIFY_API_KEY is set, else Django's backend."""
    if settings.NOTIFY_API_KEY:
        NotificationsAPIClient(settings.NOTIFY_API_KEY).send_email_notification(
            email_address=to,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": subject, "body": body},
        )
        return
    send_mail(
        subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to]
    )
