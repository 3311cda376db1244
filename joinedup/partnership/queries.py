"""Reads that the directory pages (and the API) share, always fed by the access functions.

Lists use keyset pagination and never count their rows, so a page costs the same number of
queries, and about the same time, whether the directory holds five hundred people or half a million.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Concat, Round, Upper

from joinedup.lib.expressions import ByteOrder
from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.lib.money import from_pennies
from joinedup.lib.spreadsheet_cells import neutralise

from . import access
from .actor import Actor
from .models import (
    EmailAddress,
    Employment,
    EmploymentKind,
    Membership,
    NotificationPreference,
    Organisation,
    OrganisationRoleGrant,
    PartnershipRoleGrant,
    Person,
    RechargeEntry,
)

PAGE_SIZE = 50
PEOPLE_ORDER = ("person__family_name", "person__given_name", "person_id", "id")
# Names upper-cased, in byte order (`_name_keys`).
SEARCHED_PEOPLE_ORDER = ("sort_family_name", "sort_given_name", "person_id", "id")
ORGANISATION_ORDER = ("name", "id")
# What a directory row shows (and its cursor needs): a page reads no other column.
DIRECTORY_COLUMNS = (
    "job_title",
    "work_email",
    "person",
    "person__family_name",
    "person__given_name",
    "organisation",
    "organisation__name",
)
SENIORITY_BANDS = {"entry": (1, 3), "middle": (4, 6), "senior": (7, 9)}
MAX_SEARCH_WORDS = 5
SELECTIVE_WORD = 3  # letters; trigram indexes need three


def search_words(query: str) -> list[str]:
    """The first few words of a search box, so a pasted essay cannot build a huge query."""
    return query.split()[:MAX_SEARCH_WORDS]


def directory_organisation_choices(actor: Actor) -> list[tuple[int, str]]:
    """The organisations the people directory can be filtered by, as (id, name)."""
    return list(access.directory_organisations(actor).order_by("name").values_list("pk", "name"))


def people_directory(
    actor: Actor,
    *,
    query: str = "",
    job_title: str = "",
    organisation_id: int | None = None,
    sector: str = "",
    band: str = "",
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of the actor's people directory: current jobs by name, searched and filtered.

    `query` matches the start of a given name, family name or sign-in e-mail address; `job_title`
    matches words anywhere in the job title.
    """
    rows = access.directory_employments(actor)
    for word in search_words(job_title):
        rows = rows.filter(job_title__icontains=word)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    if sector:
        rows = rows.filter(organisation__sector=sector)
    if band in SENIORITY_BANDS:
        rows = rows.filter(seniority__range=SENIORITY_BANDS[band])
    words = search_words(query)
    searched = any(len(word) >= SELECTIVE_WORD for word in [*words, *search_words(job_title)])
    longest = max(words, key=len, default="")
    if len(longest) >= SELECTIVE_WORD:
        words.remove(longest)
    for word in words:
        rows = rows.filter(_name_starts_with(word))
    if not searched:
        # Walking the name index until enough rows match is quick for an unsearched directory,
        # or a word of a letter or two, which matches nearly everywhere.
        return _page((rows,), PEOPLE_ORDER, after, before, size)
    # PostgreSQL expects matches to be spread evenly through the name index, so it would walk
    # most of it for a common name late in the alphabet. Searched pages are ordered by names
    # upper-cased and compared byte by byte instead.
    if len(longest) < SELECTIVE_WORD:
        unsplit = rows.annotate(**_name_keys(indexed=False))
        return _page((unsplit,), SEARCHED_PEOPLE_ORDER, after, before, size)
    # The longest word splits the matches in two, read separately and merged: family names
    # that start with it, walked in order through the index of migration 0006 and read no
    # further than the page; and the other matches (given name or e-mail address), found
    # through their own indexes and sorted.
    by_family = rows.annotate(**_name_keys(indexed=True)).filter(
        sort_family_name__startswith=Upper(Value(longest))
    )
    by_other = (
        rows.filter(
            Q(person__given_name__istartswith=longest) | Q(person__email__istartswith=longest)
        )
        .exclude(person__family_name__istartswith=longest)
        .annotate(**_name_keys(indexed=False))
    )
    return _page((by_family, by_other), SEARCHED_PEOPLE_ORDER, after, before, size)


