"""Rotation schemes: graduate or leadership placements across the partnership's employers.

The partnership lead creates a scheme and its cohorts (each cohort gets its rounds, dated from
its start by the scheme's placement length) and adds participants (people currently employed by a
member organisation). While a round collects preferences, member organisations' L&D leads and
admins offer posts with a capacity; participants rank the posts they are eligible for; hosts rank
the participants for their posts. The lead runs a stable matching per round (eligible pairs only;
participant-proposing deferred acceptance, `matching.stable_matching`), reviews it, may run it
again (the unpublished result is replaced), publishes it (participants and hosts are told), and
places anyone left unmatched by hand, with a reason, into a post with a free place.

Eligibility is `rotation_rules`: never the home organisation or one already placed at, and by the
last round two sectors across placements. Every write is one transaction with one audit entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import find_member_staff, led_partnerships, open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Employment,
    OrganisationRoleGrant,
    Partnership,
    Person,
)
from joinedup.partnership.notifications import notify

from . import access, rotation_rules
from .matching import blocking_pairs, stable_matching
from .models import (
    Cohort,
    HostPreference,
    Participant,
    ParticipantPreference,
    Placement,
    RotationPost,
    RotationRound,
    RotationScheme,
    RoundStatus,
)

MAX_ROUNDS = 12
MAX_PLACEMENT_MONTHS = 36
MAX_CAPACITY = 50


# --- Checking input ------------------------------------------------------------------------------


def _text(
    value: object, field: str, label: str, limit: int, errors: dict, *, required: bool = True
) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = f"{label} must not contain NUL characters"
    elif len(text) > limit:
        errors[field] = f"{label} must be {limit:,} characters or fewer"
    elif required and not text:
        errors[field] = f"Enter {label[0].lower()}{label[1:]}"
    return text


def _whole(value: object, field: str, label: str, low: int, high: int, errors: dict) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = f"{label} must be a whole number from {low} to {high}"
        return low
    if not low <= number <= high:
        errors[field] = f"{label} must be from {low} to {high}"
    return number


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Schemes, cohorts, participants and posts ----------------------------------------------------


def create_scheme(
    *,
    actor: Actor,
    name: str,
    description: str = "",
    rounds: int | str = 3,
    placement_months: int | str = 8,
    partnership: Partnership | None = None,
) -> RotationScheme:
    """The partnership lead creates a scheme in a partnership they lead (their first by name
    when not given)."""
    led = led_partnerships(actor)
    partnership = partnership or led.first()
    if partnership is None or not led.filter(pk=partnership.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    values = {
        "name": _text(name, "name", "Name", 200, errors),
        "description": _text(
            description, "description", "Description", 5_000, errors, required=False
        ),
        "rounds": _whole(rounds, "rounds", "Number of rounds", 1, MAX_ROUNDS, errors),
        "placement_months": _whole(
            placement_months,
            "placement_months",
            "Months per placement",
            1,
            MAX_PLACEMENT_MONTHS,
            errors,
        ),
    }
    if (
        "name" not in errors
        and RotationScheme.objects.filter(
            partnership=partnership, name__iexact=values["name"]
        ).exists()
    ):
        errors["name"] = "The partnership already has a scheme with this name"
    _raise(errors)
    with transaction.atomic():
        scheme = RotationScheme.objects.create(
            partnership=partnership, created_by=actor.person, **values
        )
        audit.record(
            actor=actor,
            action="rotation_scheme.created",
            kind="rotation_scheme",
            object_id=scheme.pk,
            label=scheme.name,
            partnership=partnership,
            changes={"rounds": scheme.rounds, "placement_months": scheme.placement_months},
        )
    return scheme


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number `months` calendar months later, or that month's last day if shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(
        year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1])
    )


def round_dates(starts_on: dt.date, rounds: int, months: int) -> list[tuple[dt.date, dt.date]]:
    """Each round's first and last day: back to back from the cohort's start, `months` long."""
    return [
        (
            add_months(starts_on, months * index),
            add_months(starts_on, months * (index + 1)) - dt.timedelta(days=1),
        )
        for index in range(rounds)
    ]


def create_cohort(
    *, actor: Actor, scheme: RotationScheme, name: str, starts_on: dt.date | None
) -> Cohort:
    """The scheme's lead starts a cohort; its rounds are created with their dates."""
    if not access.may_lead_scheme(actor, scheme):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = _text(name, "name", "Name", 200, errors)
    if starts_on is None:
        errors["starts_on"] = "Enter the date the first placement starts"
    if "name" not in errors and scheme.cohorts.filter(name__iexact=name).exists():
        errors["name"] = "The scheme already has a cohort with this name"
    _raise(errors)
    assert starts_on is not None
    try:
        with transaction.atomic():
            cohort = Cohort.objects.create(scheme=scheme, name=name, starts_on=starts_on)
            dates = round_dates(starts_on, scheme.rounds, scheme.placement_months)
            RotationRound.objects.bulk_create(
                RotationRound(cohort=cohort, number=number, starts_on=first, ends_on=last)
                for number, (first, last) in enumerate(dates, start=1)
            )
            audit.record(
                actor=actor,
                action="rotation_cohort.created",
                kind="rotation_cohort",
                object_id=cohort.pk,
                label=str(cohort),
                partnership=scheme.partnership,
                changes={
                    "scheme": scheme.pk,
                    "starts_on": starts_on.isoformat(),
                    "rounds": [[first.isoformat(), last.isoformat()] for first, last in dates],
                },
            )
    except IntegrityError as error:  # added a moment ago by another request
        raise ValidationError({"name": "The scheme already has a cohort with this name"}) from error
    return cohort


