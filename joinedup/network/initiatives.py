"""The initiatives register: recording an initiative and changing it, and searching the register.

`record` and `change` take every field in one mapping (see `FIELDS`, `PARTNER_FIELDS`,
`SPONSOR_FIELDS`) and check every value, refusing a bad one with a ValidationError keyed by the
field's name (partner and sponsor lines also name their row: "Partner 2: ..."). Levels, sectors,
places, partners and sponsors are replaced as a whole. The owner is the acting organisation.
Each write is one transaction with one audit entry holding the names of the changed fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import acting_partnerships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Partnership, Sector

from . import access, places
from .models import (
    Initiative,
    InitiativeLevel,
    InitiativePartner,
    InitiativePlace,
    InitiativeSector,
    InitiativeSponsor,
    InitiativeStatus,
    Level,
    Mission,
    Problem,
)

FIELDS = (
    "title",
    "summary",
    "problem",
    "problem_detail",
    "missions",
    "levels",
    "sectors",
    "places",
    "partners",
    "sponsors",
    "started_on",
    "ended_on",
    "status",
    "funding_amount",
    "funding_source",
    "is_public",
)
PARTNER_FIELDS = ("organisation", "organisation_name", "level", "brings", "contribution")
SPONSOR_FIELDS = ("organisation", "organisation_name", "person", "role")
# What a partner may bring, as the names used in `brings`, and their labels.
BRINGS = {
    "money": "Money",
    "staff": "Staff",
    "data": "Data",
    "legitimacy": "Legitimacy",
    "expertise": "Expertise",
}
TEXT_LIMITS = {
    "title": 200,
    "summary": 10_000,
    "problem_detail": 5_000,
    "funding_source": 200,
    "organisation_name": 200,
    "contribution": 2_000,
    "role": 200,
}
MAX_ROWS = {"partners": 50, "sponsors": 20, "places": 400}
# The largest amount the funding column holds (14 digits, 2 after the point).
MAX_FUNDING = Decimal("999999999999.99")


# --- Checking the values -------------------------------------------------------------------------


def _text(value: Any, field: str, label: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: f"Enter the {label}"})
    limit = TEXT_LIMITS[field]
    if len(text) > limit:
        raise ValidationError(
            {field: f"{label.capitalize()} must be {limit:,} characters or fewer"}
        )
    return text


def _choice(value: Any, field: str, choices: type, label: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: f"Choose the {label} from the list"})
    return str(value)


def _choices(values: Any, field: str, choices: type, label: str) -> list[str]:
    chosen = list(dict.fromkeys(values or []))
    unknown = [str(value) for value in chosen if value not in choices.values]
    if unknown:
        raise ValidationError({field: f"Not a {label} on the list: {', '.join(unknown)}"})
    return chosen


def _date(value: Any, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: f"{label} must be a real date"}) from None


def _funding(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace(",", "").removeprefix("£")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError({"funding_amount": "Funding must be an amount in pounds"}) from None
    if not amount.is_finite():
        raise ValidationError({"funding_amount": "Funding must be an amount in pounds"})
    if amount < 0:
        raise ValidationError({"funding_amount": "Funding must not be negative"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"funding_amount": "Funding must have at most 2 decimal places"})
    if amount > MAX_FUNDING:
        raise ValidationError({"funding_amount": "Funding must be less than £1 trillion"})
    return amount.quantize(Decimal("0.01"))


def _id(value: Any) -> int | None:
    """An id given as a number or as its digits; None for blank; -1 for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(getattr(value, "pk", value)).strip()
    return int(text) if text.isascii() and text.isdigit() else -1


def _missions(values: Any, partnership: Partnership, kept: set[int]) -> list[Mission]:
    """Active missions of the partnership (and retired ones the initiative already names)."""
    ids = [_id(value) for value in values or []]
    offered = Mission.objects.filter(partnership=partnership).filter(
        Q(retired=False) | Q(pk__in=kept)
    )
    found = {mission.pk: mission for mission in offered.filter(pk__in=[i for i in ids if i])}
    if any(pk not in found for pk in ids if pk is not None):
        raise ValidationError(
            {"missions": "Choose missions from the partnership's list of current missions"}
        )
    return list({pk: found[pk] for pk in ids if pk is not None}.values())


def _is_blank(row: Mapping[str, Any]) -> bool:
    return not any(row.get(name) for name in row)


