"""The portfolio: evidence items an apprentice adds against the KSBs of their standard, which the
practice tutor (or a programme leader of the provider) signs off or asks more of, and the KSB
coverage that shows the gaps.

- An item is a written account, a link (http or https) or a file, which goes through the safe
  upload service (`joinedup.lib.uploads`): checked first, stored before the transaction and
  deleted again if saving fails. It shows at least one KSB of the enrolment's standard.
- Only the apprentice adds and edits items; an item changes only while it awaits the tutor or
  has been queried, and an edit sends it back to await the tutor. A signed-off item (ACCEPTED)
  never changes.
- Signing off or asking for more (a note is required) is for the enrolment's practice tutor and
  the provider's programme leaders, never the apprentice.
- Nothing changes unless the enrolment is active, on a break or at the gateway.

Every write checks everything first, then changes state by a conditional UPDATE (so two at once
never both win) inside one transaction with one audit entry; a refusal is a `ValidationError`
naming the field ("title", "kind", "text", "url", "file", "ksbs", "decision", "note"), or with
no field when the item or the enrolment is in a state that forbids the change.

`coverage(enrolment)` gives each KSB of the standard with its counts of items signed off,
awaiting and queried, and whether it is covered (at least one signed off): two queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from joinedup.lib import uploads
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access
from .models import (
    CheckState,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    EvidenceKind,
    Ksb,
    KsbKind,
)

KIND = "apprenticeships.evidence"
OPEN = (EnrolmentStatus.ACTIVE, EnrolmentStatus.ON_BREAK, EnrolmentStatus.AT_GATEWAY)
CHANGEABLE = (CheckState.AWAITING, CheckState.QUERIED)
SIGN_OFF = "sign_off"
ASK_FOR_MORE = "ask_for_more"
DECISIONS = {SIGN_OFF: CheckState.ACCEPTED, ASK_FOR_MORE: CheckState.QUERIED}
TITLE_LIMIT = Evidence._meta.get_field("title").max_length
URL_LIMIT = Evidence._meta.get_field("url").max_length
NOTE_LIMIT = Evidence._meta.get_field("tutor_note").max_length
TEXT_LIMIT = 20000
# The words the pages use for each state (the model's labels are shared with the off-the-job log).
STATE_LABELS = {
    CheckState.AWAITING: "Awaiting sign-off",
    CheckState.ACCEPTED: "Signed off",
    CheckState.QUERIED: "More asked for",
}
KSB_LIMIT = 100
KIND_ORDER = {kind: place for place, kind in enumerate(KsbKind.values)}
NOT_THE_APPRENTICE = "Only the apprentice adds and changes the evidence in their portfolio"
NOT_A_CHECKER = (
    "Only the practice tutor or a programme leader of the provider signs off evidence or asks "
    "for more"
)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- Checking what was given ----------------------------------------------------------------------


def check_open(enrolment: Enrolment) -> None:
    """Refuse (no field) unless the enrolment is active, on a break or at the gateway."""
    if enrolment.status in OPEN:
        return
    status = EnrolmentStatus(enrolment.status).label.lower()
    if enrolment.status == EnrolmentStatus.AWAITING_COMMITMENT:
        raise ValidationError(
            "The apprenticeship has not started: the portfolio opens once the commitment "
            "statement is signed by all three"
        )
    raise ValidationError(f"The apprenticeship is {status}: its portfolio can no longer be changed")


def is_open(enrolment: Enrolment) -> bool:
    """Whether the enrolment's portfolio may change (active, on a break or at the gateway)."""
    return enrolment.status in OPEN


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise _refuse("title", "Enter a title for the evidence")
    if len(title) > TITLE_LIMIT:
        raise _refuse("title", f"The title must be {TITLE_LIMIT} characters or fewer")
    return title


def _kind(kind: str) -> str:
    if kind not in EvidenceKind.values:
        raise _refuse("kind", "Choose a written account, a link or a file")
    return kind


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _refuse("text", "Write the account of what you did and what it shows")
    if len(text) > TEXT_LIMIT:
        raise _refuse("text", f"The account must be {TEXT_LIMIT:,} characters or fewer")
    return text


def _url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise _refuse("url", "Enter the link, like https://example.org/my-work")
    if len(url) > URL_LIMIT:
        raise _refuse("url", f"The link must be {URL_LIMIT} characters or fewer")
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise _refuse(
            "url", "Enter a link that starts with https://, like https://example.org/my-work"
        ) from None
    return url


def _only_what_the_kind_needs(kind: str, text: str, url: str, upload: Any) -> None:
    """Each kind holds one kind of content: refuse anything given for another kind."""
    if kind != EvidenceKind.TEXT and (text or "").strip():
        raise _refuse("text", "Only a written account has text: leave it empty for this kind")
    if kind != EvidenceKind.LINK and (url or "").strip():
        raise _refuse("url", "Only a link has an address: leave it empty for this kind")
    if kind != EvidenceKind.FILE and upload is not None:
        raise _refuse("file", "Only a file item has a file: choose the kind “File” to upload one")


