"""Levy account set-up in the API: an account's PAYE schemes and declarations, and adding one.

Accounts are fetched through `levy.access` like the pages: readers of the account's figures list
them, only its organisation's levy officer adds a declaration (403 for other readers, 404 for
everyone else). A declaration added here is used at once by the ledger's funds in. Imports of a
CSV are made on the web pages only: organisation tokens never run imports (DESIGN.md), and a
person's script can post declarations one by one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, Pagination, page_of

from .. import access, declarations
from ..declaration_file import ID_MAX_LENGTH, tax_year_problem
from ..models import Declaration, PayeScheme

router = Router(tags=["levy"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
DECLARATION_ORDER = ("payroll_year", "payroll_month", "id")
# The service's field names that the API spells differently.
BODY_FIELDS = {"submitted_on": "submitted_at"}


class SchemeOut(Schema):
    id: int
    reference: str
    name: str


class DeclarationOut(Schema):
    id: int
    scheme: str = Field(description="The PAYE scheme reference.")
    submission_id: str
    payroll_year: str = Field(description="Tax year, YY-YY.")
    payroll_month: int = Field(description="1 (6 April to 5 May) to 12.")
    levy_due_ytd: Decimal | None = Field(description="Null for no payment for period.")
    submitted_at: dt.date
    imported: bool = Field(description="Whether it came from a CSV import.")


class DeclarationPage(Schema):
    items: list[DeclarationOut]
    next: str | None


def _tax_year(value: str | None) -> str | None:
    problem = tax_year_problem(value) if value is not None else None
    if problem:
        raise ValueError(problem)
    return value


def _plain_text(value: str) -> str:
    """Databases refuse NUL characters and lone surrogates: name the field rather than fail."""
    if any(ord(character) < 32 for character in value):
        raise ValueError("must not contain control characters")
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


class DeclarationFilters(Schema):
    scheme: Id | None = Field(None, description="A PAYE scheme's id.")
    payroll_year: str | None = Field(None, max_length=5, description="A tax year, YY-YY.")

    _year = field_validator("payroll_year")(_tax_year)


class DeclarationIn(Schema):
    scheme: Id = Field(description="The id of one of the account's PAYE schemes.")
    payroll_year: str = Field(max_length=5, description="Tax year, YY-YY.")
    payroll_month: int = Field(ge=1, le=12)
    levy_due_ytd: Decimal | None = Field(
        max_digits=20,
        decimal_places=5,
        ge=0,
        description="The levy due for the year so far; null for no payment for period.",
    )
    submitted_at: dt.date = Field(description="The date it was submitted to HMRC.")
    submission_id: str = Field(
        "",
        max_length=ID_MAX_LENGTH,
        description="HMRC's submission id; one is made up when left out.",
    )

    _year = field_validator("payroll_year")(_tax_year)
    _submission_id = field_validator("submission_id")(_plain_text)


def _declaration(row: Declaration) -> dict:
    return {
        "id": row.pk,
        "scheme": row.scheme.reference,
        "submission_id": row.submission_id,
        "payroll_year": row.payroll_year,
        "payroll_month": row.payroll_month,
        "levy_due_ytd": row.levy_due_ytd,
        "submitted_at": row.submitted_on,
        "imported": row.imported_by_id is not None,
    }


@router.get(
    "/accounts/{pk}/schemes",
    response={200: list[SchemeOut], **ERRORS},
    summary="An account's PAYE schemes",
)
def list_schemes(request: HttpRequest, pk: Id) -> list[PayeScheme]:
    """The PAYE schemes whose declarations feed the account, by reference."""
    account = access.get_account_for(request.auth, pk)
    return list(account.schemes.order_by("reference"))


@router.get(
    "/accounts/{pk}/declarations",
    response={200: DeclarationPage, **ERRORS},
    summary="An account's declarations",
)
def list_declarations(
    request: HttpRequest, pk: Id, filters: Query[DeclarationFilters], page: Query[Pagination]
) -> dict:
    """Declarations of the account's schemes, by tax year, payroll month and order entered."""
    account = access.get_account_for(request.auth, pk)
    rows = Declaration.objects.filter(scheme__account=account).select_related("scheme")
    if filters.scheme is not None:
        rows = rows.filter(scheme_id=filters.scheme)
    if filters.payroll_year:
        rows = rows.filter(payroll_year=filters.payroll_year)
    result = page_of(rows, DECLARATION_ORDER, (str, int, int), page)
    return {"items": [_declaration(row) for row in result["items"]], "next": result["next"]}


@router.post(
    "/accounts/{pk}/declarations",
    response={201: DeclarationOut, **ERRORS},
    summary="Add a declaration",
)
def add_declaration(request: HttpRequest, pk: Id, data: DeclarationIn) -> Status:
    """Record one declaration (the account's levy officer); funds in follow at once.

    A submission id already recorded for the scheme is a 409.
    """
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    account = access.get_managed_account_for(actor, pk)
    scheme = account.schemes.filter(pk=data.scheme).first()
    if scheme is None:
        raise HttpError(422, "scheme (body): not one of this account's PAYE schemes")
    try:
        declaration = declarations.add_declaration(
            actor=actor,
            scheme=scheme,
            payroll_year=data.payroll_year,
            payroll_month=data.payroll_month,
            levy_due_ytd=data.levy_due_ytd,
            submitted_on=data.submitted_at,
            submission_id=data.submission_id,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        status = 409 if field == "submission_id" else 422
        named = BODY_FIELDS.get(field, field)
        raise HttpError(status, f"{named} (body): {' '.join(messages)}") from error
    declaration.scheme = scheme
    return Status(201, _declaration(declaration))