def home_employment(partnership: Partnership, person: Person) -> Employment | None:
    """The person's current job at a member organisation of the partnership (the latest)."""
    members = open_memberships().filter(partnership=partnership).values("organisation")
    return (
        Employment.objects.current()
        .filter(person=person, organisation__in=members)
        .select_related("organisation")
        .order_by("-start_date", "-pk")
        .first()
    )


def add_participant(*, actor: Actor, cohort: Cohort, email: str) -> Participant:
    """The scheme's lead adds someone currently employed by a member organisation, found by
    their e-mail address; that organisation is their home."""
    scheme = cohort.scheme
    if not access.may_lead_scheme(actor, scheme):
        raise PermissionDenied
    errors: dict[str, str] = {}
    email = _text(email, "email", "E-mail address", 254, errors)
    _raise(errors)
    person = find_member_staff(scheme.partnership, email)
    job = home_employment(scheme.partnership, person) if person is not None else None
    if person is None or job is None:
        raise ValidationError(
            {"email": "No one working at a member organisation has this e-mail address"}
        )
    if cohort.participants.filter(person=person).exists():
        raise ValidationError({"email": f"{person} is already in this cohort"})
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                cohort=cohort, person=person, home_organisation=job.organisation
            )
            audit.record(
                actor=actor,
                action="rotation_participant.added",
                kind="rotation_participant",
                object_id=participant.pk,
                label=str(cohort),
                organisation=job.organisation,
                partnership=scheme.partnership,
                changes={"cohort": cohort.pk, "person": person.pk, "home": job.organisation_id},
            )
    except IntegrityError as error:  # added a moment ago by another request
        raise ValidationError({"email": f"{person} is already in this cohort"}) from error
    return participant


def lock_round(rotation_round: RotationRound) -> None:
    """Inside a transaction: lock the round's row and read its status afresh, so writes to one
    round happen one at a time (a matching, a publication, a placement by hand, a ranking) and
    each sees the status the last one left (PostgreSQL; SQLite's IMMEDIATE transactions already
    serialise writers)."""
    rotation_round.status = (
        RotationRound.objects.select_for_update()
        .filter(pk=rotation_round.pk)
        .values_list("status", flat=True)
        .get()
    )


