"""Spaces and membership: communities, runs' spaces and the linked spaces other apps keep.

Each write is one transaction with one audit entry; refusals are `ValidationError`s naming the
field (or none), and `PermissionDenied` for someone the access funnel does not allow.

- A community is started by anyone in a partnership, who becomes its owner and an active
  moderator-member. People join at once, or ask to join when it needs approval (the owner is
  told by e-mail); the owner or the partnership lead approves or refuses. Members leave; the
  owner cannot while owner.
- A run's space is opened by the run's host (`open_run_space`); its members follow the run's
  confirmed bookings and facilitators (`sync_run_space`), kept in step by signals on learning's
  `Booking` and `Run` (`on_booking_saved`, `on_run_saved`, connected in apps.py) and by the job
  in jobs.py (bulk updates send no signals).
- A linked space belongs to another app's object, found by its context (kind, id): the app calls
  `context_space` to get or make it and `set_context_members` to say exactly who belongs.
  `network` imports nothing from those apps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.partnership import audit
from joinedup.partnership.access import acting_partnerships, open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Partnership, Person
from joinedup.partnership.notifications import notify, notify_after_commit

from . import access
from .models import MemberStatus, Space, SpaceKind, SpaceMember
from .text import clean_typed

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 5_000
KIND_LIMIT = 40
CONTEXT_ID_LIMIT = 64
SPACE = "network_space"
MEMBER = "network_space_member"


# --- Text ----------------------------------------------------------------------------------------


def _title(value: object, errors: dict[str, str]) -> str:
    """One line of text: control and bidirectional characters dropped, spaces collapsed."""
    title = " ".join(clean_typed(str(value or "")).split())
    if not title:
        errors["title"] = "Enter a title"
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"Title must be {TITLE_LIMIT} characters or fewer"
    return title


def _description(value: object, errors: dict[str, str]) -> str:
    description = clean_typed(str(value or "")).strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer"
    return description


def _manager(actor: Actor, space: Space) -> None:
    """The owner or the partnership lead, else 403."""
    if not access.may_manage_space(actor, space):
        raise PermissionDenied


# --- Communities ---------------------------------------------------------------------------------


@transaction.atomic
def start_community(
    *, actor: Actor, title: str, description: str = "", join_approval: bool = False
) -> Space:
    """A new community of the acting organisation's (first) partnership; the starter is its
    owner and an active moderator."""
    if not access.may_start_community(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    title = _title(title, errors)
    description = _description(description, errors)
    if errors:
        raise ValidationError(errors)
    partnership = acting_partnerships(actor)[0]
    space = Space.objects.create(
        partnership=partnership,
        kind=SpaceKind.COMMUNITY,
        title=title,
        description=description,
        owner_organisation=actor.organisation,
        owner=actor.person,
        join_approval=bool(join_approval),
    )
    SpaceMember.objects.create(
        space=space, person=actor.person, organisation=actor.organisation, is_moderator=True
    )
    audit.record(
        actor=actor,
        action="space.started",
        kind=SPACE,
        object_id=space.pk,
        label=space.title,
        organisation=actor.organisation,
        partnership=partnership,
        changes={"kind": space.kind, "join_approval": space.join_approval},
    )
    return space


def join(*, actor: Actor, space: Space) -> SpaceMember:
    """Join a community at once, or ask to join one that needs approval (its owner is told)."""
    if actor.person is None or space.kind != SpaceKind.COMMUNITY:
        raise PermissionDenied
    if access.membership_of(actor, space) is not None:
        raise ValidationError("You are already a member of this space, or have asked to join")
    if not access.may_join(actor, space):
        raise PermissionDenied
    status = MemberStatus.REQUESTED if space.join_approval else MemberStatus.ACTIVE
    try:
        with transaction.atomic():
            member = SpaceMember.objects.create(
                space=space, person=actor.person, organisation=actor.organisation, status=status
            )
            audit.record(
                actor=actor,
                action="space.join_requested" if space.join_approval else "space.joined",
                kind=SPACE,
                object_id=space.pk,
                label=space.title,
                organisation=actor.organisation,
                partnership=space.partnership,
                changes={"member": member.pk, "status": status},
            )
            if space.join_approval and space.owner_id is not None:
                transaction.on_commit(lambda: _tell_owner_of_request(member.pk), robust=True)
    except IntegrityError:
        # The same person's second click landing at once: one membership stands.
        raise ValidationError(
            "You are already a member of this space, or have asked to join"
        ) from None
    return member


def _tell_owner_of_request(member_pk: int) -> None:
    member = (
        SpaceMember.objects.filter(pk=member_pk, status=MemberStatus.REQUESTED)
        .select_related("space__owner", "person", "organisation")
        .first()
    )
    if member is None or member.space.owner is None:
        return
    notify(
        member.space.owner,
        "network_join_request",
        {
            "space": member.space,
            "requester": member.person,
            "organisation": member.organisation,
            "requests_url": _url("network:space-requests", member.space.pk),
        },
    )


def _url(name: str, pk: int) -> str:
    """An absolute link for an e-mail."""
    return settings.SITE_URL + reverse(name, kwargs={"pk": pk})


def _requested(space: Space, member: SpaceMember) -> None:
    if member.space_id != space.pk or member.status != MemberStatus.REQUESTED:
        raise ValidationError("That request to join has already been answered")


@transaction.atomic
def approve_request(*, actor: Actor, space: Space, member: SpaceMember) -> SpaceMember:
    """Let someone who asked to join in (the owner or the partnership lead); they are told."""
    _manager(actor, space)
    _requested(space, member)
    now = timezone.now()
    changed = SpaceMember.objects.filter(pk=member.pk, status=MemberStatus.REQUESTED).update(
        status=MemberStatus.ACTIVE, joined_at=now
    )
    if not changed:
        raise ValidationError("That request to join has already been answered")
    member.status, member.joined_at = MemberStatus.ACTIVE, now
    audit.record(
        actor=actor,
        action="space.join_approved",
        kind=SPACE,
        object_id=space.pk,
        label=space.title,
        organisation=space.owner_organisation,
        partnership=space.partnership,
        changes={"member": member.pk},
    )
    context = {"space_title": space.title, "space_url": _url("network:space", space.pk)}
    notify_after_commit([member.person], "network_join_approved", context)
    return member


@transaction.atomic
def refuse_request(*, actor: Actor, space: Space, member: SpaceMember) -> None:
    """Turn down a request to join (the owner or the partnership lead); the person is told."""
    _manager(actor, space)
    _requested(space, member)
    deleted, _ = SpaceMember.objects.filter(pk=member.pk, status=MemberStatus.REQUESTED).delete()
    if not deleted:
        raise ValidationError("That request to join has already been answered")
    audit.record(
        actor=actor,
        action="space.join_refused",
        kind=SPACE,
        object_id=space.pk,
        label=space.title,
        organisation=space.owner_organisation,
        partnership=space.partnership,
        changes={"member": member.pk},
    )
    context = {"space_title": space.title}
    notify_after_commit([member.person], "network_join_refused", context)


@transaction.atomic
def leave(*, actor: Actor, space: Space) -> None:
    """Leave a community (or withdraw a request to join). A run's or linked space's members are
    kept elsewhere; the owner cannot leave while owner."""
    member = access.membership_of(actor, space)
    if member is None:
        raise PermissionDenied
    if space.membership_is_kept_elsewhere():
        raise ValidationError(
            "You cannot leave this space: its members follow "
            + ("the run's bookings" if space.kind == SpaceKind.RUN else "the service that made it")
        )
    if space.owner_id == actor.person_id:
        raise ValidationError(
            "You own this space, so you cannot leave it. Ask the partnership lead to archive it"
        )
    SpaceMember.objects.filter(pk=member.pk).delete()
    audit.record(
        actor=actor,
        action="space.left",
        kind=SPACE,
        object_id=space.pk,
        label=space.title,
        organisation=actor.organisation,
        partnership=space.partnership,
        changes={"member": member.pk, "status": member.status},
    )


# --- Moderators, editing, archiving --------------------------------------------------------------


def _active_member(space: Space, person: Person | None) -> SpaceMember:
    member = (
        SpaceMember.objects.filter(space=space, person=person, status=MemberStatus.ACTIVE).first()
        if person is not None
        else None
    )
    if member is None:
        raise ValidationError({"person": "Choose a member of this space"})
    return member


def _set_moderator(actor: Actor, space: Space, person: Person, *, moderates: bool) -> SpaceMember:
    """Name an active member a moderator, or stop them moderating (the owner or the lead)."""
    _manager(actor, space)
    member = _active_member(space, person)
    if member.is_moderator == moderates:
        state = "already a moderator" if moderates else "not a moderator"
        raise ValidationError({"person": f"{person.full_name} is {state}"})
    SpaceMember.objects.filter(pk=member.pk).update(is_moderator=moderates)
    member.is_moderator = moderates
    audit.record(
        actor=actor,
        action="space.moderator_named" if moderates else "space.moderator_removed",
        kind=SPACE,
        object_id=space.pk,
        label=space.title,
        organisation=space.owner_organisation,
        partnership=space.partnership,
        changes={"member": member.pk},
    )
    return member


@transaction.atomic
def name_moderator(*, actor: Actor, space: Space, person: Person) -> SpaceMember:
    """Name an active member a moderator (the owner or the partnership lead)."""
    return _set_moderator(actor, space, person, moderates=True)


@transaction.atomic
def remove_moderator(*, actor: Actor, space: Space, person: Person) -> SpaceMember:
    """Stop an active member moderating (the owner or the partnership lead)."""
    return _set_moderator(actor, space, person, moderates=False)


@transaction.atomic
def edit_space(
    *, actor: Actor, space: Space, title: str, description: str, join_approval: bool = False
) -> Space:
    """Change a space's title, description and (communities only) join approval."""
    _manager(actor, space)
    errors: dict[str, str] = {}
    title = _title(title, errors)
    description = _description(description, errors)
    if errors:
        raise ValidationError(errors)
    join_approval = bool(join_approval) and space.kind == SpaceKind.COMMUNITY
    Space.objects.filter(pk=space.pk).update(
        title=title, description=description, join_approval=join_approval
    )
    changed = {"join_approval": join_approval} if join_approval != space.join_approval else {}
    space.title, space.description, space.join_approval = title, description, join_approval
    audit.record(
        actor=actor,
        action="space.edited",
        kind=SPACE,
        object_id=space.pk,
        label=title,
        organisation=space.owner_organisation,
        partnership=space.partnership,
        changes=changed,
    )
    return space


