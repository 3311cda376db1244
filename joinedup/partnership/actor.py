"""Who is asking: a person acting for one organisation, or an organisation's API token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import ApiToken, Organisation, Person


@dataclass(frozen=True)
class Actor:
    person: Person | None
    organisation: Organisation | None
    token: ApiToken | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # Facts the access functions work out once per request (ids of partnerships, roles, ...).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.person is not None or self.organisation is not None

    @property
    def is_organisation_token(self) -> bool:
        return self.token is not None and self.token.organisation_id is not None

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person else None

    @property
    def organisation_id(self) -> int | None:
        return self.organisation.pk if self.organisation else None


ANONYMOUS = Actor(person=None, organisation=None)