def _rows(values: Any, field: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The filled-in rows, each with its number as shown (blank rows are skipped)."""
    rows = [(number, row) for number, row in enumerate(values or [], start=1)]
    filled = [(number, row) for number, row in rows if not _is_blank(row)]
    if len(filled) > MAX_ROWS[field]:
        raise ValidationError({field: f"List at most {MAX_ROWS[field]} {field}"})
    return filled


@dataclass
class _Named:
    """An organisation on a partner or sponsor line: one of the partnership's, or a name."""

    organisation_id: int | None
    organisation_name: str


def _organisation(row: Mapping[str, Any], field: str, where: str, members: set[int]) -> _Named:
    pk = _id(row.get("organisation"))
    name = _text(row.get("organisation_name"), "organisation_name", "organisation's name")
    if pk is not None and pk not in members:
        raise ValidationError(
            {field: f"{where}: choose an organisation of the partnership from the list"}
        )
    if pk is not None and name:
        raise ValidationError(
            {field: f"{where}: choose an organisation from the list or enter a name, not both"}
        )
    if pk is None and not name:
        raise ValidationError(
            {field: f"{where}: choose an organisation from the list or enter the name of another"}
        )
    return _Named(pk, name)


def _row_text(row: Mapping[str, Any], name: str, field: str, where: str, label: str) -> str:
    try:
        return _text(row.get(name), name, label)
    except ValidationError as error:
        raise ValidationError({field: f"{where}: {error.messages[0]}"}) from None


def _partners(values: Any, members: set[int]) -> list[InitiativePartner]:
    made, seen = [], set()
    for number, row in _rows(values, "partners"):
        where = f"Partner {number}"
        named = _organisation(row, "partners", where, members)
        key = named.organisation_id or named.organisation_name.casefold()
        if key in seen:
            raise ValidationError({"partners": f"{where}: this organisation is already listed"})
        seen.add(key)
        level = row.get("level") or ""
        if level and level not in Level.values:
            raise ValidationError({"partners": f"{where}: choose the level of government"})
        brings = set(row.get("brings") or [])
        unknown = brings - set(BRINGS)
        if unknown:
            raise ValidationError(
                {"partners": f"{where}: not something a partner brings: {', '.join(unknown)}"}
            )
        contribution = _row_text(row, "contribution", "partners", where, "contribution")
        made.append(
            InitiativePartner(
                organisation_id=named.organisation_id,
                organisation_name=named.organisation_name,
                level=level,
                contribution=contribution,
                **{f"brings_{what}": what in brings for what in BRINGS},
            )
        )
    return made


def _sponsors(values: Any, members: set[int], people: set[int]) -> list[InitiativeSponsor]:
    made = []
    for number, row in _rows(values, "sponsors"):
        where = f"Sponsor {number}"
        named = _organisation(row, "sponsors", where, members)
        person = _id(row.get("person"))
        if person is not None and person not in people:
            raise ValidationError(
                {"sponsors": f"{where}: choose the person from your organisation's staff"}
            )
        role = _row_text(row, "role", "sponsors", where, "role")
        made.append(
            InitiativeSponsor(
                organisation_id=named.organisation_id,
                organisation_name=named.organisation_name,
                person_id=person,
                role=role,
            )
        )
    return made


@dataclass
class _Checked:
    values: dict[str, Any]
    missions: list[Mission]
    levels: list[str]
    sectors: list[str]
    places: list[places.Place]
    partners: list[InitiativePartner]
    sponsors: list[InitiativeSponsor]


def _check(
    actor: Actor, data: Mapping[str, Any], partnership: Partnership, current: Initiative | None
) -> _Checked:
    unknown = set(data) - set(FIELDS) - {"partnership"}
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    values = {
        "title": _text(data.get("title"), "title", "title", required=True),
        "summary": _text(data.get("summary"), "summary", "summary", required=True),
        "problem": _choice(data.get("problem"), "problem", Problem, "problem it addresses"),
        "problem_detail": _text(data.get("problem_detail"), "problem_detail", "root cause"),
        "status": _choice(data.get("status"), "status", InitiativeStatus, "status"),
        "started_on": _date(data.get("started_on"), "started_on", "Start date"),
        "ended_on": _date(data.get("ended_on"), "ended_on", "End date"),
        "funding_amount": _funding(data.get("funding_amount")),
        "funding_source": _text(data.get("funding_source"), "funding_source", "funding source"),
        "is_public": bool(data.get("is_public")),
    }
    started, ended = values["started_on"], values["ended_on"]
    if started and ended and ended < started:
        raise ValidationError({"ended_on": "End date must be the same as or after the start date"})
    codes = [str(code) for code in data.get("places") or []]
    if len(codes) > MAX_ROWS["places"]:
        raise ValidationError({"places": f"List at most {MAX_ROWS['places']} places"})
    members = set(access.member_organisations(partnership).values_list("pk", flat=True))
    people = set(access.sponsor_people(actor).values_list("pk", flat=True))
    kept_missions: set[int] = set()
    if current is not None:
        members |= set(
            current.partners.exclude(organisation=None).values_list("organisation", flat=True)
        )
        members |= set(
            current.sponsors.exclude(organisation=None).values_list("organisation", flat=True)
        )
        people |= set(current.sponsors.exclude(person=None).values_list("person", flat=True))
        kept_missions = set(current.missions.values_list("pk", flat=True))
    return _Checked(
        values=values,
        missions=_missions(data.get("missions"), partnership, kept_missions),
        levels=_choices(data.get("levels"), "levels", Level, "level of government"),
        sectors=_choices(data.get("sectors"), "sectors", Sector, "sector"),
        places=places.validate_codes(codes),
        partners=_partners(data.get("partners"), members),
        sponsors=_sponsors(data.get("sponsors"), members, people),
    )


def _partnership_for(actor: Actor, chosen: Any) -> Partnership:
    """The partnership to record in: the one chosen, or the acting organisation's only one."""
    mine = {partnership.pk: partnership for partnership in acting_partnerships(actor)}
    pk = _id(chosen)
    if pk is None and len(mine) == 1:
        return next(iter(mine.values()))
    if pk not in mine:
        raise ValidationError({"partnership": "Choose one of your organisation's partnerships"})
    return mine[pk]


# --- Writing -------------------------------------------------------------------------------------


def _snapshot(initiative: Initiative) -> dict[str, Any]:
    """What the audit compares: each field's value, or for lists a comparable summary."""
    return {
        **{
            field: getattr(initiative, field)
            for field in FIELDS
            if field not in ("missions", "levels", "sectors", "places", "partners", "sponsors")
        },
        "missions": sorted(initiative.missions.values_list("pk", flat=True)),
        "levels": sorted(initiative.levels.values_list("level", flat=True)),
        "sectors": sorted(initiative.sectors.values_list("sector", flat=True)),
        "places": sorted(initiative.places.values_list("gss_code", flat=True)),
        "partners": list(
            initiative.partners.values_list(
                "organisation",
                "organisation_name",
                "level",
                "contribution",
                *(f"brings_{what}" for what in BRINGS),
            )
        ),
        "sponsors": list(
            initiative.sponsors.values_list("organisation", "organisation_name", "person", "role")
        ),
    }


def _save_lists(initiative: Initiative, checked: _Checked) -> None:
    initiative.missions.set(checked.missions)
    for related in ("levels", "sectors", "places", "partners", "sponsors"):
        getattr(initiative, related).all().delete()
    InitiativeLevel.objects.bulk_create(
        InitiativeLevel(initiative=initiative, level=level) for level in checked.levels
    )
    InitiativeSector.objects.bulk_create(
        InitiativeSector(initiative=initiative, sector=sector) for sector in checked.sectors
    )
    InitiativePlace.objects.bulk_create(
        InitiativePlace(initiative=initiative, gss_code=place.gss_code, name=place.name)
        for place in checked.places
    )
    for row in (*checked.partners, *checked.sponsors):
        row.initiative = initiative
    InitiativePartner.objects.bulk_create(checked.partners)
    InitiativeSponsor.objects.bulk_create(checked.sponsors)


def record(actor: Actor, data: Mapping[str, Any]) -> Initiative:
    """Record an initiative owned by the acting organisation, in one of its partnerships."""
    if not access.may_record_initiative(actor):
        raise PermissionDenied
    partnership = _partnership_for(actor, data.get("partnership"))
    checked = _check(actor, data, partnership, None)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            partnership=partnership,
            owner_organisation=actor.organisation,
            created_by=actor.person,
            **checked.values,
        )
        _save_lists(initiative, checked)
        audit.record(
            actor=actor,
            action="network.initiative.recorded",
            kind="network.initiative",
            object_id=initiative.pk,
            label=initiative.title,
            organisation=actor.organisation,
            partnership=partnership,
        )
    return initiative