@transaction.atomic
def archive_space(*, actor: Actor, space: Space) -> Space:
    """Archive a space (the owner or the partnership lead): it stays readable; nobody joins or
    writes in it any more."""
    _manager(actor, space)
    now = timezone.now()
    if not Space.objects.filter(pk=space.pk, archived_at__isnull=True).update(archived_at=now):
        raise ValidationError("This space is already archived")
    space.archived_at = now
    audit.record(
        actor=actor,
        action="space.archived",
        kind=SPACE,
        object_id=space.pk,
        label=space.title,
        organisation=space.owner_organisation,
        partnership=space.partnership,
    )
    return space


# --- Keeping a member list -----------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """Who should be a member, with the organisation they are shown with."""

    organisation_id: int
    is_moderator: bool | None = None  # None: leave as it is (a run's members)


@dataclass(frozen=True)
class Changes:
    added: int = 0
    removed: int = 0
    updated: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.updated)


def _keep_members(space: Space, wanted: dict[int, Wanted], *, keep: Iterable[int] = ()) -> Changes:
    """Make the space's members exactly `wanted` (people in `keep` stay regardless): remove the
    rest, correct organisations and moderators, add the missing as active members."""
    kept = set(keep)
    existing = {member.person_id: member for member in SpaceMember.objects.filter(space=space)}
    gone = [
        member.pk
        for person_id, member in existing.items()
        if person_id not in wanted and person_id not in kept
    ]
    if gone:
        SpaceMember.objects.filter(pk__in=gone).delete()
    updated = 0
    for person_id, want in wanted.items():
        member = existing.get(person_id)
        if member is None:
            continue
        fields = {}
        if member.organisation_id != want.organisation_id:
            fields["organisation_id"] = want.organisation_id
        if member.status != MemberStatus.ACTIVE:
            fields["status"] = MemberStatus.ACTIVE
        if want.is_moderator is not None and member.is_moderator != want.is_moderator:
            fields["is_moderator"] = want.is_moderator
        if fields:
            updated += SpaceMember.objects.filter(pk=member.pk).update(**fields)
    missing = [
        SpaceMember(
            space=space,
            person_id=person_id,
            organisation_id=want.organisation_id,
            is_moderator=bool(want.is_moderator),
        )
        for person_id, want in wanted.items()
        if person_id not in existing
    ]
    # Two syncs of the same space at once (a signal and the job) add each person once.
    SpaceMember.objects.bulk_create(missing, ignore_conflicts=True)
    return Changes(added=len(missing), removed=len(gone), updated=updated)