def _checked(upload: Any) -> uploads.CheckedUpload:
    try:
        return uploads.check_upload(upload)
    except uploads.UploadRefused as refusal:
        raise _refuse("file", refusal.reason) from refusal


def _ksbs(enrolment: Enrolment, chosen: Iterable[Any]) -> list[Ksb]:
    """The chosen KSBs (ids or KSBs), all of the enrolment's standard, at least one."""
    ids = set()
    for item in chosen or ():
        value = item.pk if isinstance(item, Ksb) else item
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise _refuse("ksbs", "Choose KSBs from the list") from None
    if not ids:
        raise _refuse("ksbs", "Choose at least one KSB this evidence shows")
    if len(ids) > KSB_LIMIT:
        raise _refuse("ksbs", f"Choose {KSB_LIMIT} KSBs or fewer")
    standard_id = enrolment.cohort.programme.standard_id
    found = list(Ksb.objects.filter(standard_id=standard_id, pk__in=ids))
    if len(found) != len(ids):
        raise _refuse("ksbs", "Choose KSBs of this apprenticeship's standard from the list")
    return found


def _content(kind: str, text: str, url: str, upload: Any) -> tuple[dict[str, Any], Any]:
    """The model fields of the item's content and the checked upload (None unless a file)."""
    _only_what_the_kind_needs(kind, text, url, upload)
    fields = {"text": "", "url": ""}
    if kind == EvidenceKind.TEXT:
        fields["text"] = _text(text)
    elif kind == EvidenceKind.LINK:
        fields["url"] = _url(url)
    return fields, (_checked(upload) if upload is not None else None)


def _file_fields(checked: uploads.CheckedUpload | None, storage_name: str) -> dict[str, Any]:
    if checked is None:
        return {
            "storage_name": "",
            "file_name": "",
            "content_type": "",
            "size_bytes": 0,
            "sha256": "",
        }
    return {
        "storage_name": storage_name,
        "file_name": checked.file_name,
        "content_type": checked.content_type,
        "size_bytes": checked.size_bytes,
        "sha256": checked.sha256,
    }


def _record(actor: Actor, action: str, evidence: Evidence, changes: dict[str, Any]) -> None:
    enrolment = evidence.enrolment
    audit.record(
        actor=actor,
        action=f"evidence.{action}",
        kind=KIND,
        object_id=evidence.pk,
        label=f"Evidence {evidence.pk} of {enrolment.reference}",
        organisation=enrolment.employer,
        partnership=enrolment.cohort.programme.partnership,
        changes={"enrolment": enrolment.pk, **changes},
    )


# --- Adding and editing ---------------------------------------------------------------------------


def add_evidence(
    *,
    actor: Actor,
    enrolment: Enrolment,
    title: str,
    kind: str,
    ksbs: Iterable[Any],
    text: str = "",
    url: str = "",
    upload: Any = None,
) -> Evidence:
    """The apprentice adds an item to their portfolio, awaiting the tutor."""
    if not access.may_add_evidence(actor, enrolment):
        raise PermissionDenied(NOT_THE_APPRENTICE)
    check_open(enrolment)
    title = _title(title)
    kind = _kind(kind)
    if kind == EvidenceKind.FILE and upload is None:
        raise _refuse("file", "Choose the file to upload")
    fields, checked = _content(kind, text, url, upload)
    chosen = _ksbs(enrolment, ksbs)
    storage_name = uploads.store(checked) if checked is not None else ""
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                enrolment=enrolment,
                title=title,
                kind=kind,
                created_by=actor.person,
                **fields,
                **_file_fields(checked, storage_name),
            )
            evidence.ksbs.set(chosen)
            _record(actor, "added", evidence, {"kind": kind, "ksbs": sorted(k.pk for k in chosen)})
    except BaseException:
        if storage_name:
            uploads.delete_stored(storage_name)
        raise
    return evidence


def edit_evidence(
    *,
    actor: Actor,
    evidence: Evidence,
    title: str,
    kind: str,
    ksbs: Iterable[Any],
    text: str = "",
    url: str = "",
    upload: Any = None,
) -> Evidence:
    """The apprentice changes or replaces an item awaiting the tutor or queried; it goes back to
    await the tutor. A file item keeps its file unless a new one is uploaded."""
    enrolment = evidence.enrolment
    if not access.may_add_evidence(actor, enrolment):
        raise PermissionDenied(NOT_THE_APPRENTICE)
    check_open(enrolment)
    if evidence.state not in CHANGEABLE:
        raise ValidationError("This evidence has been signed off: it can no longer be changed")
    title = _title(title)
    kind = _kind(kind)
    keeps_file = kind == EvidenceKind.FILE and upload is None
    if keeps_file and evidence.kind != EvidenceKind.FILE:
        raise _refuse("file", "Choose the file to upload")
    fields, checked = _content(kind, text, url, upload)
    chosen = _ksbs(enrolment, ksbs)
    changes: dict[str, Any] = {"title": title, "kind": kind, **fields}
    if not keeps_file:
        changes.update(_file_fields(checked, ""))
    old_file = evidence.storage_name if not keeps_file else ""
    storage_name = uploads.store(checked) if checked is not None else ""
    if checked is not None:
        changes["storage_name"] = storage_name
    try:
        with transaction.atomic():
            updated = Evidence.objects.filter(pk=evidence.pk, state__in=CHANGEABLE).update(
                state=CheckState.AWAITING, **changes
            )
            if not updated:
                raise ValidationError(
                    "This evidence has just been signed off: it can no longer be changed"
                )
            evidence.ksbs.set(chosen)
            for name, value in changes.items():
                setattr(evidence, name, value)
            evidence.state = CheckState.AWAITING
            _record(
                actor,
                "edited",
                evidence,
                {"kind": kind, "ksbs": sorted(k.pk for k in chosen), "new_file": bool(checked)},
            )
            if old_file:
                transaction.on_commit(lambda: uploads.delete_stored(old_file))
    except BaseException:
        if storage_name:
            uploads.delete_stored(storage_name)
        raise
    return evidence


