"""Mentoring across organisations: sign-ups, the mentoring lead's matching, pairs and meetings.

Each write is one transaction with one audit entry. The lead's matching feeds the active sign-ups
to the pure assignment (`talent.mentoring`): mentees already in an active pair are left out, and a
mentor offers only the places their active pairs leave. Publishing makes the proposed pairs active
and tells both people by e-mail once it commits (`mentoring_notices`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Partnership, Sector

from . import access, mentoring, mentoring_notices
from . import skills as vocabulary
from .models import (
    MatchingRunStatus,
    MentoringMatching,
    MentoringMeeting,
    MentoringPair,
    MentoringRole,
    MentoringSignup,
    PairStatus,
)

MAX_SKILLS = 20
ASPIRATIONS_LIMIT = 2_000
NOTES_LIMIT = 5_000
REASON_LIMIT = 500
CAPACITY_LIMIT = 10
MINUTES_LIMIT = 24 * 60
# Aspirations name skills between commas, semicolons, full stops or new lines.
ASPIRATION_PARTS = re.compile(r"[,;.\n]+")


def _text(value: object, field: str, label: str, limit: int, errors: dict[str, str]) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = f"{label} must not contain NUL characters"
    elif len(text) > limit:
        errors[field] = f"{label} must be {limit:,} characters or fewer"
    return text


def _skill_names(names: object, errors: dict[str, str]) -> list[str]:
    if isinstance(names, str):
        names = names.split(",")
    cleaned = [vocabulary.clean_name(name) for name in names or []]  # type: ignore[attr-defined]
    cleaned = [name for name in cleaned if name]
    if any("\x00" in name or len(name) > vocabulary.NAME_LIMIT for name in cleaned):
        errors["skills"] = f"Each skill must be {vocabulary.NAME_LIMIT} characters or fewer"
    elif len({vocabulary.key_of(name) for name in cleaned}) > MAX_SKILLS:
        errors["skills"] = f"Give at most {MAX_SKILLS} skills"
    return cleaned


def _active_pairs() -> Q:
    return Q(status=PairStatus.ACTIVE)


def sign_up(
    *,
    actor: Actor,
    role: str,
    skills: Any = (),
    aspirations: str = "",
    prefers_other_sector: bool = True,
    capacity: int | str = 1,
) -> MentoringSignup:
    """The person offers to mentor, or asks for a mentor, for their acting organisation in its
    partnership; a mentor says how many mentees they take at once (1-10)."""
    partnership = access.mentoring_partnership(actor)
    if partnership is None:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if role not in MentoringRole.values:
        errors["role"] = "Choose mentor or mentee"
    names = _skill_names(skills, errors)
    aspirations = _text(aspirations, "aspirations", "Aspirations", ASPIRATIONS_LIMIT, errors)
    if role == MentoringRole.MENTOR and "skills" not in errors and not names:
        errors["skills"] = "Enter at least one skill you can offer"
    if role == MentoringRole.MENTEE and "aspirations" not in errors and not aspirations:
        errors["aspirations"] = "Enter what you want to grow, such as the skills you want to learn"
    try:
        places = int(str(capacity).strip()) if role == MentoringRole.MENTOR else 1
    except ValueError:
        errors["capacity"] = "Mentees at once must be a whole number, like 2"
        places = 1
    if not 1 <= places <= CAPACITY_LIMIT:
        errors["capacity"] = f"Mentees at once must be from 1 to {CAPACITY_LIMIT}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signup = MentoringSignup(
            partnership=partnership,
            person=actor.person,
            organisation=actor.organisation,
            role=role,
            aspirations=aspirations,
            prefers_other_sector=bool(prefers_other_sector),
            capacity=places,
        )
        # The unique constraint on active sign-ups decides a race between two submissions.
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError:
            raise ValidationError(
                {"role": f"You have already signed up as a {signup.get_role_display().lower()}"}
            ) from None
        found = vocabulary.resolve(partnership, names, created_by=actor.person)
        signup.skills.set(found)
        audit.record(
            actor=actor,
            action="mentoring.signed_up",
            kind="mentoring_signup",
            object_id=signup.pk,
            label=signup.get_role_display(),
            organisation=actor.organisation,
            partnership=partnership,
            changes={
                "role": role,
                "skills": [skill.pk for skill in found],
                "capacity": places,
                "prefers_other_sector": signup.prefers_other_sector,
            },
        )
    return signup


def withdraw(*, actor: Actor, signup: MentoringSignup) -> MentoringSignup:
    """The person withdraws their sign-up: it is not matched again (active pairs go on)."""
    if signup.person_id != actor.person_id:
        raise PermissionDenied
    with transaction.atomic():
        if not MentoringSignup.objects.filter(pk=signup.pk, active=True).update(active=False):
            raise ValidationError("This sign-up is already withdrawn")
        signup.active = False
        audit.record(
            actor=actor,
            action="mentoring.withdrawn",
            kind="mentoring_signup",
            object_id=signup.pk,
            label=signup.get_role_display(),
            organisation=signup.organisation,
            partnership=signup.partnership,
        )
    return signup


# --- The lead's matching -----------------------------------------------------------------------


def _led(actor: Actor, partnership: Partnership) -> None:
    if not access.mentoring_led_partnerships(actor).filter(pk=partnership.pk).exists():
        raise PermissionDenied


def _wanted_skills(partnership: Partnership, mentees: list[MentoringSignup]) -> dict[int, set]:
    """The skill ids each mentee's aspirations name (by name or synonym), in one lookup."""
    parts = {
        mentee.pk: [part for part in ASPIRATION_PARTS.split(mentee.aspirations) if part.strip()]
        for mentee in mentees
    }
    known = vocabulary.find(partnership, [part for found in parts.values() for part in found])
    return {
        pk: {known[key].pk for key in map(vocabulary.key_of, found) if key in known}
        for pk, found in parts.items()
    }


