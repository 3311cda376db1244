"""Adding, versioning, changing and adapting materials, and keeping their search document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from joinedup.learning.models import Programme, Topic
from joinedup.lib import uploads
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, Person

from .. import access, extraction, licences
from ..models import (
    ExtractionStatus,
    Licence,
    Material,
    MaterialAuthor,
    MaterialKind,
    MaterialVersion,
)
from . import fields
from .fields import MaterialRefused

# --- Versions and the search document -------------------------------------------------------------


def search_document_of(summary: str, topic_names: Sequence[str], extracted_text: str) -> str:
    """What the full-text index reads besides the title: summary, topics, the file's text."""
    return "\n".join(part for part in (summary, " ".join(topic_names), extracted_text) if part)


def topic_names_of(material: Material) -> list[str]:
    """The material's topic names in the order the search document and forms give them."""
    return sorted(material.topics.values_list("name", flat=True), key=str.casefold)


def current_search_document(material: Material) -> str:
    """The search document the material should have now, read from the database."""
    names = topic_names_of(material)
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
    from ..tasks import extract_version_text

    version_id = version.pk
    transaction.on_commit(lambda: extract_version_text.enqueue(version_id))


def lock_material(material: Material) -> Material:
    """The material's row, locked for the transaction (a no-op on SQLite, whose IMMEDIATE
    transactions already take turns), so versions are numbered and indexed one at a time."""
    return Material.objects.select_for_update().get(pk=material.pk)


def sees(actor: Actor, material: Material) -> bool:
    """The actor may read the material (a service called without fetching it first)."""
    return access.visible_materials(actor).filter(pk=material.pk).exists()


# --- Materials ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Details:
    title: str
    summary: str
    kind: str
    licence: str
    topic_names: list[str]
    programmes: list[Programme]
    authors: list[fields.Author]


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
    linked_before: frozenset[int] = frozenset(),
    credited_before: frozenset[int] = frozenset(),
    shown_before: frozenset[int] = frozenset(),
) -> _Details:
    return _Details(
        title=fields.clean_text(title, "title", "a title", fields.TITLE_MAX, errors, required=True),
        summary=fields.clean_text(
            summary, "summary", "a summary", fields.SUMMARY_MAX, errors, required=False
        ),
        kind=fields.one_of(
            kind, MaterialKind.values, "kind", "what kind of material it is", errors
        ),
        licence=fields.one_of(licence, Licence.values, "licence", "a licence", errors),
        topic_names=fields.topic_names(topics, errors),
        programmes=fields.visible_programmes(
            actor, programmes, errors, linked_before=linked_before
        ),
        authors=fields.credited_authors(
            actor,
            owner,
            authors,
            errors,
            credited_before=credited_before,
            shown_before=shown_before,
        ),
    )


def _set_topics(material: Material, names: list[str]) -> None:
    if names:
        Topic.objects.bulk_create([Topic(name=name) for name in names], ignore_conflicts=True)
    material.topics.set(Topic.objects.filter(name__in=names))


def _set_authors(material: Material, authors: list[fields.Author]) -> None:
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


def _author_changes(authors: list[fields.Author]) -> list[list]:
    return [[author.person.pk, author.show_name] for author in authors]


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
    note = fields.clean_text(
        change_note, "change_note", "a change note", fields.CHANGE_NOTE_MAX, errors, required=False
    )
    url = fields.file_or_link(upload, external_url, errors)
    fields.refuse_if(errors)
    checked = fields.checked_upload(upload)
    with fields.stored(checked) as storage_name, transaction.atomic():
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
    note = fields.clean_text(
        change_note, "change_note", "a change note", fields.CHANGE_NOTE_MAX, errors, required=True
    )
    url = fields.file_or_link(upload, external_url, errors)
    fields.refuse_if(errors)
    checked = fields.checked_upload(upload)
    with fields.stored(checked) as storage_name, transaction.atomic():
        locked = lock_material(material)
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
        names = topic_names_of(locked)
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
    before_topics = topic_names_of(material)
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
        linked_before=frozenset(p.pk for p in before_programmes),
        credited_before=frozenset(person.pk for person, _ in before_authors),
        shown_before=frozenset(person.pk for person, shown in before_authors if shown),
    )
    if "licence" not in errors and details.licence != material.licence:
        refusal = _adaptation_refusal(material, details.licence)
        if refusal:
            errors["licence"] = refusal
    fields.refuse_if(errors)
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
        [fields.Author(person, shown) for person, shown in before_authors]
    ):
        changed["authors"] = _author_changes(details.authors)
    if not changed:
        return material
    with transaction.atomic():
        locked = lock_material(material)
        withdraw = locked.is_published_openly and not licences.is_open(details.licence)
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
    if not sees(actor, source):
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
    note = fields.clean_text(
        change_note, "change_note", "a change note", fields.CHANGE_NOTE_MAX, errors, required=False
    )
    url = fields.link(external_url, errors)
    if upload is not None and url:
        errors["upload"] = "Upload a file or give a link, not both"
    fields.refuse_if(errors)
    checked = fields.checked_upload(upload)
    note = note or f"Adapted from {source.title}, version {source_version.number}."
    with fields.stored(checked) as storage_name, transaction.atomic():
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