# --- Signing off ----------------------------------------------------------------------------------


def check_evidence(*, actor: Actor, evidence: Evidence, decision: str, note: str = "") -> Evidence:
    """The practice tutor or a programme leader of the provider signs the item off or asks for
    more (with a note saying what)."""
    enrolment = evidence.enrolment
    if not access.may_check_evidence(actor, enrolment):
        raise PermissionDenied(NOT_A_CHECKER)
    check_open(enrolment)
    if decision not in DECISIONS:
        raise _refuse("decision", "Choose whether to sign it off or ask for more")
    note = (note or "").strip()
    if decision == ASK_FOR_MORE and not note:
        raise _refuse("note", "Say what more the apprentice needs to show")
    if len(note) > NOTE_LIMIT:
        raise _refuse("note", f"The note must be {NOTE_LIMIT} characters or fewer")
    # A queried item may still be signed off (after a conversation, say); asking again waits for
    # the apprentice's change.
    from_states = CHANGEABLE if decision == SIGN_OFF else (CheckState.AWAITING,)
    state = DECISIONS[decision]
    now = timezone.now()
    with transaction.atomic():
        updated = Evidence.objects.filter(pk=evidence.pk, state__in=from_states).update(
            state=state, tutor_note=note, checked_by=actor.person, checked_at=now
        )
        if not updated:
            raise ValidationError(_why_not(evidence))
        evidence.state, evidence.tutor_note = state, note
        evidence.checked_by, evidence.checked_at = actor.person, now
        _record(actor, "signed_off" if decision == SIGN_OFF else "queried", evidence, {})
    return evidence


def _why_not(evidence: Evidence) -> str:
    current = Evidence.objects.filter(pk=evidence.pk).values_list("state", flat=True).first()
    if current == CheckState.ACCEPTED:
        return "This evidence has already been signed off"
    return "More has already been asked for: wait for the apprentice to change the evidence"


# --- Coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KsbCoverage:
    """One KSB of the standard and the enrolment's evidence of it."""

    ksb: Ksb
    signed_off: int
    awaiting: int
    queried: int
    covered: bool  # at least one item showing it has been signed off

    @property
    def total(self) -> int:
        return self.signed_off + self.awaiting + self.queried


def coverage(enrolment: Enrolment) -> list[KsbCoverage]:
    """Each KSB of the enrolment's standard (knowledge, skills, behaviours, then by number and
    code) with its counts of evidence items signed off, awaiting and queried: two queries."""
    standard_id = enrolment.cohort.programme.standard_id
    ksbs = sorted(
        Ksb.objects.filter(standard_id=standard_id),
        key=lambda ksb: (KIND_ORDER.get(ksb.kind, len(KIND_ORDER)), ksb.number, ksb.code),
    )
    counts: dict[tuple[int, str], int] = {}
    rows = (
        Evidence.ksbs.through.objects.filter(evidence__enrolment=enrolment)
        .values("ksb_id", "evidence__state")
        .annotate(count=Count("evidence_id"))
        .order_by()
    )
    for row in rows:
        counts[(row["ksb_id"], row["evidence__state"])] = row["count"]
    found = []
    for ksb in ksbs:
        signed_off = counts.get((ksb.pk, CheckState.ACCEPTED), 0)
        found.append(
            KsbCoverage(
                ksb=ksb,
                signed_off=signed_off,
                awaiting=counts.get((ksb.pk, CheckState.AWAITING), 0),
                queried=counts.get((ksb.pk, CheckState.QUERIED), 0),
                covered=signed_off > 0,
            )
        )
    return found


@dataclass(frozen=True)
class CoverageSummary:
    covered: int
    total: int
    gaps: list[KsbCoverage]

    @property
    def complete(self) -> bool:
        """Every KSB covered (and the standard has some)."""
        return self.total > 0 and self.covered == self.total


def summarise(rows: list[KsbCoverage]) -> CoverageSummary:
    """How many KSBs are covered, of how many, and the gaps in order."""
    gaps = [row for row in rows if not row.covered]
    return CoverageSummary(covered=len(rows) - len(gaps), total=len(rows), gaps=gaps)