def change(actor: Actor, initiative: Initiative, data: Mapping[str, Any]) -> bool:
    """Change every field of an initiative the actor may edit; False when nothing changed."""
    if not access.may_edit_initiative(actor, initiative):
        raise PermissionDenied
    if data.get("partnership") not in (None, "", initiative.partnership_id):
        raise ValidationError({"partnership": "An initiative cannot move to another partnership"})
    checked = _check(actor, data, initiative.partnership, initiative)
    with transaction.atomic():
        before = _snapshot(initiative)
        for field, value in checked.values.items():
            setattr(initiative, field, value)
        initiative.updated_at = timezone.now()
        initiative.save()
        _save_lists(initiative, checked)
        changed = sorted(
            field for field, value in _snapshot(initiative).items() if before[field] != value
        )
        if not changed:
            transaction.set_rollback(True)
            return False
        audit.record(
            actor=actor,
            action="network.initiative.changed",
            kind="network.initiative",
            object_id=initiative.pk,
            label=initiative.title,
            organisation=initiative.owner_organisation,
            partnership=initiative.partnership,
            changes={"fields": changed},
        )
    return True


# --- The register --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the register is searched for; empty values do not filter."""

    q: str = ""
    problem: str = ""
    mission: int | None = None
    status: str = ""
    sector: str = ""
    level: str = ""
    place: str = ""