def _matchable(partnership: Partnership) -> QuerySet[MentoringSignup]:
    employed = Employment.objects.current().filter(
        person=OuterRef("person"), organisation=OuterRef("organisation")
    )
    return MentoringSignup.objects.filter(Exists(employed), partnership=partnership, active=True)


def waiting_mentees(partnership: Partnership) -> QuerySet[MentoringSignup]:
    """Active mentees not in an active pair, still employed by the organisation they signed up
    for."""
    in_pair = MentoringPair.objects.filter(_active_pairs(), mentee=OuterRef("pk"))
    return _matchable(partnership).filter(role=MentoringRole.MENTEE).exclude(Exists(in_pair))


def open_mentors(partnership: Partnership) -> QuerySet[MentoringSignup]:
    """Active mentors, still employed by their organisation, with places their active pairs
    leave (`places`)."""
    taken = (
        MentoringPair.objects.filter(_active_pairs(), mentor=OuterRef("pk"))
        .values("mentor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        _matchable(partnership)
        .filter(role=MentoringRole.MENTOR)
        .annotate(places=F("capacity") - Coalesce(Subquery(taken), 0))
        .filter(places__gt=0)
    )


def matchable_signups(
    partnership: Partnership,
) -> tuple[list[MentoringSignup], list[MentoringSignup]]:
    """The waiting mentees and the mentors with places left (their `places`), with skills."""
    mentees = waiting_mentees(partnership).select_related("organisation", "person")
    mentors = open_mentors(partnership).select_related("organisation", "person")
    return (
        list(mentees.prefetch_related("skills").order_by("pk")),
        list(mentors.prefetch_related("skills").order_by("pk")),
    )


def matching_counts(partnership: Partnership) -> dict[str, int]:
    """The lead's figures: active sign-ups, waiting mentees, open places and active pairs."""
    active = MentoringSignup.objects.filter(partnership=partnership, active=True)
    return {
        "mentors": active.filter(role=MentoringRole.MENTOR).count(),
        "mentees": active.filter(role=MentoringRole.MENTEE).count(),
        "waiting_mentees": waiting_mentees(partnership).count(),
        "open_places": open_mentors(partnership).aggregate(total=Sum("places"))["total"] or 0,
        "active_pairs": MentoringPair.objects.filter(
            _active_pairs(), matching__partnership=partnership
        ).count(),
    }


def _sector(signup: MentoringSignup) -> str:
    return str(Sector(signup.organisation.sector).label)


def run_matching(*, actor: Actor, partnership: Partnership) -> MentoringMatching:
    """The mentoring lead runs the assignment: a draft matching with proposed pairs, their fit
    and reasons, for review. Pairs of the same two people that ended are not proposed again."""
    _led(actor, partnership)
    with transaction.atomic():
        mentees, mentors = matchable_signups(partnership)
        wanted = _wanted_skills(partnership, mentees)
        names: dict[int, str] = {}
        for signup in (*mentees, *mentors):
            for skill in signup.skills.all():
                names[skill.pk] = skill.name
        never = set(
            MentoringPair.objects.filter(
                matching__partnership=partnership, status=PairStatus.ENDED
            ).values_list("mentee__person_id", "mentor__person_id")
        )
        # Nobody mentors themselves, and two people whose pairing ended are not paired again.
        both = {m.person_id for m in mentees} & {m.person_id for m in mentors}
        never |= {(person, person) for person in both}
        firsts = {first for first, _ in never}
        excluded = {
            (mentee.pk, mentor.pk)
            for mentee in mentees
            if mentee.person_id in firsts
            for mentor in mentors
            if (mentee.person_id, mentor.person_id) in never
        }
        result = mentoring.assign(
            [
                mentoring.Mentee(
                    id=mentee.pk,
                    organisation=mentee.organisation_id,
                    sector=_sector(mentee),
                    skills=frozenset(skill.pk for skill in mentee.skills.all()),
                    wants=frozenset(wanted[mentee.pk]),
                    prefers_other_sector=mentee.prefers_other_sector,
                )
                for mentee in mentees
            ],
            [
                mentoring.Mentor(
                    id=mentor.pk,
                    organisation=mentor.organisation_id,
                    sector=_sector(mentor),
                    skills=frozenset(skill.pk for skill in mentor.skills.all()),
                    capacity=mentor.places,
                    prefers_other_sector=mentor.prefers_other_sector,
                )
                for mentor in mentors
            ],
            excluded=excluded,
            names=names,
        )
        matching = MentoringMatching.objects.create(
            partnership=partnership,
            total_fit=Decimal(result.total_fit),
            unmatched_mentees=len(result.unmatched),
            created_by=actor.person,
        )
        MentoringPair.objects.bulk_create(
            [
                MentoringPair(
                    matching=matching,
                    mentee_id=pair.mentee,
                    mentor_id=pair.mentor,
                    fit=Decimal(pair.fit.points),
                    reasons=list(pair.fit.reasons),
                )
                for pair in result.pairs
            ],
            batch_size=500,
        )
        audit.record(
            actor=actor,
            action="mentoring.matching_run",
            kind="mentoring_matching",
            object_id=matching.pk,
            label=str(matching),
            partnership=partnership,
            changes={
                "mentees": len(mentees),
                "mentors": len(mentors),
                "pairs": len(result.pairs),
                "unmatched": len(result.unmatched),
                "total_fit": result.total_fit,
            },
        )
    return matching


def discard_matching(*, actor: Actor, matching: MentoringMatching) -> MentoringMatching:
    """The lead discards a draft matching: its proposed pairs are never made."""
    _led(actor, matching.partnership)
    with transaction.atomic():
        discarded = MentoringMatching.objects.filter(
            pk=matching.pk, status=MatchingRunStatus.DRAFT
        ).update(status=MatchingRunStatus.DISCARDED)
        if not discarded:
            raise ValidationError("Only a draft matching can be discarded")
        matching.status = MatchingRunStatus.DISCARDED
        audit.record(
            actor=actor,
            action="mentoring.matching_discarded",
            kind="mentoring_matching",
            object_id=matching.pk,
            label=str(matching),
            partnership=matching.partnership,
        )
    return matching


def publish_matching(*, actor: Actor, matching: MentoringMatching) -> MentoringMatching:
    """The lead publishes a draft: its pairs become active and both people of each are told.
    Refused if, since the run, a sign-up was withdrawn, a mentee was paired or a mentor filled."""
    _led(actor, matching.partnership)
    with transaction.atomic():
        # One publication at a time per partnership (SQLite's IMMEDIATE transactions already
        # serialise writers; PostgreSQL waits on this row).
        Partnership.objects.select_for_update().filter(pk=matching.partnership_id).first()
        published = MentoringMatching.objects.filter(
            pk=matching.pk, status=MatchingRunStatus.DRAFT
        ).update(status=MatchingRunStatus.PUBLISHED, published_at=timezone.now())
        if not published:
            raise ValidationError("Only a draft matching can be published")
        pairs = list(matching.pairs.filter(status=PairStatus.PROPOSED))
        open_mentees = set(waiting_mentees(matching.partnership).values_list("pk", flat=True))
        places = dict(open_mentors(matching.partnership).values_list("pk", "places"))
        for pair in pairs:
            places[pair.mentor_id] = places.get(pair.mentor_id, 0) - 1
        if any(pair.mentee_id not in open_mentees for pair in pairs) or any(
            left < 0 for left in places.values()
        ):
            raise ValidationError(
                "Sign-ups have changed since this matching was run (withdrawn, paired or full): "
                "discard it and run the matching again"
            )
        matching.pairs.filter(status=PairStatus.PROPOSED).update(status=PairStatus.ACTIVE)
        matching.status = MatchingRunStatus.PUBLISHED
        mentoring_notices.paired(matching)
        audit.record(
            actor=actor,
            action="mentoring.matching_published",
            kind="mentoring_matching",
            object_id=matching.pk,
            label=str(matching),
            partnership=matching.partnership,
            changes={"pairs": len(pairs)},
        )
    return matching


# --- Pairs ---------------------------------------------------------------------------------------


def _active_pair(actor: Actor, pair: MentoringPair) -> None:
    if not access.is_pair_member(actor, pair):
        raise PermissionDenied
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError("This pairing has ended")


def log_meeting(
    *,
    actor: Actor,
    pair: MentoringPair,
    met_on: dt.date | str | None,
    minutes: int | str,
    notes: str = "",
) -> MentoringMeeting:
    """Either member logs a meeting of an active pair: its date (not in the future), its length
    in minutes (1 to 1,440) and optional notes."""
    _active_pair(actor, pair)
    errors: dict[str, str] = {}
    when: dt.date | None = None
    if isinstance(met_on, dt.date):
        when = met_on
    elif not met_on:
        errors["met_on"] = "Enter the date you met"
    else:
        try:
            when = dt.date.fromisoformat(str(met_on))
        except ValueError:
            errors["met_on"] = "Date you met must be a real date, like 2027-03-01"
    if when is not None and when > timezone.localdate():
        errors["met_on"] = "Date you met must be today or in the past"
    try:
        length = int(str(minutes).strip())
    except ValueError:
        errors["minutes"] = "Minutes must be a whole number, like 45"
        length = 0
    else:
        if not 1 <= length <= MINUTES_LIMIT:
            errors["minutes"] = f"Minutes must be from 1 to {MINUTES_LIMIT:,}"
    notes = _text(notes, "notes", "Notes", NOTES_LIMIT, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = MentoringMeeting.objects.create(
            pair=pair, met_on=when, minutes=length, notes=notes, logged_by=actor.person
        )
        audit.record(
            actor=actor,
            action="mentoring.meeting_logged",
            kind="mentoring_meeting",
            object_id=meeting.pk,
            label=str(meeting),
            partnership=pair.matching.partnership,
            changes={"pair": pair.pk, "met_on": when.isoformat(), "minutes": length},
        )
    return meeting


def end_pairing(*, actor: Actor, pair: MentoringPair, reason: str) -> MentoringPair:
    """Either member ends an active pairing, saying why; the two are not proposed again."""
    _active_pair(actor, pair)
    errors: dict[str, str] = {}
    reason = _text(reason, "end_reason", "Reason", REASON_LIMIT, errors)
    if not errors and not reason:
        errors["end_reason"] = "Enter why the pairing is ending"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        ended = MentoringPair.objects.filter(pk=pair.pk, status=PairStatus.ACTIVE).update(
            status=PairStatus.ENDED, ended_at=now, end_reason=reason
        )
        if not ended:
            raise ValidationError("This pairing has ended")
        pair.status, pair.ended_at, pair.end_reason = PairStatus.ENDED, now, reason
        audit.record(
            actor=actor,
            action="mentoring.pair_ended",
            kind="mentoring_pair",
            object_id=pair.pk,
            label=str(pair),
            partnership=pair.matching.partnership,
        )
    return pair