def _record_sync(space: Space, action: str, changes: Changes, actor: Actor | None = None) -> None:
    if changes:
        audit.record(
            actor=actor,
            action=action,
            kind=SPACE,
            object_id=space.pk,
            label=space.title,
            organisation=space.owner_organisation,
            partnership=space.partnership,
            changes={
                "added": changes.added,
                "removed": changes.removed,
                "updated": changes.updated,
            },
        )


# --- Runs' spaces --------------------------------------------------------------------------------


def _run_title(run: Run) -> str:
    first = run.first_session()
    title = run.programme.title
    if first is not None:
        title = f"{title}, {first.date:%-d %B %Y}"
    return title[:TITLE_LIMIT]


def open_run_space(*, actor: Actor, run: Run) -> Space:
    """The run's discussion space, opened by its host (one per run; a second call returns the
    first). The opener owns and moderates it; its members follow the run."""
    if not learning_access.may_host(actor, run):
        raise PermissionDenied
    existing = Space.objects.filter(run=run).first()
    if existing is not None:
        return existing
    partnerships = acting_partnerships(actor)
    if not partnerships:
        raise ValidationError("Your organisation is not in a partnership")
    try:
        with transaction.atomic():
            space = Space.objects.create(
                partnership=partnerships[0],
                kind=SpaceKind.RUN,
                run=run,
                title=_run_title(run),
                description=run.programme.summary,
                owner_organisation_id=run.programme.host_id,
                owner=actor.person,
            )
            SpaceMember.objects.create(
                space=space, person=actor.person, organisation=actor.organisation, is_moderator=True
            )
            audit.record(
                actor=actor,
                action="space.opened_for_run",
                kind=SPACE,
                object_id=space.pk,
                label=space.title,
                organisation=space.owner_organisation,
                partnership=space.partnership,
                changes={"run": run.pk},
            )
            sync_run_space(space)
    except IntegrityError:
        # The host's second click landing at once: the first space stands.
        return Space.objects.get(run=run)
    return space


