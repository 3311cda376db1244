"""`joinedup partnership create`: set up a partnership, its lead's organisation and its first lead.

Bad input is one line on standard error and exit status 2, and nothing is written.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ... import services
from ...models import OrganisationKind, Partnership, PartnershipRole, Person

# The flag to name when a service refuses one of its fields.
FLAG_OF_FIELD = {"kind": "--organisation-kind", "official_code": "--organisation-code"}


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def password_set_path(person: Person) -> str:
    """The one-time link path where the person chooses a password (Django's reset token)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


class Command(BaseCommand):
    help = "Set up partnerships."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create", help="Create a partnership, its lead's organisation and its partnership lead."
        )
        create.add_argument("--name", required=True, help="The partnership's name.")
        create.add_argument("--region", default="", help="Where it is, e.g. London.")
        create.add_argument("--description", default="", help="A sentence about it.")
        create.add_argument("--lead-email", required=True, help="The lead's work e-mail address.")
        create.add_argument("--lead-given-name", required=True)
        create.add_argument("--lead-family-name", required=True)
        create.add_argument(
            "--organisation-name", required=True, help="The organisation the lead works for."
        )
        create.add_argument(
            "--organisation-kind",
            required=True,
            help="One of: " + ", ".join(OrganisationKind.values),
        )
        create.add_argument(
            "--organisation-code",
            default="",
            help="Official code: ONS GSS (E09000005) for councils, NHS ODS (R1K) for NHS bodies.",
        )

    def handle(self, *, action: str, **options: str) -> None:
        self.create(**options)

    def create(
        self,
        *,
        name: str,
        region: str,
        description: str,
        lead_email: str,
        lead_given_name: str,
        lead_family_name: str,
        organisation_name: str,
        organisation_kind: str,
        organisation_code: str,
        **options: object,
    ) -> None:
        name = name.strip()
        lead_email = lead_email.strip().lower()
        code = organisation_code.strip().upper()
        for flag, value in (
            ("--name", name),
            ("--lead-given-name", lead_given_name),
            ("--lead-family-name", lead_family_name),
            ("--organisation-name", organisation_name),
        ):
            if not value.strip():
                raise bad_input(f"{flag}: enter a value")
        try:
            validate_email(lead_email)
        except ValidationError:
            raise bad_input(f"--lead-email: {lead_email!r} is not an e-mail address") from None
        if organisation_kind not in OrganisationKind.values:
            raise bad_input(
                f"--organisation-kind: {organisation_kind!r} is not a kind of organisation; "
                f"use one of {', '.join(OrganisationKind.values)}"
            )
        if Partnership.objects.filter(name__iexact=name).exists():
            raise bad_input(f"--name: a partnership called {name!r} already exists")
        try:
            with transaction.atomic():
                organisation = services.create_organisation(
                    name=organisation_name.strip(), kind=organisation_kind, official_code=code
                )
                partnership = services.create_partnership(
                    name=name,
                    region=region.strip(),
                    description=description.strip(),
                    lead_email=lead_email,
                    lead_given_name=lead_given_name.strip(),
                    lead_family_name=lead_family_name.strip(),
                    lead_organisation=organisation,
                )
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise bad_input(f"{FLAG_OF_FIELD.get(field, field)}: {messages[0]}") from None
        lead = partnership.role_grants.get(role=PartnershipRole.PARTNERSHIP_LEAD).person
        self.stdout.write(f"Created the partnership {partnership.name!r} (id {partnership.pk}).")
        self.stdout.write(f"The partnership lead signs in with: {lead.email}")
        if lead.has_usable_password():
            self.stdout.write("They already have a password.")
        else:
            days = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
            self.stdout.write(
                f"They choose a password once, within {days} days, at: {password_set_path(lead)}"
            )