def _collecting(rotation_round: RotationRound) -> None:
    if rotation_round.status != RoundStatus.PREFERENCES:
        raise ValidationError(
            f"Round {rotation_round.number} is no longer collecting preferences: it has been "
            "matched"
        )


def add_post(
    *,
    actor: Actor,
    rotation_round: RotationRound,
    title: str,
    description: str = "",
    capacity: int | str = 1,
) -> RotationPost:
    """An L&D lead or admin of a member organisation offers a post in a round still collecting
    preferences; their organisation hosts it."""
    if not access.may_host(actor):
        raise PermissionDenied
    _collecting(rotation_round)
    errors: dict[str, str] = {}
    values = {
        "title": _text(title, "title", "Title", 200, errors),
        "description": _text(
            description, "description", "Description", 5_000, errors, required=False
        ),
        "capacity": _whole(capacity, "capacity", "Places", 1, MAX_CAPACITY, errors),
    }
    _raise(errors)
    with transaction.atomic():
        lock_round(rotation_round)
        _collecting(rotation_round)
        post = RotationPost.objects.create(round=rotation_round, host=actor.organisation, **values)
        audit.record(
            actor=actor,
            action="rotation_post.added",
            kind="rotation_post",
            object_id=post.pk,
            label=post.title,
            organisation=actor.organisation,
            partnership=rotation_round.cohort.scheme.partnership,
            changes={"round": rotation_round.pk, "capacity": post.capacity},
        )
    return post


# --- Eligibility ---------------------------------------------------------------------------------


def _placed_elsewhere(
    cohort: Cohort, rotation_round: RotationRound
) -> dict[int, list[rotation_rules.Place]]:
    """Each participant's placements in the cohort's other rounds, as the rules see them."""
    found: dict[int, list[rotation_rules.Place]] = defaultdict(list)
    rows = (
        Placement.objects.filter(round__cohort=cohort)
        .exclude(round=rotation_round)
        .values_list("participant_id", "post__host_id", "post__host__sector")
    )
    for participant_id, host_id, sector in rows:
        found[participant_id].append(rotation_rules.Place(host_id, sector))
    return found


def _refusal(
    participant: Participant,
    post: RotationPost,
    rotation_round: RotationRound,
    elsewhere: dict[int, list[rotation_rules.Place]],
) -> str | None:
    return rotation_rules.refusal(
        home_organisation=participant.home_organisation_id,
        post=rotation_rules.Place(post.host_id, post.host.sector),
        placements=elsewhere.get(participant.pk, []),
        round_number=rotation_round.number,
        rounds=rotation_round.cohort.scheme.rounds,
    )


def eligibility_refusal(participant: Participant, post: RotationPost) -> str | None:
    """Why the participant may not take the post (None when they may)."""
    rotation_round = post.round
    elsewhere = _placed_elsewhere(rotation_round.cohort, rotation_round)
    return _refusal(participant, post, rotation_round, elsewhere)


def round_posts(rotation_round: RotationRound) -> QuerySet[RotationPost]:
    """The round's posts with their hosts, by host and title."""
    return rotation_round.posts.select_related("host")


def eligible_posts(participant: Participant, rotation_round: RotationRound) -> list[RotationPost]:
    """The round's posts the participant may take."""
    elsewhere = _placed_elsewhere(rotation_round.cohort, rotation_round)
    return [
        post
        for post in round_posts(rotation_round)
        if _refusal(participant, post, rotation_round, elsewhere) is None
    ]


def eligible_participants(post: RotationPost) -> list[Participant]:
    """The cohort's participants who may take the post."""
    rotation_round = post.round
    elsewhere = _placed_elsewhere(rotation_round.cohort, rotation_round)
    return [
        participant
        for participant in rotation_round.cohort.participants.select_related("person")
        if _refusal(participant, post, rotation_round, elsewhere) is None
    ]