def places_matching(text: str) -> list[str]:
    """GSS codes for a place filter: the code typed, or every local authority whose name
    contains the text."""
    return [place.gss_code for place in places.search(text)]


def search(actor: Actor, filters: Filters) -> QuerySet[Initiative]:
    """Visible initiatives matching every filter, by title."""
    found = access.visible_initiatives(actor)
    for word in filters.q.split()[:10]:
        found = found.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(problem_detail__icontains=word)
        )
    if filters.problem:
        found = found.filter(problem=filters.problem)
    if filters.status:
        found = found.filter(status=filters.status)
    # Subqueries rather than joins, so an initiative with two matching rows is listed once.
    if filters.mission is not None:
        found = found.filter(
            pk__in=Initiative.missions.through.objects.filter(mission_id=filters.mission).values(
                "initiative"
            )
        )
    if filters.sector:
        found = found.filter(
            pk__in=InitiativeSector.objects.filter(sector=filters.sector).values("initiative")
        )
    if filters.level:
        found = found.filter(
            pk__in=InitiativeLevel.objects.filter(level=filters.level).values("initiative")
        )
    if filters.place.strip():
        codes = places_matching(filters.place)
        found = found.filter(
            pk__in=InitiativePlace.objects.filter(gss_code__in=codes).values("initiative")
        )
    return found.order_by("title", "id")


def csv_rows(found: Iterable[Initiative]) -> Sequence[list[Any]]:
    """The register as rows for a CSV: a header, then one row per initiative (lists joined
    with "; "). Cells are neutralised by the caller."""
    header = [
        "Title",
        "Owner",
        "Status",
        "Problem",
        "Problem detail",
        "Summary",
        "Missions",
        "Levels of government",
        "Sectors",
        "Places",
        "Place codes",
        "Partners",
        "Sponsors",
        "Started",
        "Ended",
        "Funding (£)",
        "Funding source",
        "Public",
    ]
    rows: list[list[Any]] = [header]
    for initiative in found:
        place_rows = list(initiative.places.all())
        rows.append(
            [
                initiative.title,
                initiative.owner_organisation.name,
                initiative.get_status_display(),
                initiative.get_problem_display(),
                initiative.problem_detail,
                initiative.summary,
                "; ".join(mission.name for mission in initiative.missions.all()),
                "; ".join(level.get_level_display() for level in initiative.levels.all()),
                "; ".join(sector.get_sector_display() for sector in initiative.sectors.all()),
                "; ".join(place.name for place in place_rows),
                "; ".join(place.gss_code for place in place_rows),
                "; ".join(partner.display_name for partner in initiative.partners.all()),
                "; ".join(sponsor.display_name for sponsor in initiative.sponsors.all()),
                initiative.started_on.isoformat() if initiative.started_on else "",
                initiative.ended_on.isoformat() if initiative.ended_on else "",
                initiative.funding_amount if initiative.funding_amount is not None else "",
                initiative.funding_source,
                "Yes" if initiative.is_public else "No",
            ]
        )
    return rows
