"""The small language the access-matrix declarations are written in.

A route's declaration says, for each HTTP method it accepts, what every persona gets against an
own-organisation object, a partner's object and an outsider's object ("none" for routes without
one). Common shapes ("public", "signed in", "admin of the object's organisation", ...) are
functions of the facts about each persona below; `grid` spells out an irregular route in full and
`.but(...)` adjusts a shape for a few cells. Methods a route does not declare must answer 405
(anonymous visitors of a page behind sign-in are sent to sign in first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from joinedup.partnership.tests.world import PERSONAS

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Which objects a route is checked against: the organisation the object belongs to.
OBJECTS = ("own", "partner", "outsider")
NO_OBJECT = ("none",)

# Organisations of the standing world that are members of the partnership (the ICB is the lead's).
PARTNERSHIP = frozenset({"own", "partner", "icb"})


@dataclass(frozen=True)
class Persona:
    """What the declarations need to know about a persona of the standing world."""

    name: str
    home: str | None  # the organisation they work for: own, partner, icb or outsider
    admin: bool = False  # organisation admin of their home organisation
    lead: bool = False  # partnership lead of their home organisation's partnership
    person: bool = True  # False for an organisation's API token, which never acts as a person

    @property
    def signed_in(self) -> bool:
        return self.home is not None

    def sees(self, organisation: str) -> bool:
        """The organisation is theirs or a fellow member of their partnership."""
        if self.home is None:
            return False
        if self.home == organisation:
            return True
        return self.home in PARTNERSHIP and organisation in PARTNERSHIP

    def reads_directory_of(self, organisation: str) -> bool:
        """Staff read their own organisation's directory; the partnership lead every member's."""
        return self.home == organisation or (self.lead and self.sees(organisation))

    def administers(self, organisation: str) -> bool:
        return self.admin and self.home == organisation

    def leads(self, organisation: str) -> bool:
        return self.lead and self.sees(organisation)


FACTS: dict[str, Persona] = {
    "own_staff": Persona("own_staff", home="own"),
    "own_line_manager": Persona("own_line_manager", home="own"),
    "own_admin": Persona("own_admin", home="own", admin=True),
    "own_ld_lead": Persona("own_ld_lead", home="own"),
    "own_levy_officer": Persona("own_levy_officer", home="own"),
    "partner_staff": Persona("partner_staff", home="partner"),
    "partner_admin": Persona("partner_admin", home="partner", admin=True),
    "partner_ld_lead": Persona("partner_ld_lead", home="partner"),
    "partnership_lead": Persona("partnership_lead", home="icb", lead=True),
    # The outsider is the admin of their organisation in another partnership.
    "outsider": Persona("outsider", home="outsider", admin=True),
    "anonymous": Persona("anonymous", home=None),
    # The coaching and mentoring lead works at the ICB with no other role (the talent scheme).
    "mentoring_lead": Persona("mentoring_lead", home="icb"),
    # Trust staff with no role, whom the owners of the standing partnership's discussion spaces
    # name moderator (tests/access/network_scene.py); elsewhere plain partner staff.
    "space_moderator": Persona("space_moderator", home="partner"),
    # The apprenticeship issue. The partner trust is the standing partnership's apprenticeship
    # provider (tests/access/apprenticeships_scene.py): its programme leader (OrganisationRole
    # PROGRAMME_LEADER, which learning and materials treat like an L&D lead) and its practice tutor
    # (PRACTICE_TUTOR, no other effect). The apprentice is own staff managed by own_line_manager.
    "programme_leader": Persona("programme_leader", home="partner"),
    "practice_tutor": Persona("practice_tutor", home="partner"),
    "apprentice": Persona("apprentice", home="own"),
}
assert tuple(FACTS) == PERSONAS, "every persona of the standing world needs its facts here"

# API callers: each persona's personal token (anonymous sends none), and organisation tokens.
ORGANISATION_TOKENS = {
    "own_org_token": Persona("own_org_token", home="own", person=False),
    "partner_org_token": Persona("partner_org_token", home="partner", person=False),
    "outsider_org_token": Persona("outsider_org_token", home="outsider", person=False),
}
API_CALLERS = (*PERSONAS, *ORGANISATION_TOKENS)
CALLERS: dict[str, Persona] = {**FACTS, **ORGANISATION_TOKENS}


# --- Expected answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 whose target starts with `to` (any target but the sign-in pages when None)."""

    to: str | None = None

    def __str__(self) -> str:
        return f"302 to {self.to}" if self.to else "302"


Status = int | Redirect

OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
UNAUTHORISED = 401
REDIRECT = Redirect()
LOGIN = Redirect("/accounts/login/")
ADMIN_LOGIN = Redirect("/django-admin/login/")

TOKENS: dict[str, Status] = {
    "login": LOGIN,
    "admin-login": ADMIN_LOGIN,
    "302": REDIRECT,
}


def parse_status(token: str) -> Status:
    """'200', '404', 'login', '302' or '302:/some/path'."""
    if token in TOKENS:
        return TOKENS[token]
    if token.startswith("302:"):
        return Redirect(token[4:])
    return int(token)