# --- Preferences ---------------------------------------------------------------------------------


def preferences_of(participant: Participant, rotation_round: RotationRound) -> list[RotationPost]:
    """The posts of the round the participant ranked, best first."""
    ranked = (
        ParticipantPreference.objects.filter(participant=participant, post__round=rotation_round)
        .select_related("post__host")
        .order_by("rank")
    )
    return [preference.post for preference in ranked]


def host_ranking(post: RotationPost) -> list[Participant]:
    """The participants the post's host ranked, best first."""
    ranked = post.rankings.select_related("participant__person").order_by("rank")
    return [preference.participant for preference in ranked]


def _distinct(ids: Sequence[int], field: str, noun: str) -> list[int]:
    ids = [int(pk) for pk in ids]
    if len(set(ids)) != len(ids):
        raise ValidationError({field: f"Give each {noun} a different rank"})
    return ids


def set_preferences(
    *,
    actor: Actor,
    participant: Participant,
    rotation_round: RotationRound,
    post_ids: Sequence[int],
) -> list[RotationPost]:
    """A participant ranks the round's posts they are eligible for, best first (replacing any
    earlier ranking); posts left out are ones they do not want."""
    if actor.person is None or participant.person_id != actor.person.pk:
        raise PermissionDenied
    if participant.cohort_id != rotation_round.cohort_id:
        raise PermissionDenied
    _collecting(rotation_round)
    ids = _distinct(post_ids, "posts", "post")
    if not ids:
        raise ValidationError({"posts": "Rank at least one post"})
    eligible = {post.pk: post for post in eligible_posts(participant, rotation_round)}
    unknown = [pk for pk in ids if pk not in eligible]
    if unknown:
        raise ValidationError({"posts": "You may rank only this round's posts open to you"})
    with transaction.atomic():
        lock_round(rotation_round)
        _collecting(rotation_round)
        ParticipantPreference.objects.filter(
            participant=participant, post__round=rotation_round
        ).delete()
        ParticipantPreference.objects.bulk_create(
            ParticipantPreference(participant=participant, post_id=pk, rank=rank)
            for rank, pk in enumerate(ids, start=1)
        )
        audit.record(
            actor=actor,
            action="rotation_preferences.set",
            kind="rotation_participant",
            object_id=participant.pk,
            label=str(rotation_round),
            partnership=rotation_round.cohort.scheme.partnership,
            changes={"round": rotation_round.pk, "posts": ids},
        )
    return [eligible[pk] for pk in ids]


def candidates_for(post: RotationPost) -> list[tuple[Participant, bool]]:
    """The participants a host may rank for a post, each with whether they asked for it: those who
    asked first, then everyone else eligible, by name within each (how a participant ranked the
    post is theirs: the host is not shown it)."""
    eligible = eligible_participants(post)
    asked = set(
        ParticipantPreference.objects.filter(post=post).values_list("participant_id", flat=True)
    )
    return sorted(
        ((participant, participant.pk in asked) for participant in eligible),
        key=lambda row: not row[1],
    )


def set_host_ranking(
    *, actor: Actor, post: RotationPost, participant_ids: Sequence[int]
) -> list[Participant]:
    """The post's host ranks participants eligible for it, best first (replacing any earlier
    ranking). Ranking nobody means taking whoever asks for the post, in the order they joined."""
    if not access.may_rank_for_post(actor, post):
        raise PermissionDenied
    _collecting(post.round)
    ids = _distinct(participant_ids, "participants", "participant")
    eligible = {participant.pk: participant for participant in eligible_participants(post)}
    if any(pk not in eligible for pk in ids):
        raise ValidationError(
            {"participants": "You may rank only the cohort's participants eligible for this post"}
        )
    with transaction.atomic():
        lock_round(post.round)
        _collecting(post.round)
        HostPreference.objects.filter(post=post).delete()
        HostPreference.objects.bulk_create(
            HostPreference(post=post, participant_id=pk, rank=rank)
            for rank, pk in enumerate(ids, start=1)
        )
        audit.record(
            actor=actor,
            action="rotation_ranking.set",
            kind="rotation_post",
            object_id=post.pk,
            label=post.title,
            organisation=post.host,
            partnership=post.round.cohort.scheme.partnership,
            changes={"participants": ids},
        )
    return [eligible[pk] for pk in ids]


