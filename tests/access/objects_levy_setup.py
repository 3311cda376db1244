"""The own, partner's and outsider's levy objects behind the account set-up routes."""

from __future__ import annotations

from joinedup.levy.models import DeclarationImport
from joinedup.levy.tests.factories import CommitmentFactory, LevyAccountFactory
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of


def levy_account(world: World, which: str) -> Kwargs:
    """The organisation's levy account."""
    return {"pk": LevyAccountFactory(organisation=organisation_of(world, which)).pk}


def levy_commitment(world: World, which: str) -> Kwargs:
    """An apprenticeship in training that the organisation's account pays for."""
    account = LevyAccountFactory(organisation=organisation_of(world, which))
    return {"pk": CommitmentFactory(account=account).pk}


def levy_declaration_import(world: World, which: str) -> Kwargs:
    """A declarations import recorded for the organisation's account."""
    account = LevyAccountFactory(organisation=organisation_of(world, which))
    found = DeclarationImport.objects.create(
        account=account, file_name="matrix.csv", sha256="0" * 64
    )
    return {"pk": found.pk}


RESOLVERS: dict[str, Resolver] = {
    "levy:setup": levy_account,
    "levy:setup-scheme-add": levy_account,
    "levy:setup-declarations": levy_account,
    "levy:setup-declaration-add": levy_account,
    "levy:setup-import": levy_account,
    "levy:setup-import-confirm": levy_account,
    "levy:setup-import-template": levy_account,
    "levy:setup-declarations-export": levy_account,
    "levy:setup-import-detail": levy_declaration_import,
    "levy:setup-commitments": levy_account,
    "levy:setup-commitment-add": levy_account,
    "levy:setup-commitment": levy_commitment,
    "levy:setup-commitment-end": levy_commitment,
    "api:list_schemes": levy_account,
    "api:list_declarations": levy_account,
    "api:add_declaration": levy_account,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/levy/accounts/{pk}/schemes": levy_account,
    "GET /api/v1/levy/accounts/{pk}/declarations": levy_account,
    "POST /api/v1/levy/accounts/{pk}/declarations": levy_account,
}