def _trainer_organisation(space: Space, trainer_id: int) -> int:
    """The organisation a run's trainer is shown with: their current job at an organisation of
    the space's partnership, else the host's."""
    members = open_memberships().filter(partnership_id=space.partnership_id)
    job = (
        Employment.objects.current()
        .filter(person_id=trainer_id, organisation_id__in=members.values("organisation_id"))
        .order_by("-start_date", "-id")
        .values_list("organisation_id", flat=True)
        .first()
    )
    return job or space.owner_organisation_id


@transaction.atomic
def sync_run_space(space: Space) -> Changes:
    """Make a run's space's members the run's confirmed bookings (with the organisation they
    booked for), its trainer and the space's owner; idempotent."""
    run = Run.objects.get(pk=space.run_id)
    wanted: dict[int, Wanted] = {}
    confirmed = Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED).order_by("pk")
    for person_id, organisation_id in confirmed.values_list("person_id", "organisation_id"):
        wanted.setdefault(person_id, Wanted(organisation_id))
    if run.trainer_id is not None and run.trainer_id not in wanted:
        wanted[run.trainer_id] = Wanted(_trainer_organisation(space, run.trainer_id))
    keep = [space.owner_id] if space.owner_id is not None else []
    changes = _keep_members(space, wanted, keep=keep)
    _record_sync(space, "space.members_synced", changes)
    return changes