def _name_starts_with(word: str) -> Q:
    """A given name, family name or sign-in e-mail address starts with `word`, in any case.
    Each condition is on one table, so PostgreSQL can use the indexes of migrations 0002 and
    0006: an OR spanning person and employment columns would make it read every row."""
    return (
        Q(person__family_name__istartswith=word)
        | Q(person__given_name__istartswith=word)
        | Q(person__email__istartswith=word)
    )


def _name_keys(*, indexed: bool) -> dict[str, ByteOrder]:
    """The searched order's keys: family and given names, upper-cased, in byte order.

    Indexed keys are the expressions of the index of migration 0006, so PostgreSQL can walk a
    family name's matches in order. The others give the same values by expressions no index
    provides, so that PostgreSQL finds the matches through the search indexes and sorts only
    those instead of walking the whole name index in order, testing each row.
    """

    def key(field: str) -> ByteOrder:
        return ByteOrder(Upper(field if indexed else Concat(field, Value(""))))

    return {
        "sort_family_name": key("person__family_name"),
        "sort_given_name": key("person__given_name"),
    }


def _page(
    parts: tuple[QuerySet, ...],
    ordering: tuple[str, ...],
    after: str | None,
    before: str | None,
    size: int,
) -> KeysetPage:
    parts = tuple(
        part.select_related("person", "organisation").only(*DIRECTORY_COLUMNS) for part in parts
    )
    return keyset_page(parts, ordering, after=after, before=before, size=size)