# --- Matching, publishing and placing by hand ----------------------------------------------------


@dataclass(frozen=True)
class MatchingInput:
    """What the matcher is given: ids as strings, eligible pairs only."""

    applicants: dict[str, list[str]]
    posts: dict[str, list[str]]
    capacities: dict[str, int]


def matching_input(rotation_round: RotationRound) -> MatchingInput:
    """The round's preferences as the matcher's input, keeping only eligible pairs.

    A participant's list is their ranking of eligible posts. A post's list is its host's ranking of
    eligible participants, followed by eligible participants who asked for it but whom the host did
    not rank, in the order they joined (a host that ranks nobody takes whoever asks)."""
    cohort = rotation_round.cohort
    elsewhere = _placed_elsewhere(cohort, rotation_round)
    participants = {p.pk: p for p in cohort.participants.order_by("pk")}
    posts = {post.pk: post for post in round_posts(rotation_round)}

    def eligible(participant_id: int, post_id: int) -> bool:
        if participant_id not in participants or post_id not in posts:
            return False
        refusal = _refusal(participants[participant_id], posts[post_id], rotation_round, elsewhere)
        return refusal is None

    applicants: dict[str, list[str]] = {str(pk): [] for pk in participants}
    asked: dict[int, list[int]] = defaultdict(list)
    preferences = ParticipantPreference.objects.filter(post__round=rotation_round).order_by(
        "participant_id", "rank"
    )
    for participant_id, post_id in preferences.values_list("participant_id", "post_id"):
        if eligible(participant_id, post_id):
            applicants[str(participant_id)].append(str(post_id))
            asked[post_id].append(participant_id)
    rankings: dict[str, list[str]] = {str(pk): [] for pk in posts}
    ranked: dict[int, set[int]] = defaultdict(set)
    rows = HostPreference.objects.filter(post__round=rotation_round).order_by("post_id", "rank")
    for post_id, participant_id in rows.values_list("post_id", "participant_id"):
        if eligible(participant_id, post_id):
            rankings[str(post_id)].append(str(participant_id))
            ranked[post_id].add(participant_id)
    for post_id, askers in asked.items():
        rankings[str(post_id)].extend(str(pk) for pk in sorted(askers) if pk not in ranked[post_id])
    capacities = {str(pk): post.capacity for pk, post in posts.items()}
    return MatchingInput(applicants, rankings, capacities)


def _led_round(actor: Actor, rotation_round: RotationRound) -> None:
    if not access.may_lead_scheme(actor, rotation_round.cohort.scheme):
        raise PermissionDenied


