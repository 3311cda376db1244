"""Every write to the materials library: materials, versions, adaptations, reuse, reports, hiding.

Each service checks who may do it (`materials/access.py`), then every rule, before it writes
anything; a broken rule raises `MaterialRefused` naming the field. An upload is checked by the
shared uploads package and stored only once every check has passed; if the transaction then
fails, the stored file is deleted again, so a refusal never leaves a file or a row behind.
Each write is one transaction with one audit entry (ids and non-personal values only).

`Material.search_document` (summary, topic names and the current version's extracted text) is
kept here, in the transaction of every write that changes one of those and when the background
task has read a version's text (`tasks.extract_version_text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning.models import Programme, Run, Topic
from joinedup.lib import uploads
from joinedup.partnership import audit
from joinedup.partnership.access import has_role
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, OrganisationRole, Person

from . import access, extraction, licences, notices
from .models import (
    ExtractionStatus,
    Licence,
    Material,
    MaterialAuthor,
    MaterialKind,
    MaterialReport,
    MaterialVersion,
    ReportReason,
    ReportStatus,
    Reuse,
)

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


class MaterialRefused(Exception):
    """A write the materials rules refuse, before anything is stored.

    `field` names the argument (and form field) at fault, or is None for the whole request;
    `message` says why in plain words. `errors` holds every refused field when several are.
    """

    def __init__(self, field: str | None, message: str, *, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors = errors if errors is not None else {field or "__all__": message}


def _refuse_if(errors: dict[str, str]) -> None:
    if errors:
        field, message = next(iter(errors.items()))
        raise MaterialRefused(field, message, errors=dict(errors))


# --- Checking the fields ------------------------------------------------------------------------


def _text(
    value: object, field: str, label: str, limit: int, errors: dict[str, str], *, required: bool
) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = f"Enter {label}"
    elif len(text) > limit:
        errors[field] = f"{label.capitalize()} must be {limit:,} characters or fewer"
    return text


def _choice(value: object, choices: Sequence[str], field: str, label: str, errors: dict) -> str:
    if value not in choices:
        errors[field] = f"Select {label}"
    return str(value)


def _topic_names(topics: Sequence[Topic | str], errors: dict[str, str]) -> list[str]:
    names = sorted(
        {(t.name if isinstance(t, Topic) else str(t)).strip() for t in topics} - {""},
        key=str.casefold,
    )
    if any(len(name) > TOPIC_MAX for name in names):
        errors["topics"] = f"Each topic must be {TOPIC_MAX} characters or fewer"
    elif len(names) > TOPICS_MAX:
        errors["topics"] = f"Choose no more than {TOPICS_MAX} topics"
    return names


def _programmes(
    actor: Actor, programmes: Sequence[Programme | int], errors: dict[str, str]
) -> list[Programme]:
    ids = {p.pk if isinstance(p, Programme) else int(p) for p in programmes}
    if not ids:
        return []
    found = list(learning_access.visible_programmes(actor).filter(pk__in=ids).order_by("pk"))
    if len(found) != len(ids):
        errors["programmes"] = "Choose programmes from the catalogue you can see"
    return found


@dataclass(frozen=True)
class _Author:
    person: Person
    show_name: bool


def _authors(
    actor: Actor,
    owner: Organisation,
    authors: Sequence[tuple[Person, bool]],
    errors: dict[str, str],
    *,
    shown_before: frozenset[int] = frozenset(),
) -> list[_Author]:
    """The credited authors, checked: each once, on the owner's staff, and each name shown
    publicly only by that person's own choice (`shown_before`: those who chose so already)."""
    if len(authors) > AUTHORS_MAX:
        errors["authors"] = f"Credit no more than {AUTHORS_MAX} authors"
        return []
    checked = [_Author(person, bool(show)) for person, show in authors]
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
        if author.person.pk not in on_staff:
            errors["authors"] = f"{author.person.full_name} is not on the staff of {owner.name}"
            return []
        chose = author.person.pk == actor.person_id or author.person.pk in shown_before
        if author.show_name and not chose:
            errors["authors"] = (
                f"Only {author.person.full_name} can choose to show their name publicly"
            )
            return []
    return checked


