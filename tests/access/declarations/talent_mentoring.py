"""Mentoring across organisations: sign-ups, pairs and the mentoring lead's matchings.

Anyone signed in reaches the mentoring pages and signs up (every persona's organisation is in a
partnership; an empty POST is a form with errors). A sign-up is its person's (own_staff,
partner_staff, outsider: see objects_talent_mentoring.py); a pair is its two members'. The
partnership's mentoring lead (persona "mentoring_lead" at the ICB) reads every sign-up and pair
of the standing world's partnership but changes none (403), and alone runs, reads, publishes and
discards its matchings. Everyone else is told nothing of a sign-up, pair or matching (404). The
rules name the persona, so they hold whether or not the standing world has it yet.
"""

from __future__ import annotations

from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    route,
    signed_in,
)

MENTORING_LEAD = "mentoring_lead"
STANDING_PARTNERSHIP = ("own", "partner")
# Whose sign-up, and which mentee's pair, stands for each object.
MEMBER = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def leads_mentoring_of(persona: Persona, obj: str) -> bool:
    """The mentoring lead of the object's partnership (the standing world's)."""
    return persona.name == MENTORING_LEAD and obj in STANDING_PARTNERSHIP


def member(ok: Status = OK, lead: Status = OK) -> Answers:
    """The object's own person (`ok`); the mentoring lead (`lead`); 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name == MEMBER[obj]:
            return ok
        return lead if leads_mentoring_of(persona, obj) else NOT_FOUND

    return Answers(rule)


def mentoring_lead(ok: Status = OK) -> Answers:
    """The lead's page without an object: the mentoring lead; 403 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name == MENTORING_LEAD else FORBIDDEN

    return Answers(rule)


def matching_reader(ok: Status = OK) -> Answers:
    """The mentoring lead of the matching's partnership; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if leads_mentoring_of(persona, obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "talent:mentoring": route(GET=signed_in()),
    "talent:mentoring-offer": route(GET=signed_in(), POST=signed_in()),
    "talent:mentoring-ask": route(GET=signed_in(), POST=signed_in()),
    # Withdrawing needs nothing filled in: the owner's POST withdraws and goes back.
    "talent:mentoring-withdraw": route(
        GET=member(lead=FORBIDDEN), POST=member(REDIRECT, lead=FORBIDDEN)
    ),
    "talent:mentoring-pair": route(GET=member()),
    # An empty POST is a form with errors, shown again.
    "talent:mentoring-meeting-new": route(GET=member(lead=FORBIDDEN), POST=member(lead=FORBIDDEN)),
    "talent:mentoring-pair-end": route(GET=member(lead=FORBIDDEN), POST=member(lead=FORBIDDEN)),
    # The lead's POST runs a matching and goes to its draft.
    "talent:mentoring-lead": route(GET=mentoring_lead(), POST=mentoring_lead(REDIRECT)),
    "talent:mentoring-matching": route(GET=matching_reader()),
    "talent:mentoring-matching-publish": route(POST=matching_reader(REDIRECT)),
    "talent:mentoring-matching-discard": route(POST=matching_reader(REDIRECT)),
}