def run_matching(*, actor: Actor, rotation_round: RotationRound) -> dict[str, int]:
    """The scheme's lead runs the stable matching of a round not yet published, replacing any
    earlier unpublished result (placements by hand included); how many were matched and not."""
    _led_round(actor, rotation_round)
    with transaction.atomic():
        lock_round(rotation_round)
        if rotation_round.status == RoundStatus.PUBLISHED:
            raise ValidationError("This round's result is published: it cannot be matched again")
        data = matching_input(rotation_round)
        result = stable_matching(data.applicants, data.posts, data.capacities)
        # The matcher's guarantee, checked on the real input: no pair would rather be together.
        assert not blocking_pairs(data.applicants, data.posts, data.capacities, result)
        now = timezone.now()
        replaced = Placement.objects.filter(round=rotation_round).delete()[0]
        Placement.objects.bulk_create(
            Placement(
                round=rotation_round,
                participant_id=int(participant),
                post_id=int(post),
                placed_by=actor.person,
                placed_at=now,
            )
            for participant, post in result.items()
            if post is not None
        )
        rotation_round.status = RoundStatus.MATCHED
        rotation_round.matched_at = now
        rotation_round.save(update_fields=["status", "matched_at"])
        summary = {
            "matched": sum(post is not None for post in result.values()),
            "unmatched": sum(post is None for post in result.values()),
            "replaced": replaced,
        }
        audit.record(
            actor=actor,
            action="rotation_round.matched",
            kind="rotation_round",
            object_id=rotation_round.pk,
            label=str(rotation_round),
            partnership=rotation_round.cohort.scheme.partnership,
            changes=summary,
        )
    return summary


def placements_in(rotation_round: RotationRound) -> QuerySet[Placement]:
    """The round's placements with participants and posts, by participant."""
    return Placement.objects.filter(round=rotation_round).select_related(
        "participant__person", "participant__home_organisation", "post__host"
    )


def unplaced(rotation_round: RotationRound) -> QuerySet[Participant]:
    """The cohort's participants without a placement in the round."""
    placed = Placement.objects.filter(round=rotation_round).values("participant_id")
    return rotation_round.cohort.participants.exclude(pk__in=placed).select_related(
        "person", "home_organisation"
    )


def free_places(rotation_round: RotationRound) -> dict[int, int]:
    """Each post's places not yet taken."""
    taken: dict[int, int] = defaultdict(int)
    for post_id in Placement.objects.filter(round=rotation_round).values_list("post_id", flat=True):
        taken[post_id] += 1
    return {post.pk: post.capacity - taken[post.pk] for post in rotation_round.posts.all()}


def _host_people(organisation_ids: Iterable[int]) -> list[Person]:
    """The L&D leads and admins of the host organisations, once each."""
    grants = OrganisationRoleGrant.objects.filter(
        organisation_id__in=list(organisation_ids), role__in=access.HOST_ROLES
    ).values("person")
    return list(Person.objects.filter(pk__in=grants, is_active=True).order_by("pk"))


def _round_url(rotation_round: RotationRound) -> str:
    return settings.SITE_URL + reverse("talent:rotation-round", kwargs={"pk": rotation_round.pk})


def _tell_participant(
    placement: Placement | None, participant: Participant, rotation_round
) -> None:
    notify(
        participant.person,
        "rotation_result",
        {"placement": placement, "round": rotation_round, "round_url": _round_url(rotation_round)},
    )


def _tell_hosts(rotation_round: RotationRound, organisation_ids: Iterable[int]) -> None:
    for person in _host_people(organisation_ids):
        notify(
            person,
            "rotation_host_result",
            {"round": rotation_round, "round_url": _round_url(rotation_round)},
        )


def _send_results(rotation_round: RotationRound) -> None:
    placements = {p.participant_id: p for p in placements_in(rotation_round)}
    for participant in rotation_round.cohort.participants.select_related("person"):
        _tell_participant(placements.get(participant.pk), participant, rotation_round)
    _tell_hosts(rotation_round, set(rotation_round.posts.values_list("host_id", flat=True)))