def organisations_directory(
    actor: Actor,
    *,
    query: str = "",
    sector: str = "",
    kind: str = "",
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of the organisations the actor can see, by name, searched and filtered."""
    organisations = access.visible_organisations(actor)
    for word in search_words(query):
        organisations = organisations.filter(name__icontains=word)
    if sector:
        organisations = organisations.filter(sector=sector)
    if kind:
        organisations = organisations.filter(kind=kind)
    return keyset_page(organisations, ORGANISATION_ORDER, after=after, before=before, size=size)


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    memberships: list[Membership]
    may_see_staff: bool
    may_administer: bool


def organisation_page(actor: Actor, organisation: Organisation) -> OrganisationPage:
    """What the organisation page shows of a visible organisation."""
    memberships = access.memberships_for(actor, organisation).select_related("partnership")
    return OrganisationPage(
        organisation=organisation,
        memberships=list(memberships.order_by("partnership__name", "joined_on")),
        may_see_staff=access.may_see_staff_of(actor, organisation),
        may_administer=access.can_administer(actor, organisation),
    )


@dataclass(frozen=True)
class PersonPage:
    person: Person
    current: list[Employment]
    past: list[Employment]
    shows_history: bool
    organisation_roles: list[OrganisationRoleGrant]
    partnership_roles: list[PartnershipRoleGrant]


def _employments(queryset: QuerySet[Employment]) -> tuple[list[Employment], list[Employment]]:
    """Current and past employments, newest first."""
    employments = list(
        queryset.select_related("organisation", "grade", "destination_organisation").order_by(
            "-start_date", "-id"
        )
    )
    current = [employment for employment in employments if employment.is_current()]
    past = [employment for employment in employments if not employment.is_current()]
    # Where a home job's person is seconded elsewhere, say so even to viewers of the home job
    # who do not see the host's employment itself (its organisation and end date only).
    people = {employment.person_id for employment in current}
    secondments = Employment.objects.current().filter(
        person_id__in=people, kind=EmploymentKind.SECONDMENT
    )
    away = seconded_out(current + list(secondments.select_related("organisation")))
    for employment in current:
        employment.seconded_out_to = away.get(employment.pk)
    return current, past


def seconded_out(
    employments: list[Employment], day: dt.date | None = None
) -> dict[int, Employment]:
    """Which of a person's home jobs are "seconded out" on the day (today if None): each job that
    is not itself a secondment, mapped to a secondment at another organisation current on the day
    (the one ending soonest). Worked out from the employments given, nothing else."""
    secondments = sorted(
        (
            employment
            for employment in employments
            if employment.kind == EmploymentKind.SECONDMENT and employment.is_current(day)
        ),
        key=lambda employment: (employment.end_date or dt.date.max, employment.pk),
    )
    away = {}
    seen = set()
    for employment in employments:
        if employment.pk in seen:
            continue
        seen.add(employment.pk)
        if employment.kind == EmploymentKind.SECONDMENT or not employment.is_current(day):
            continue
        elsewhere = [s for s in secondments if s.organisation_id != employment.organisation_id]
        if elsewhere:
            away[employment.pk] = elsewhere[0]
    return away


def person_page(actor: Actor, person: Person) -> PersonPage:
    """What the person page shows of a visible person, history only where the actor may see it."""
    shows_history = access.may_see_history(actor, person)
    current, past = _employments(access.employments_for(actor, person))
    return PersonPage(
        person=person,
        current=current,
        past=past if shows_history else [],
        shows_history=shows_history,
        organisation_roles=list(
            access.organisation_roles_for(actor, person)
            .select_related("organisation")
            .order_by("organisation__name", "role")
        ),
        partnership_roles=list(
            access.partnership_roles_for(actor, person)
            .select_related("partnership")
            .order_by("partnership__name", "role")
        ),
    )


@dataclass(frozen=True)
class ProfilePage:
    person: Person
    page: PersonPage
    email_addresses: list[str]
    email_optional: bool


def profile_page(actor: Actor) -> ProfilePage:
    """The signed-in person's own record: names, addresses, jobs, roles and preferences."""
    person = actor.person
    addresses = [person.email]
    addresses += [
        address
        for address in EmailAddress.objects.filter(person=person)
        .order_by("added_at", "id")
        .values_list("email", flat=True)
        if address.lower() != person.email.lower()
    ]
    preference = NotificationPreference.objects.filter(person=person).first()
    return ProfilePage(
        person=person,
        page=person_page(actor, person),
        email_addresses=addresses,
        email_optional=preference is None or preference.email_optional,
    )


# --- Recharge statements ----------------------------------------------------------------------

# Amounts are summed as whole pennies: SQLite keeps decimals as floating point, which would make
# sums inexact; each amount times 100, rounded, is an exact integer on both databases.
PENNIES = Cast(Round(F("amount") * 100), BigIntegerField())
NO_PENNIES = Value(0, output_field=BigIntegerField())


@dataclass(frozen=True)
class StatementRow:
    partner_id: int
    partner_name: str
    owed_by_us: Decimal
    owed_to_us: Decimal
    net: Decimal


@dataclass(frozen=True)
class StatementTotals:
    owed_by_us: Decimal
    owed_to_us: Decimal
    net: Decimal


def statement_totals(rows: list[StatementRow]) -> StatementTotals:
    """A statement's totals across its partners: owed by us, owed to us, and net."""
    zero = Decimal("0.00")
    return StatementTotals(
        owed_by_us=sum((row.owed_by_us for row in rows), zero),
        owed_to_us=sum((row.owed_to_us for row in rows), zero),
        net=sum((row.net for row in rows), zero),
    )


def _entries_of(organisation: Organisation, start: dt.date, end: dt.date) -> QuerySet:
    return RechargeEntry.objects.filter(
        Q(payer=organisation) | Q(payee=organisation),
        occurred_on__gte=start,
        occurred_on__lte=end,
    )


def recharge_statement(
    organisation: Organisation, start: dt.date, end: dt.date, *, partner_id: int | None = None
) -> list[StatementRow]:
    """What the organisation owes and is owed per partner between two dates, summed in one query;
    only the row of one partner when `partner_id` is given.

    Net is owed to us less owed by us. The caller has checked the actor may read the
    organisation's recharges (`access.may_read_recharges`).
    """
    we_pay = Q(payer=organisation)
    entries = _entries_of(organisation, start, end)
    if partner_id is not None:
        entries = entries.filter(Q(payer_id=partner_id) | Q(payee_id=partner_id))
    rows = (
        entries.annotate(
            partner_id=Case(When(we_pay, then=F("payee_id")), default=F("payer_id")),
            partner_name=Case(When(we_pay, then=F("payee__name")), default=F("payer__name")),
        )
        .values("partner_id", "partner_name")
        .annotate(
            owed_by_us=Sum(Case(When(we_pay, then=PENNIES), default=NO_PENNIES)),
            owed_to_us=Sum(Case(When(we_pay, then=NO_PENNIES), default=PENNIES)),
        )
        .order_by("partner_name", "partner_id")
    )
    return [
        StatementRow(
            partner_id=row["partner_id"],
            partner_name=row["partner_name"],
            owed_by_us=from_pennies(row["owed_by_us"]),
            owed_to_us=from_pennies(row["owed_to_us"]),
            net=from_pennies(row["owed_to_us"] - row["owed_by_us"]),
        )
        for row in rows
    ]


RECHARGE_CSV_HEADER = [
    "Date",
    "Entry",
    "Payer",
    "Payee",
    "Amount",
    "Net to us",
    "Source kind",
    "Source reference",
    "Source",
    "Purchase order",
    "Cost centre",
    "Reverses entry",
    "Reason",
]


def recharge_statement_csv_lines(
    organisation: Organisation, start: dt.date, end: dt.date, *, partner_id: int | None = None
) -> Iterator[list[str]]:
    """The entries behind a statement, one line each for a finance system, safe to open in Excel;
    yielded one at a time so years of entries stream in chunks; only those with one partner
    when `partner_id` is given."""
    entries = _entries_of(organisation, start, end)
    if partner_id is not None:
        entries = entries.filter(Q(payer_id=partner_id) | Q(payee_id=partner_id))
    entries = entries.select_related("payer", "payee").order_by("occurred_on", "id")
    yield RECHARGE_CSV_HEADER
    for entry in entries.iterator(chunk_size=2000):
        net = -entry.amount if entry.payer_id == organisation.pk else entry.amount
        cells = [
            entry.occurred_on.isoformat(),
            entry.pk,
            entry.payer.name,
            entry.payee.name,
            entry.amount,
            net,
            entry.source_kind,
            entry.source_id,
            entry.source_label,
            entry.purchase_order,
            entry.cost_centre,
            entry.reverses_id or "",
            entry.reason,
        ]
        yield [neutralise(cell) for cell in cells]


RECHARGE_ENTRY_ORDER = ("-occurred_on", "-id")


def recharge_entries(
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    partner_id: int | None = None,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of the acting organisation's entries in a period, newest first, with status."""
    entries = access.visible_recharges(actor).filter(occurred_on__gte=start, occurred_on__lte=end)
    if partner_id is not None:
        entries = entries.filter(Q(payer_id=partner_id) | Q(payee_id=partner_id))
    return keyset_page(
        entries.with_status().select_related("payer", "payee"),
        RECHARGE_ENTRY_ORDER,
        after=after,
        before=before,
        size=size,
    )


def recharge_partner_choices(actor: Actor) -> list[tuple[int, str]]:
    """Partners the acting organisation may have recharges with, as (id, name), by name."""
    partners = access.partner_organisations(actor).exclude(pk=actor.organisation_id)
    return list(partners.order_by("name", "pk").values_list("pk", "name"))
