"""Checking what a person gave a materials service, before anything is written or stored.

Each check adds a plain message to `errors` under the argument's name; the service then raises
`MaterialRefused` with all of them. An upload is checked by the shared uploads package and
stored (`stored`) only after every other check has passed, and deleted again if the block that
writes its rows fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from joinedup.learning import access as learning_access
from joinedup.learning.models import Programme, Topic
from joinedup.lib import uploads
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Person

TITLE_MAX = 200
SUMMARY_MAX = 5000
CHANGE_NOTE_MAX = 2000
CONTEXT_MAX = 300
DETAILS_MAX = 5000
REASON_MAX = 2000
URL_MAX = 500
TOPIC_MAX = 100
TOPICS_MAX = 20
AUTHORS_MAX = 20
# Sensible upper bounds for what one use of a material reached and saved.
LEARNERS_MAX = 100_000
HOURS_MAX = Decimal("100000")
COST_MAX = Decimal("10000000")


WHOLE = "__all__"  # the key in `errors` of a refusal of the whole request, as Django's forms


class MaterialRefused(Exception):
    """A write the materials rules refuse, before anything is stored.

    `field` names the argument (and form field) at fault, or is None for the whole request;
    `message` says why in plain words. `errors` holds every refused field when several are.
    """

    def __init__(self, field: str | None, message: str, *, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors = errors if errors is not None else {field or WHOLE: message}


def refuse_if(errors: dict[str, str]) -> None:
    """Raise MaterialRefused with every refused field, the first one named (None if the whole
    request is refused)."""
    if errors:
        field, message = next(iter(errors.items()))
        raise MaterialRefused(None if field == WHOLE else field, message, errors=dict(errors))


def clean_text(
    value: object, field: str, label: str, limit: int, errors: dict[str, str], *, required: bool
) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = f"Enter {label}"
    elif len(text) > limit:
        errors[field] = f"{label.capitalize()} must be {limit:,} characters or fewer"
    return text


def one_of(value: object, choices: Sequence[str], field: str, label: str, errors: dict) -> str:
    if value not in choices:
        errors[field] = f"Select {label}"
    return str(value)


def topic_names(topics: Sequence[Topic | str], errors: dict[str, str]) -> list[str]:
    names = sorted(
        {(t.name if isinstance(t, Topic) else str(t)).strip() for t in topics} - {""},
        key=str.casefold,
    )
    if any(len(name) > TOPIC_MAX for name in names):
        errors["topics"] = f"Each topic must be {TOPIC_MAX} characters or fewer"
    elif len(names) > TOPICS_MAX:
        errors["topics"] = f"Choose no more than {TOPICS_MAX} topics"
    return names


def visible_programmes(
    actor: Actor,
    programmes: Sequence[Programme | int],
    errors: dict[str, str],
    *,
    linked_before: frozenset[int] = frozenset(),
) -> list[Programme]:
    """The programmes to link, each one the actor sees in the catalogue (or linked already)."""
    try:
        ids = {p.pk if isinstance(p, Programme) else int(p) for p in programmes}
    except (TypeError, ValueError):
        errors["programmes"] = "Choose programmes from the catalogue you can see"
        return []
    if not ids:
        return []
    seen = learning_access.visible_programmes(actor).values("pk")
    found = list(
        Programme.objects.filter(Q(pk__in=seen) | Q(pk__in=linked_before), pk__in=ids).order_by(
            "pk"
        )
    )
    if len(found) != len(ids):
        errors["programmes"] = "Choose programmes from the catalogue you can see"
    return found


@dataclass(frozen=True)
class Author:
    person: Person
    show_name: bool


def credited_authors(
    actor: Actor,
    owner: Organisation,
    authors: Sequence[tuple[Person, bool]],
    errors: dict[str, str],
    *,
    credited_before: frozenset[int] = frozenset(),
    shown_before: frozenset[int] = frozenset(),
) -> list[Author]:
    """The credited authors, checked: each once, on the owner's staff (or credited already,
    though they may have left since), and each name shown publicly only by that person's own
    choice (`shown_before`: those who chose so already)."""
    if len(authors) > AUTHORS_MAX:
        errors["authors"] = f"Credit no more than {AUTHORS_MAX} authors"
        return []
    checked = [Author(person, bool(show)) for person, show in authors]
    ids = [author.person.pk for author in checked]
    if len(set(ids)) != len(ids):
        errors["authors"] = "Credit each author once"
        return []
    on_staff = set(
        Employment.objects.current()
        .filter(organisation=owner, person_id__in=ids)
        .values_list("person_id", flat=True)
    )
    for author in checked:
        if author.person.pk not in on_staff | credited_before:
            errors["authors"] = f"{author.person.full_name} is not on the staff of {owner.name}"
            return []
        chose = author.person.pk == actor.person_id or author.person.pk in shown_before
        if author.show_name and not chose:
            errors["authors"] = (
                f"Only {author.person.full_name} can choose to show their name publicly"
            )
            return []
    return checked


def whole_number(value: object, field: str, label: str, limit: int, errors: dict[str, str]) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        errors[field] = f"{label} must be a whole number, like 25"
        return 0
    if isinstance(value, bool) or number < 0:
        errors[field] = f"{label} must be 0 or more"
    elif number > limit:
        errors[field] = f"{label} must be {limit:,} or fewer"
    return number


def amount(
    value: object, field: str, label: str, places: int, limit: Decimal, errors: dict[str, str]
) -> Decimal:
    try:
        amount = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        errors[field] = f"{label} must be a number, like 7.5"
        return Decimal("0")
    if isinstance(value, bool | float) or not amount.is_finite():
        errors[field] = f"{label} must be a number, like 7.5"
    elif amount < 0:
        errors[field] = f"{label} must be 0 or more"
    elif amount.as_tuple().exponent < -places:
        errors[field] = f"{label} must have no more than {places} decimal place" + (
            "s" if places > 1 else ""
        )
    elif amount > limit:
        errors[field] = f"{label} must be {limit:,} or less"
    return amount


def link(external_url: str, errors: dict[str, str]) -> str:
    url = (external_url or "").strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        errors["external_url"] = f"Link must be {URL_MAX} characters or fewer"
        return url
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        errors["external_url"] = "Enter a link that starts with https://, like https://example.org"
    return url


def file_or_link(upload: object | None, external_url: str, errors: dict[str, str]) -> str:
    url = link(external_url, errors)
    if upload is not None and url:
        errors["upload"] = "Upload a file or give a link, not both"
    elif upload is None and not url and "external_url" not in errors:
        errors["upload"] = "Choose a file to upload or give a link"
    return url


def checked_upload(upload: object | None) -> uploads.CheckedUpload | None:
    """The upload checked by the shared uploads package (a CheckedUpload passes as it is)."""
    if upload is None or isinstance(upload, uploads.CheckedUpload):
        return upload
    try:
        return uploads.check_upload(upload)
    except uploads.UploadRefused as refusal:
        raise MaterialRefused("upload", refusal.reason) from refusal


@contextmanager
def stored(checked: uploads.CheckedUpload | None) -> Iterator[str]:
    """Store a checked upload; delete it again if the block (the transaction) fails."""
    if checked is None:
        yield ""
        return
    storage_name = uploads.store(checked)
    try:
        yield storage_name
    except BaseException:
        uploads.delete_stored(storage_name)
        raise