def sync_all_run_spaces() -> int:
    """Sync every run's space (the periodic job: bookings changed by bulk updates send no
    signal); the number of spaces whose members changed."""
    changed = 0
    for space in Space.objects.filter(kind=SpaceKind.RUN).order_by("pk").iterator():
        changed += bool(sync_run_space(space))
    return changed


def on_booking_saved(sender: type, instance: Booking, **kwargs: object) -> None:
    """A saved booking re-syncs its run's space, if the run has one."""
    space = Space.objects.filter(run_id=instance.run_id).first()
    if space is not None:
        sync_run_space(space)


def on_run_saved(sender: type, instance: Run, **kwargs: object) -> None:
    """A saved run (its trainer may have changed) re-syncs its space, if it has one."""
    space = Space.objects.filter(run_id=instance.pk).first()
    if space is not None:
        sync_run_space(space)


# --- Linked spaces (the interface for other apps) ------------------------------------------------


def context_space(
    *,
    partnership: Partnership,
    owner_organisation: Organisation,
    kind: str,
    object_id: object,
    label: str,
    title: str | None = None,
    owner: Person | None = None,
) -> Space:
    """The linked space of another app's object (kind such as "apprenticeships.module", and its
    id), made on first call; keeps its label (and its title, when given) current."""
    kind, context_id = str(kind).strip(), str(object_id).strip()
    if not kind or len(kind) > KIND_LIMIT:
        raise ValueError(f"A context kind is 1 to {KIND_LIMIT} characters")
    if not context_id or len(context_id) > CONTEXT_ID_LIMIT:
        raise ValueError(f"A context id is 1 to {CONTEXT_ID_LIMIT} characters")
    label = " ".join(clean_typed(str(label)).split())[:TITLE_LIMIT]
    shown = " ".join(clean_typed(str(title)).split())[:TITLE_LIMIT] if title is not None else None
    found = Space.objects.filter(context_kind=kind, context_id=context_id).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Space.objects.create(
                    partnership=partnership,
                    kind=SpaceKind.CONTEXT,
                    title=shown or label or kind,
                    owner_organisation=owner_organisation,
                    owner=owner,
                    context_kind=kind,
                    context_id=context_id,
                    context_label=label,
                )
                audit.record(
                    actor=None,
                    action="space.linked",
                    kind=SPACE,
                    object_id=found.pk,
                    label=found.title,
                    organisation=owner_organisation,
                    partnership=partnership,
                    changes={"context_kind": kind, "context_id": context_id},
                )
            return found
        except IntegrityError:
            found = Space.objects.get(context_kind=kind, context_id=context_id)
    fields = {}
    if found.context_label != label:
        fields["context_label"] = label
    if shown and found.title != shown:
        fields["title"] = shown
    if owner is not None and found.owner_id != owner.pk:
        fields["owner"] = owner
    if fields:
        Space.objects.filter(pk=found.pk).update(**fields)
        for name, value in fields.items():
            setattr(found, name, value)
    return found


@transaction.atomic
def set_context_members(
    space: Space,
    members: Iterable[tuple[Person, Organisation]],
    moderators: Iterable[Person] = (),
) -> Changes:
    """Make a linked space's members exactly `members` (each person with the organisation they
    are shown with), moderators exactly `moderators` (who must be among them); idempotent."""
    if space.kind != SpaceKind.CONTEXT:
        raise ValueError("Only a linked space's members are set by another app")
    moderating = {person.pk for person in moderators}
    wanted = {
        person.pk: Wanted(organisation.pk, person.pk in moderating)
        for person, organisation in members
    }
    strangers = moderating - set(wanted)
    if strangers:
        raise ValueError(f"Moderators must be members: {sorted(strangers)}")
    changes = _keep_members(space, wanted)
    _record_sync(space, "space.members_set", changes)
    return changes