@dataclass(frozen=True)
class Answers:
    """Who gets what from one method of one route: a rule, then any exceptions to it."""

    rule: Callable[[Persona, str], Status]
    exceptions: Mapping[tuple[str, str | None], Status] = field(default_factory=dict)

    def __call__(self, persona: str, obj: str) -> Status:
        for key in ((persona, obj), (persona, None)):
            if key in self.exceptions:
                return self.exceptions[key]
        return self.rule(CALLERS[persona], obj)

    def but(self, cells: Mapping[str | tuple[str, str], Status | str]) -> Answers:
        """The same, except for these personas (on every object) or (persona, object) cells."""
        extra: dict[tuple[str, str | None], Status] = {}
        for key, status in cells.items():
            persona, obj = (key, None) if isinstance(key, str) else key
            if persona not in CALLERS or obj not in (None, *OBJECTS, *NO_OBJECT):
                raise ValueError(f"unknown cell {key!r}")
            extra[(persona, obj)] = parse_status(status) if isinstance(status, str) else status
        return Answers(self.rule, {**self.exceptions, **extra})


def everyone(status: Status = OK) -> Answers:
    """Public: the same answer for everyone, signed in or not."""
    return Answers(lambda persona, obj: status)


def signed_in(status: Status = OK) -> Answers:
    """Anyone signed in; anonymous visitors are sent to sign in."""
    return Answers(lambda persona, obj: status if persona.signed_in else LOGIN)


def signed_out(status: Status = OK, signed_in_status: Status = REDIRECT) -> Answers:
    """Pages for signing in: anonymous visitors get `status`, signed-in people another answer."""
    return Answers(lambda persona, obj: status if not persona.signed_in else signed_in_status)


def partnership_member(ok: Status = OK) -> Answers:
    """Anyone in the object's partnership (or its own organisation); 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def directory_reader(ok: Status = OK) -> Answers:
    """Who reads the directory of the object's organisation (staff: their own; the lead: all)."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.reads_directory_of(obj) else NOT_FOUND

    return Answers(rule)


def owner_only(owners: Mapping[str, str], ok: Status = OK) -> Answers:
    """Something personal: the persona owning each object gets `ok`, everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if owners[obj] == persona.name else NOT_FOUND

    return Answers(rule)


def org_admin(ok: Status = OK) -> Answers:
    """Admins of the object's organisation only: 403 for others who see it, 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.administers(obj):
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def staff_record_admin(ok: Status = OK) -> Answers:
    """A staff record managed by its organisation's admin; 403 to who may read it, else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.administers(obj):
            return ok
        return FORBIDDEN if persona.reads_directory_of(obj) else NOT_FOUND

    return Answers(rule)


def own_org_admin(ok: Status = OK) -> Answers:
    """An object only its own organisation knows of: its admin; 403 for its staff; else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.administers(obj):
            return ok
        return FORBIDDEN if persona.home == obj else NOT_FOUND

    return Answers(rule)


def partnership_lead(ok: Status = OK) -> Answers:
    """Partnership pages without an object: the lead only, 403 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.lead else FORBIDDEN

    return Answers(rule)


def lead_of_object(ok: Status = OK) -> Answers:
    """An object of a partnership: its lead; 403 for its other members; 404 for anyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.leads(obj):
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def grid(text: str) -> Answers:
    """A table spelled out in full: a header of objects, then one row per persona."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    if any(obj not in (*OBJECTS, *NO_OBJECT) for obj in header):
        raise ValueError(f"unknown objects in grid header {header}")
    table: dict[tuple[str, str | None], Status] = {}
    for persona, *statuses in rows:
        if persona not in CALLERS or len(statuses) != len(header):
            raise ValueError(f"bad grid row for {persona!r}")
        for obj, token in zip(header, statuses, strict=True):
            table[(persona, obj)] = parse_status(token)
    missing = set(FACTS) - {persona for persona, _ in table}
    if missing:
        raise ValueError(f"grid lacks rows for {sorted(missing)}")

    def rule(persona: Persona, obj: str) -> Status:
        raise KeyError(f"grid has no column {obj!r}")

    return Answers(rule, table)


# --- Routes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A route's declaration: answers per method it accepts; every other method gets 405."""

    answers: Mapping[str, Answers]
    public: bool = False  # anonymous visitors reach the view (they get 405 like anyone else)

    def expected(self, method: str, persona: str, obj: str) -> Status:
        if method in self.answers:
            return self.answers[method](persona, obj)
        if persona == "anonymous" and not self.public:
            return LOGIN
        return NOT_ALLOWED


def route(*, public: bool = False, ALL: Answers | None = None, **answers: Answers) -> Route:  # noqa: N803
    """Declare a route: `GET=..., POST=...` for the methods it accepts (ALL for every method)."""
    unknown = set(answers) - set(METHODS)
    if unknown:
        raise ValueError(f"unknown methods {sorted(unknown)}")
    if ALL is not None:
        answers = {method: ALL for method in METHODS} | answers
    return Route(answers=answers, public=public)