def _whole(value: object, field: str, label: str, limit: int, errors: dict[str, str]) -> int:
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


def _decimal(
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


def _link(external_url: str, errors: dict[str, str]) -> str:
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


def _file_or_link(upload: object | None, external_url: str, errors: dict[str, str]) -> str:
    url = _link(external_url, errors)
    if upload is not None and url:
        errors["upload"] = "Upload a file or give a link, not both"
    elif upload is None and not url and "external_url" not in errors:
        errors["upload"] = "Choose a file to upload or give a link"
    return url


def _checked(upload: object | None) -> uploads.CheckedUpload | None:
    """The upload checked by the shared uploads package (a CheckedUpload passes as it is)."""
    if upload is None or isinstance(upload, uploads.CheckedUpload):
        return upload
    try:
        return uploads.check_upload(upload)
    except uploads.UploadRefused as refusal:
        raise MaterialRefused("upload", refusal.reason) from refusal


@contextmanager
def _stored(checked: uploads.CheckedUpload | None) -> Iterator[str]:
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


# --- Versions and the search document -----------------------------------------------------------


def search_document_of(summary: str, topic_names: Sequence[str], extracted_text: str) -> str:
    """What the full-text index reads besides the title: summary, topics, the file's text."""
    return "\n".join(part for part in (summary, " ".join(topic_names), extracted_text) if part)


def current_search_document(material: Material) -> str:
    """The search document the material should have now, read from the database."""
    names = list(material.topics.order_by("name").values_list("name", flat=True))
    text = ""
    if material.current_version_id is not None:
        text = (
            MaterialVersion.objects.filter(pk=material.current_version_id)
            .values_list("extracted_text", flat=True)
            .first()
            or ""
        )
    return search_document_of(material.summary, names, text)


def _new_version(
    *,
    actor: Actor,
    material: Material,
    number: int,
    change_note: str,
    checked: uploads.CheckedUpload | None,
    storage_name: str,
    external_url: str,
) -> MaterialVersion:
    """A file version (text extraction pending when the file holds text to read) or a link."""
    version = MaterialVersion(
        material=material,
        number=number,
        change_note=change_note,
        external_url=external_url,
        created_by=actor.person,
    )
    if checked is not None:
        version.file_name = checked.file_name
        version.storage_name = storage_name
        version.content_type = checked.content_type
        version.size_bytes = checked.size_bytes
        version.sha256 = checked.sha256
        if extraction.can_extract(checked.content_type):
            version.extraction_status = ExtractionStatus.PENDING
    version.save()
    _read_text_later(version)
    return version


def _copied_version(
    *, actor: Actor, material: Material, source: MaterialVersion, change_note: str
) -> MaterialVersion:
    """An adaptation's first version holding its source version's file or link (files are
    immutable, so the stored file is shared) and the text already read from it."""
    version = MaterialVersion.objects.create(
        material=material,
        number=1,
        change_note=change_note,
        file_name=source.file_name,
        storage_name=source.storage_name,
        content_type=source.content_type,
        size_bytes=source.size_bytes,
        sha256=source.sha256,
        external_url=source.external_url,
        extracted_text=source.extracted_text,
        extraction_status=source.extraction_status,
        extraction_error=source.extraction_error,
        created_by=actor.person,
    )
    _read_text_later(version)
    return version


def _read_text_later(version: MaterialVersion) -> None:
    """Queue the task that reads the version's text, once the transaction commits."""
    if version.extraction_status != ExtractionStatus.PENDING:
        return
    # Imported here: the task module imports this one.
    from .tasks import extract_version_text

    version_id = version.pk
    transaction.on_commit(lambda: extract_version_text.enqueue(version_id))


def _locked(material: Material) -> Material:
    """The material's row, locked for the transaction (a no-op on SQLite, whose IMMEDIATE
    transactions already take turns), so versions are numbered and indexed one at a time."""
    return Material.objects.select_for_update().get(pk=material.pk)


# --- Materials ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Details:
    title: str
    summary: str
    kind: str
    licence: str
    topic_names: list[str]
    programmes: list[Programme]
    authors: list[_Author]


def _details(
    *,
    actor: Actor,
    owner: Organisation,
    title: str,
    summary: str,
    kind: str,
    licence: str,
    topics: Sequence[Topic | str],
    programmes: Sequence[Programme | int],
    authors: Sequence[tuple[Person, bool]],
    errors: dict[str, str],
    shown_before: frozenset[int] = frozenset(),
) -> _Details:
    return _Details(
        title=_text(title, "title", "a title", TITLE_MAX, errors, required=True),
        summary=_text(summary, "summary", "a summary", SUMMARY_MAX, errors, required=False),
        kind=_choice(kind, MaterialKind.values, "kind", "what kind of material it is", errors),
        licence=_choice(licence, Licence.values, "licence", "a licence", errors),
        topic_names=_topic_names(topics, errors),
        programmes=_programmes(actor, programmes, errors),
        authors=_authors(actor, owner, authors, errors, shown_before=shown_before),
    )


def _set_topics(material: Material, names: list[str]) -> None:
    if names:
        Topic.objects.bulk_create([Topic(name=name) for name in names], ignore_conflicts=True)
    material.topics.set(Topic.objects.filter(name__in=names))


def _set_authors(material: Material, authors: list[_Author]) -> None:
    MaterialAuthor.objects.filter(material=material).delete()
    MaterialAuthor.objects.bulk_create(
        MaterialAuthor(
            material=material,
            person=author.person,
            show_name_publicly=author.show_name,
            position=position,
        )
        for position, author in enumerate(authors)
    )


def _author_changes(authors: list[_Author]) -> list[list]:
    return [[author.person.pk, author.show_name] for author in authors]


def _sees(actor: Actor, material: Material) -> bool:
    """The actor may read the material (a service called without fetching it first)."""
    return access.visible_materials(actor).filter(pk=material.pk).exists()


def _populate(material: Material, details: _Details, version: MaterialVersion) -> None:
    """Give a new material its first version, topics, programmes, authors and search document."""
    _set_topics(material, details.topic_names)
    material.programmes.set(details.programmes)
    _set_authors(material, details.authors)
    material.current_version = version
    material.search_document = search_document_of(
        details.summary, details.topic_names, version.extracted_text
    )
    material.save(update_fields=["current_version", "family_root", "search_document"])


def create_material(
    *,
    actor: Actor,
    owner: Organisation,
    title: str,
    summary: str,
    kind: str,
    licence: str,
    topics: Sequence[Topic | str],
    programmes: Sequence[Programme | int],
    authors: Sequence[tuple[Person, bool]],
    upload: Any = None,
    external_url: str = "",
    change_note: str = "",
) -> Material:
    """Add a material with its first version, an uploaded file or a link, for the owner."""
    if actor.organisation_id != owner.pk or not access.may_create(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    details = _details(
        actor=actor,
        owner=owner,
        title=title,
        summary=summary,
        kind=kind,
        licence=licence,
        topics=topics,
        programmes=programmes,
        authors=authors,
        errors=errors,
    )
    note = _text(
        change_note, "change_note", "a change note", CHANGE_NOTE_MAX, errors, required=False
    )
    url = _file_or_link(upload, external_url, errors)
    _refuse_if(errors)
    checked = _checked(upload)
    with _stored(checked) as storage_name, transaction.atomic():
        now = timezone.now()
        material = Material.objects.create(
            owner=owner,
            title=details.title,
            summary=details.summary,
            kind=details.kind,
            licence=details.licence,
            created_by=actor.person,
            created_at=now,
            updated_at=now,
        )
        material.family_root = material
        version = _new_version(
            actor=actor,
            material=material,
            number=1,
            change_note=note or "First version.",
            checked=checked,
            storage_name=storage_name,
            external_url=url,
        )
        _populate(material, details, version)
        audit.record(
            actor=actor,
            action="material.created",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=owner,
            changes={
                "kind": details.kind,
                "licence": details.licence,
                "version": version.pk,
                "file": bool(storage_name),
                "topics": details.topic_names,
                "programmes": [p.pk for p in details.programmes],
                "authors": _author_changes(details.authors),
            },
        )
    return material


def add_version(
    *,
    actor: Actor,
    material: Material,
    upload: Any = None,
    external_url: str = "",
    change_note: str,
) -> MaterialVersion:
    """A new immutable version (file or link) becomes the material's current one.

    New content has not been confirmed for the public pages, so a material published openly
    is withdrawn from them until its L&D lead publishes it again.
    """
    if not access.may_edit(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    note = _text(
        change_note, "change_note", "a change note", CHANGE_NOTE_MAX, errors, required=True
    )
    url = _file_or_link(upload, external_url, errors)
    _refuse_if(errors)
    checked = _checked(upload)
    with _stored(checked) as storage_name, transaction.atomic():
        locked = _locked(material)
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = _new_version(
            actor=actor,
            material=locked,
            number=number,
            change_note=note,
            checked=checked,
            storage_name=storage_name,
            external_url=url,
        )
        withdrawn = locked.published_openly_at is not None
        names = list(locked.topics.order_by("name").values_list("name", flat=True))
        values = {
            "current_version": version,
            "search_document": search_document_of(locked.summary, names, version.extracted_text),
            "updated_at": timezone.now(),
            "published_openly_at": None,
            "published_openly_by": None,
        }
        Material.objects.filter(pk=locked.pk).update(**values)
        audit.record(
            actor=actor,
            action="material.version_added",
            kind="materials.Material",
            object_id=locked.pk,
            label=locked.title,
            organisation=locked.owner,
            changes={
                "version": version.pk,
                "number": number,
                "file": bool(storage_name),
                "open_publication_withdrawn": withdrawn,
            },
        )
    for field, value in values.items():
        setattr(material, field, value)
    return version


def _adaptation_refusal(material: Material, licence: str) -> str | None:
    """Why an adaptation may not take this licence now (its source's licence rules), or None."""
    if material.adapted_from_id is None:
        return None
    source = Material.objects.only("owner_id", "licence").get(versions__pk=material.adapted_from_id)
    return licences.adaptation_refusal(
        source.licence, licence, same_organisation=source.owner_id == material.owner_id
    )


def update_material(
    *,
    actor: Actor,
    material: Material,
    title: str | None = None,
    summary: str | None = None,
    kind: str | None = None,
    licence: str | None = None,
    topics: Sequence[Topic | str] | None = None,
    programmes: Sequence[Programme | int] | None = None,
    authors: Sequence[tuple[Person, bool]] | None = None,
) -> Material:
    """Change a material's details (a field left as None keeps its value).

    A licence that is not open withdraws the material from the public pages; an adaptation's
    licence still follows its source.
    """
    if not access.may_edit(actor, material):
        raise PermissionDenied
    before_topics = list(material.topics.order_by("name").values_list("name", flat=True))
    before_programmes = list(material.programmes.order_by("pk"))
    before_authors = [
        (row.person, row.show_name_publicly)
        for row in material.authors.select_related("person").order_by("position", "pk")
    ]
    errors: dict[str, str] = {}
    details = _details(
        actor=actor,
        owner=material.owner,
        title=material.title if title is None else title,
        summary=material.summary if summary is None else summary,
        kind=material.kind if kind is None else kind,
        licence=material.licence if licence is None else licence,
        topics=before_topics if topics is None else topics,
        programmes=before_programmes if programmes is None else programmes,
        authors=before_authors if authors is None else authors,
        errors=errors,
        shown_before=frozenset(person.pk for person, shown in before_authors if shown),
    )
    if "licence" not in errors and details.licence != material.licence:
        refusal = _adaptation_refusal(material, details.licence)
        if refusal:
            errors["licence"] = refusal
    _refuse_if(errors)
    changed: dict[str, Any] = {
        field: getattr(details, field)
        for field in ("title", "kind", "licence")
        if getattr(details, field) != getattr(material, field)
    }
    if details.summary != material.summary:
        changed["summary"] = True
    if details.topic_names != before_topics:
        changed["topics"] = details.topic_names
    if [p.pk for p in details.programmes] != [p.pk for p in before_programmes]:
        changed["programmes"] = [p.pk for p in details.programmes]
    if _author_changes(details.authors) != _author_changes(
        [_Author(person, shown) for person, shown in before_authors]
    ):
        changed["authors"] = _author_changes(details.authors)
    if not changed:
        return material
    withdraw = material.is_published_openly and not licences.is_open(details.licence)
    with transaction.atomic():
        locked = _locked(material)
        values: dict[str, Any] = {
            "title": details.title,
            "summary": details.summary,
            "kind": details.kind,
            "licence": details.licence,
            "updated_at": timezone.now(),
        }
        if withdraw:
            values |= {"published_openly_at": None, "published_openly_by": None}
        if "topics" in changed:
            _set_topics(locked, details.topic_names)
        if "programmes" in changed:
            locked.programmes.set(details.programmes)
        if "authors" in changed:
            _set_authors(locked, details.authors)
        if changed.keys() & {"summary", "topics"}:
            locked.summary = details.summary
            values["search_document"] = current_search_document(locked)
        Material.objects.filter(pk=locked.pk).update(**values)
        audit.record(
            actor=actor,
            action="material.updated",
            kind="materials.Material",
            object_id=locked.pk,
            label=details.title,
            organisation=locked.owner,
            changes={**changed, "open_publication_withdrawn": withdraw},
        )
    for field, value in values.items():
        setattr(material, field, value)
    return material


def adapt_material(
    *,
    actor: Actor,
    source_version: MaterialVersion,
    owner: Organisation,
    title: str,
    summary: str,
    licence: str,
    kind: str,
    topics: Sequence[Topic | str],
    programmes: Sequence[Programme | int],
    authors: Sequence[tuple[Person, bool]],
    upload: Any = None,
    external_url: str = "",
    change_note: str = "",
) -> Material:
    """A new material of the owner adapted from this exact version, crediting its family.

    Its licence follows the source's (`licences.adaptation_refusal`). With no new file or link,
    its first version is the source version's file or link.
    """
    source = source_version.material
    if actor.organisation_id != owner.pk or not access.may_adapt(actor, source):
        raise PermissionDenied
    if not _sees(actor, source):
        raise PermissionDenied
    if source.is_hidden:
        raise MaterialRefused(None, "This material has been hidden, so it cannot be adapted.")
    errors: dict[str, str] = {}
    details = _details(
        actor=actor,
        owner=owner,
        title=title,
        summary=summary,
        kind=kind,
        licence=licence,
        topics=topics,
        programmes=programmes,
        authors=authors,
        errors=errors,
    )
    if "licence" not in errors:
        refusal = licences.adaptation_refusal(
            source.licence, details.licence, same_organisation=source.owner_id == owner.pk
        )
        if refusal:
            errors["licence"] = refusal
    note = _text(
        change_note, "change_note", "a change note", CHANGE_NOTE_MAX, errors, required=False
    )
    url = _link(external_url, errors)
    if upload is not None and url:
        errors["upload"] = "Upload a file or give a link, not both"
    _refuse_if(errors)
    checked = _checked(upload)
    note = note or f"Adapted from {source.title}, version {source_version.number}."
    with _stored(checked) as storage_name, transaction.atomic():
        now = timezone.now()
        material = Material.objects.create(
            owner=owner,
            title=details.title,
            summary=details.summary,
            kind=details.kind,
            licence=details.licence,
            adapted_from=source_version,
            family_root_id=source.family_root_id or source.pk,
            created_by=actor.person,
            created_at=now,
            updated_at=now,
        )
        if checked is None and not url:
            # Read again: the text may have been read since the caller fetched the version.
            version = _copied_version(
                actor=actor,
                material=material,
                source=MaterialVersion.objects.get(pk=source_version.pk),
                change_note=note,
            )
        else:
            version = _new_version(
                actor=actor,
                material=material,
                number=1,
                change_note=note,
                checked=checked,
                storage_name=storage_name,
                external_url=url,
            )
        _populate(material, details, version)
        audit.record(
            actor=actor,
            action="material.adapted",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=owner,
            changes={
                "source_material": source.pk,
                "source_version": source_version.pk,
                "source_owner": source.owner_id,
                "family_root": material.family_root_id,
                "kind": details.kind,
                "licence": details.licence,
                "version": version.pk,
                "new_content": bool(storage_name or url),
                "topics": details.topic_names,
                "programmes": [p.pk for p in details.programmes],
                "authors": _author_changes(details.authors),
            },
        )
    return material


# --- Open publication ---------------------------------------------------------------------------


def _is_owners_ld_lead(actor: Actor, material: Material) -> bool:
    """The owner's L&D leads, acting for it, decide what it publishes openly."""
    if actor.person is None or actor.organisation_id != material.owner_id:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD)


def publish_openly(
    *, actor: Actor, material: Material, licence_confirmed: bool, content_confirmed: bool
) -> Material:
    """The owner's L&D lead publishes an openly licensed material on the public pages,
    confirming its licence and its content."""
    if not _is_owners_ld_lead(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not licences.is_open(material.licence):
        errors["licence"] = (
            "Only a material under an open licence (Open Government Licence, CC BY, CC BY-SA "
            "or CC BY-NC) can be published openly"
        )
    if material.is_hidden:
        errors["__all__"] = "This material has been hidden, so it cannot be published openly"
    if material.is_published_openly:
        errors["__all__"] = "This material is already published openly"
    if material.current_version_id is None:
        errors["__all__"] = "This material has no version to publish"
    if licence_confirmed is not True:
        errors["licence_confirmed"] = "Confirm that the material may be shared under its licence"
    if content_confirmed is not True:
        errors["content_confirmed"] = (
            "Confirm that the material holds no personal or confidential information"
        )
    _refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        # Checked and claimed in one statement: the licence, hidden or published may have changed.
        published = Material.objects.filter(
            pk=material.pk,
            licence=material.licence,
            current_version_id=material.current_version_id,
            hidden_at__isnull=True,
            published_openly_at__isnull=True,
        ).update(published_openly_at=now, published_openly_by=actor.person)
        if not published:
            raise MaterialRefused(None, "This material has changed; look at it again")
        audit.record(
            actor=actor,
            action="material.published_openly",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={
                "licence": material.licence,
                "version": material.current_version_id,
                "licence_confirmed": True,
                "content_confirmed": True,
            },
        )
    material.published_openly_at = now
    material.published_openly_by = actor.person
    return material


def withdraw_open_publication(*, actor: Actor, material: Material) -> Material:
    """The owner's L&D lead takes a material off the public pages; it stays inside."""
    if not _is_owners_ld_lead(actor, material):
        raise PermissionDenied
    with transaction.atomic():
        withdrawn = Material.objects.filter(
            pk=material.pk, published_openly_at__isnull=False
        ).update(published_openly_at=None, published_openly_by=None)
        if not withdrawn:
            raise MaterialRefused(None, "This material is not published openly")
        audit.record(
            actor=actor,
            action="material.open_publication_withdrawn",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={"licence": material.licence},
        )
    material.published_openly_at = None
    material.published_openly_by = None
    return material


# --- Reuse --------------------------------------------------------------------------------------


def record_reuse(
    *,
    actor: Actor,
    material: Material,
    organisation: Organisation,
    used_on: dt.date,
    run: Run | None = None,
    context: str = "",
    learners_reached: int | str,
    hours_saved: Decimal | str,
    cost_saved: Decimal | str,
) -> Reuse:
    """'We used this': the acting organisation records a use of another's material, on one of
    the runs it can see or in words, with the learners reached and the estimated savings."""
    if actor.organisation_id != organisation.pk or not access.may_record_reuse(actor, material):
        raise PermissionDenied
    if not _sees(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if material.owner_id == organisation.pk:
        errors["__all__"] = (
            "This is your organisation's own material: reuse is recorded by the organisations "
            "that use it"
        )
    if material.is_hidden:
        errors["__all__"] = "This material has been hidden"
    if not isinstance(used_on, dt.date) or isinstance(used_on, dt.datetime):
        errors["used_on"] = "Enter the date you used it, like 14 3 2026"
    elif used_on > timezone.localdate():
        errors["used_on"] = "The date you used it must be today or in the past"
    elif used_on.year < 2000:
        errors["used_on"] = "The date you used it must be in 2000 or later"
    context = _text(context, "context", "what you used it for", CONTEXT_MAX, errors, required=False)
    if run is not None and not learning_access.visible_runs(actor).filter(pk=run.pk).exists():
        errors["run"] = "Choose a run your organisation can see"
    if run is None and not context and "context" not in errors:
        errors["context"] = "Choose the run you used it on, or say what you used it for"
    learners = _whole(
        learners_reached, "learners_reached", "Learners reached", LEARNERS_MAX, errors
    )
    hours = _decimal(hours_saved, "hours_saved", "Hours saved", 1, HOURS_MAX, errors)
    cost = _decimal(cost_saved, "cost_saved", "Cost saved", 2, COST_MAX, errors)
    _refuse_if(errors)
    with transaction.atomic():
        reuse = Reuse.objects.create(
            material=material,
            version_id=material.current_version_id,
            organisation=organisation,
            used_on=used_on,
            run=run,
            context=context,
            learners_reached=learners,
            hours_saved=hours,
            cost_saved=cost,
            recorded_by=actor.person,
        )
        audit.record(
            actor=actor,
            action="material.reuse_recorded",
            kind="materials.Reuse",
            object_id=reuse.pk,
            label=material.title,
            organisation=organisation,
            changes={
                "material": material.pk,
                "owner": material.owner_id,
                "version": material.current_version_id,
                "used_on": used_on.isoformat(),
                "run": run.pk if run else None,
                "learners_reached": learners,
                "hours_saved": str(hours),
                "cost_saved": str(cost),
            },
        )
    return reuse


# --- Reports and hiding -------------------------------------------------------------------------


def report_material(
    *, actor: Actor, material: Material, reason: str, details: str
) -> MaterialReport:
    """Report a material (licence breach, error, harm) to its owner's L&D leads and the
    partnership leads, who hear of it by e-mail."""
    if not access.may_report(actor, material) or not _sees(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    _choice(reason, ReportReason.values, "reason", "why you are reporting it", errors)
    text = _text(details, "details", "what is wrong", DETAILS_MAX, errors, required=True)
    _refuse_if(errors)
    with transaction.atomic():
        report = MaterialReport.objects.create(
            material=material,
            reason=reason,
            details=text,
            reported_by=actor.person,
            reporter_organisation=actor.organisation,
        )
        audit.record(
            actor=actor,
            action="material.reported",
            kind="materials.MaterialReport",
            object_id=report.pk,
            label=material.title,
            organisation=material.owner,
            changes={"material": material.pk, "reason": reason},
        )
        notices.material_reported(report)
    return report


def hide_material(
    *, actor: Actor, material: Material, reason: str, report: MaterialReport | None = None
) -> Material:
    """Hide a material from everyone but its owner's leads and the partnership lead, with a
    reason; its open reports are closed as hidden."""
    if not access.may_hide(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    text = _text(reason, "reason", "why you are hiding it", REASON_MAX, errors, required=True)
    if report is not None and report.material_id != material.pk:
        errors["report"] = "This report is about another material"
    elif report is not None and report.status != ReportStatus.OPEN:
        errors["report"] = "This report has already been dealt with"
    if material.is_hidden:
        errors["__all__"] = "This material is already hidden"
    _refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        hidden = Material.objects.filter(pk=material.pk, hidden_at__isnull=True).update(
            hidden_at=now, hidden_by=actor.person, hidden_reason=text
        )
        if not hidden:
            raise MaterialRefused(None, "This material is already hidden")
        reports = MaterialReport.objects.filter(material=material, status=ReportStatus.OPEN)
        report_ids = sorted(reports.values_list("pk", flat=True))
        reports.filter(pk__in=report_ids).update(
            status=ReportStatus.HIDDEN,
            resolved_by=actor.person,
            resolved_at=now,
            resolution_note=text,
        )
        audit.record(
            actor=actor,
            action="material.hidden",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={
                "reason": text,
                "report": report.pk if report else None,
                "reports_closed": report_ids,
            },
        )
    material.hidden_at, material.hidden_by, material.hidden_reason = now, actor.person, text
    if report is not None:
        report.status = ReportStatus.HIDDEN
        report.resolved_by, report.resolved_at, report.resolution_note = actor.person, now, text
    return material


def unhide_material(*, actor: Actor, material: Material) -> Material:
    """Show a hidden material again (the reason it was hidden stays in the audit log)."""
    if not access.may_hide(actor, material):
        raise PermissionDenied
    with transaction.atomic():
        shown = Material.objects.filter(pk=material.pk, hidden_at__isnull=False).update(
            hidden_at=None, hidden_by=None, hidden_reason=""
        )
        if not shown:
            raise MaterialRefused(None, "This material is not hidden")
        audit.record(
            actor=actor,
            action="material.unhidden",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={},
        )
    material.hidden_at, material.hidden_by, material.hidden_reason = None, None, ""
    return material


def dismiss_report(*, actor: Actor, report: MaterialReport, note: str) -> MaterialReport:
    """Close a report without hiding the material, saying why."""
    if not access.may_hide(actor, report.material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    text = _text(note, "note", "why you are dismissing it", REASON_MAX, errors, required=True)
    _refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        dismissed = MaterialReport.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
            status=ReportStatus.DISMISSED,
            resolved_by=actor.person,
            resolved_at=now,
            resolution_note=text,
        )
        if not dismissed:
            raise MaterialRefused(None, "This report has already been dealt with")
        audit.record(
            actor=actor,
            action="material_report.dismissed",
            kind="materials.MaterialReport",
            object_id=report.pk,
            label=report.material.title,
            organisation=report.material.owner,
            changes={"material": report.material_id, "note": text},
        )
    report.status = ReportStatus.DISMISSED
    report.resolved_by, report.resolved_at, report.resolution_note = actor.person, now, text
    return report


# --- Reading a version's text (the background task) ---------------------------------------------


def read_version_text(*, version_id: int) -> str:
    """Read the text inside a version's file (slow: outside any transaction), store it, and
    refresh the search document if it is still its material's current version.

    Returns the version's extraction status; a version no longer waiting is left alone.
    """
    version = MaterialVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "missing"
    if version.extraction_status != ExtractionStatus.PENDING:
        return version.extraction_status
    try:
        with uploads.open_stored(version.storage_name) as stream:
            text = extraction.extract_text(stream, version.content_type)
        status, error = ExtractionStatus.DONE, ""
    except extraction.ExtractionFailed as failure:
        text, status, error = "", ExtractionStatus.FAILED, failure.reason[:300]
    except FileNotFoundError:
        text, status, error = "", ExtractionStatus.FAILED, "The stored file is missing."
    with transaction.atomic():
        done = MaterialVersion.objects.filter(
            pk=version_id, extraction_status=ExtractionStatus.PENDING
        ).update(extracted_text=text, extraction_status=status, extraction_error=error)
        if not done:
            return MaterialVersion.objects.get(pk=version_id).extraction_status
        material = _locked(version.material)
        if material.current_version_id == version_id:
            Material.objects.filter(pk=material.pk).update(
                search_document=current_search_document(material)
            )
        audit.record(
            actor=None,
            action="material_version.text_read",
            kind="materials.MaterialVersion",
            object_id=version_id,
            label=str(version),
            organisation=material.owner,
            changes={"material": material.pk, "status": status, "characters": len(text)},
        )
    return status