def publish_round(*, actor: Actor, rotation_round: RotationRound) -> None:
    """The scheme's lead publishes a matched round: participants learn their placement (or that
    they have none yet) and hosts who they receive, by e-mail once it is saved."""
    _led_round(actor, rotation_round)
    with transaction.atomic():
        lock_round(rotation_round)
        if rotation_round.status == RoundStatus.PREFERENCES:
            raise ValidationError("Run the matching before publishing the round")
        if rotation_round.status == RoundStatus.PUBLISHED:
            raise ValidationError("This round is already published")
        rotation_round.status = RoundStatus.PUBLISHED
        rotation_round.published_at = timezone.now()
        rotation_round.save(update_fields=["status", "published_at"])
        audit.record(
            actor=actor,
            action="rotation_round.published",
            kind="rotation_round",
            object_id=rotation_round.pk,
            label=str(rotation_round),
            partnership=rotation_round.cohort.scheme.partnership,
            changes={"placements": rotation_round.placements.count()},
        )
        transaction.on_commit(lambda: _send_results(rotation_round), robust=True)


def place_by_hand(
    *,
    actor: Actor,
    rotation_round: RotationRound,
    participant_id: int | None,
    post_id: int | None,
    reason: str,
) -> Placement:
    """The scheme's lead places a participant the matching left without a post into an eligible
    post with a free place, giving a reason (after the matching, before or after publishing)."""
    _led_round(actor, rotation_round)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", "Reason", 500, errors)
    participant = rotation_round.cohort.participants.filter(pk=participant_id).first()
    if participant is None:
        errors["participant"] = "Choose a participant of this cohort"
    post = rotation_round.posts.select_related("host").filter(pk=post_id).first()
    if post is None:
        errors["post"] = "Choose a post of this round"
    _raise(errors)
    assert participant is not None and post is not None
    with transaction.atomic():
        # One placement at a time in the round, so two at once cannot overfill a post.
        lock_round(rotation_round)
        if rotation_round.status == RoundStatus.PREFERENCES:
            raise ValidationError("Run the matching first; then place anyone it left unmatched")
        refusal = eligibility_refusal(participant, post)
        if refusal:
            raise ValidationError(
                {"post": f"{participant.person} cannot take this post: {refusal}"}
            )
        if Placement.objects.filter(round=rotation_round, participant=participant).exists():
            raise ValidationError({"participant": f"{participant.person} already has a placement"})
        if Placement.objects.filter(post=post).count() >= post.capacity:
            raise ValidationError({"post": f"{post.title} has no free place"})
        placement = Placement.objects.create(
            round=rotation_round,
            participant=participant,
            post=post,
            manual=True,
            reason=reason,
            placed_by=actor.person,
        )
        # The reason stays on the placement: the audit log holds ids only.
        audit.record(
            actor=actor,
            action="rotation_placement.placed_by_hand",
            kind="rotation_placement",
            object_id=placement.pk,
            label=str(rotation_round),
            organisation=post.host,
            partnership=rotation_round.cohort.scheme.partnership,
            changes={"round": rotation_round.pk, "participant": participant.pk, "post": post.pk},
        )
        if rotation_round.status == RoundStatus.PUBLISHED:
            transaction.on_commit(
                lambda: (
                    _tell_participant(placement, participant, rotation_round),
                    _tell_hosts(rotation_round, [post.host_id]),
                ),
                robust=True,
            )
    return placement


# --- Reading placements elsewhere ----------------------------------------------------------------


def published_placement_periods(
    *, partnership: Partnership | None = None, people: Iterable[int] | None = None
) -> QuerySet:
    """Published rotation placements as plain rows, for figures: each row's `person_id`,
    `organisation_id` (the host), `sector` (the host's), `starts_on`, `ends_on` (the round's dates)
    and `manual`; of one partnership's schemes and some people when given."""
    rows = Placement.objects.filter(round__status=RoundStatus.PUBLISHED)
    if partnership is not None:
        rows = rows.filter(round__cohort__scheme__partnership=partnership)
    if people is not None:
        rows = rows.filter(participant__person_id__in=list(people))
    return rows.order_by("participant__person_id", "round__starts_on").values(
        "manual",
        person_id=F("participant__person_id"),
        organisation_id=F("post__host_id"),
        sector=F("post__host__sector"),
        starts_on=F("round__starts_on"),
        ends_on=F("round__ends_on"),
    )
