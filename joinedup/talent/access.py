"""The only functions that fetch talent objects for an actor, built on the partnership primitives.

Another organisation's private object is a 404 (Http404); a visible one the actor may not change
is a 403 (PermissionDenied). A profile is private to the person's own organisations unless the
person made it discoverable; withdrawing that hides it at once everywhere.

Sections: profiles and skills; opportunities and applications; secondment agreements; rotation
schemes; mentoring; figures. Add a function to its own section, one condition per line, with a
docstring.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from joinedup.partnership.access import (
    acting_partnerships,
    has_role,
    led_partnerships,
    managed_employments,
    organisation_roles,
    partnership_roles,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    OrganisationRole,
    Partnership,
    PartnershipRole,
    current_on,
)

from .models import (
    Application,
    Cohort,
    MentoringMatching,
    MentoringPair,
    MentoringSignup,
    Opportunity,
    OpportunityStatus,
    PairStatus,
    Participant,
    Placement,
    PriorExperience,
    Profile,
    RotationPost,
    RotationRound,
    RotationScheme,
    RoundStatus,
    SecondmentAgreement,
    SignatureParty,
    Skill,
    SkillSynonym,
)

# Opportunities everyone in the partnership sees; drafts and withdrawn ones only their host.
PUBLISHED_OPPORTUNITY = (
    OpportunityStatus.OPEN,
    OpportunityStatus.CLOSED,
    OpportunityStatus.FILLED,
)

# --- Profiles and skills -------------------------------------------------------------------------


def visible_profiles(actor: Actor) -> QuerySet[Profile]:
    """Profiles the actor may read: their own; those of people currently employed by the acting
    organisation; and profiles their owners made discoverable in the acting organisation's
    partnerships. Nothing for someone acting for no organisation."""
    if actor.organisation is None:
        return Profile.objects.none()
    own_staff = Profile.objects.filter(
        person__employments__in=actor.organisation.employments.filter(current_on())
    ).values("pk")
    return Profile.objects.filter(
        Q(person_id=actor.person_id)
        | Q(pk__in=own_staff)
        | Q(discoverable=True, partnership__in=[p.pk for p in acting_partnerships(actor)])
    )


def get_profile_for(actor: Actor, pk: int) -> Profile:
    """One profile the actor may read, or 404 (another organisation's private one included)."""
    profile = visible_profiles(actor).select_related("person", "organisation").filter(pk=pk).first()
    if profile is None:
        raise Http404("No such profile")
    return profile


def may_change_profile(actor: Actor, profile: Profile) -> bool:
    """Only the person changes their own profile (nobody else, their employer included)."""
    return actor.person is not None and actor.person.pk == profile.person_id


def get_own_experience(actor: Actor, pk: int) -> PriorExperience:
    """A past role on the actor's own profile, or 404 (nobody else changes one)."""
    if actor.person is None:
        raise Http404("No such experience")
    experience = (
        PriorExperience.objects.filter(pk=pk, profile__person=actor.person)
        .select_related("profile")
        .first()
    )
    if experience is None:
        raise Http404("No such experience")
    return experience


def vocabulary_partnerships(actor: Actor) -> list[Partnership]:
    """The partnerships whose skills vocabulary the actor reads: the acting organisation's."""
    return acting_partnerships(actor)


def curated_partnerships(actor: Actor) -> list[Partnership]:
    """Partnerships whose vocabulary the actor curates: all of the acting organisation's for its
    L&D lead, and those the person leads as partnership lead."""
    if actor.person is None or actor.organisation is None:
        return []
    if has_role(actor, OrganisationRole.LD_LEAD):
        return acting_partnerships(actor)
    led = set(led_partnerships(actor).values_list("pk", flat=True))
    return [partnership for partnership in acting_partnerships(actor) if partnership.pk in led]


def may_curate_skills(actor: Actor, partnership: Partnership | None = None) -> bool:
    """An L&D lead of a member organisation, or the partnership lead, curates the vocabulary
    (of the given partnership, or of any when None)."""
    curated = curated_partnerships(actor)
    if partnership is None:
        return bool(curated)
    return any(found.pk == partnership.pk for found in curated)


def visible_skills(actor: Actor) -> QuerySet[Skill]:
    """Skills (curated and free) of the acting organisation's partnerships."""
    return Skill.objects.filter(partnership__in=[p.pk for p in vocabulary_partnerships(actor)])


def get_curated_skill_for(actor: Actor, pk: int) -> Skill:
    """A skill of the actor's partnerships to curate: 404 when not theirs, 403 when not a
    curator of its vocabulary."""
    skill = visible_skills(actor).select_related("partnership").filter(pk=pk).first()
    if skill is None:
        raise Http404("No such skill")
    if not may_curate_skills(actor, skill.partnership):
        raise PermissionDenied
    return skill


def get_curated_synonym_for(actor: Actor, pk: int) -> SkillSynonym:
    """Another name of a skill of the actor's partnerships: 404 when not theirs, 403 when not a
    curator of its vocabulary."""
    partnerships = [p.pk for p in vocabulary_partnerships(actor)]
    synonym = (
        SkillSynonym.objects.filter(pk=pk, partnership__in=partnerships)
        .select_related("skill__partnership")
        .first()
    )
    if synonym is None:
        raise Http404("No such synonym")
    if not may_curate_skills(actor, synonym.skill.partnership):
        raise PermissionDenied
    return synonym


# --- Opportunities and applications --------------------------------------------------------------


# Who may host: the acting organisation's L&D leads and organisation admins.
HOST_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.ORG_ADMIN)


def may_host(actor: Actor) -> bool:
    """A person acting as an L&D lead or organisation admin of their organisation."""
    if actor.person is None or actor.organisation is None:
        return False
    return any(has_role(actor, role) for role in HOST_ROLES)


def visible_opportunities(actor: Actor) -> QuerySet[Opportunity]:
    """Opportunities of the acting organisation's partnerships that are open, closed or filled
    (drafts and withdrawn ones too when the acting organisation hosts them)."""
    if actor.organisation is None:
        return Opportunity.objects.none()
    published = Q(
        partnership__in=[p.pk for p in acting_partnerships(actor)],
        status__in=PUBLISHED_OPPORTUNITY,
    )
    hosted = Q(host=actor.organisation)
    return Opportunity.objects.filter(published | hosted)


def get_opportunity_for(actor: Actor, pk: int) -> Opportunity:
    """One visible opportunity, or 404."""
    found = visible_opportunities(actor).filter(pk=pk).select_related("host").first()
    if found is None:
        raise Http404("No such opportunity")
    return found


def may_manage_opportunity(actor: Actor, opportunity: Opportunity) -> bool:
    """The host organisation's L&D leads and admins, acting for it."""
    return (
        actor.organisation is not None
        and actor.organisation.pk == opportunity.host_id
        and may_host(actor)
    )


def get_managed_opportunity(actor: Actor, pk: int) -> Opportunity:
    """An opportunity the actor hosts: 404 when unseen, 403 when visible but not theirs."""
    opportunity = get_opportunity_for(actor, pk)
    if not may_manage_opportunity(actor, opportunity):
        raise PermissionDenied
    return opportunity


def hosted_opportunities(actor: Actor) -> QuerySet[Opportunity]:
    """Every opportunity of the acting organisation, for its hosts (nothing for anyone else)."""
    if not may_host(actor):
        return Opportunity.objects.none()
    return Opportunity.objects.filter(host=actor.organisation)


def visible_applications(actor: Actor) -> QuerySet[Application]:
    """The person's own applications, and applications to opportunities their acting
    organisation hosts when they may host."""
    if actor.person is None:
        return Application.objects.none()
    mine = Q(applicant=actor.person)
    if not may_host(actor):
        return Application.objects.filter(mine)
    return Application.objects.filter(mine | Q(opportunity__host=actor.organisation))


def my_applications(actor: Actor) -> QuerySet[Application]:
    """The person's own applications."""
    if actor.person is None:
        return Application.objects.none()
    return Application.objects.filter(applicant=actor.person)


def get_application_for(actor: Actor, pk: int) -> Application:
    """One application the actor may read (applicant or host), or 404."""
    found = (
        visible_applications(actor)
        .filter(pk=pk)
        .select_related("opportunity__host", "applicant", "home_organisation")
        .first()
    )
    if found is None:
        raise Http404("No such application")
    return found


def may_decide_application(actor: Actor, application: Application) -> bool:
    """The host of the application's opportunity (not the applicant, were they both)."""
    return may_manage_opportunity(actor, application.opportunity) and (
        application.applicant_id != actor.person_id
    )


def get_hosted_application(actor: Actor, pk: int) -> Application:
    """An application to the actor's hosted opportunity: 404 unseen, 403 for the applicant."""
    application = get_application_for(actor, pk)
    if not may_decide_application(actor, application):
        raise PermissionDenied
    return application


def get_my_application(actor: Actor, pk: int) -> Application:
    """The person's own application: 404 unseen, 403 for the host reading someone else's."""
    application = get_application_for(actor, pk)
    if application.applicant_id != actor.person_id:
        raise PermissionDenied
    return application


# --- Secondment agreements -----------------------------------------------------------------------

AGREEMENT_LEADS = frozenset({OrganisationRole.ORG_ADMIN, OrganisationRole.LD_LEAD})


def is_agreement_lead(actor: Actor, organisation_id: int) -> bool:
    """The actor acts for the organisation as its L&D lead or organisation admin."""
    return actor.organisation_id == organisation_id and bool(
        organisation_roles(actor) & AGREEMENT_LEADS
    )


def visible_agreements(actor: Actor) -> QuerySet[SecondmentAgreement]:
    """Agreements the actor may read: the secondee's own; those whose home employment the actor
    line-manages; and, for the acting organisation's L&D leads and admins, those it sends (home)
    or receives (host). Nothing for organisation tokens, which act for no person."""
    if actor.person is None or actor.organisation is None:
        return SecondmentAgreement.objects.none()
    condition = Q(person_id=actor.person_id)
    condition |= Q(home_employment__in=managed_employments(actor).values("pk"))
    if organisation_roles(actor) & AGREEMENT_LEADS:
        condition |= Q(home_organisation_id=actor.organisation_id)
        condition |= Q(host_organisation_id=actor.organisation_id)
    return SecondmentAgreement.objects.filter(condition)


def agreement_of(actor: Actor, application: Application) -> SecondmentAgreement | None:
    """The agreement drafted for an application (one the actor already reads), if the actor
    may read the agreement too."""
    return visible_agreements(actor).filter(application=application).first()


def has_agreement(application: Application) -> bool:
    """Whether an agreement was drafted for the application: its existence, never its terms,
    for pages about an application the actor already reads."""
    return SecondmentAgreement.objects.filter(application=application).exists()


def get_agreement_for(actor: Actor, pk: int) -> SecondmentAgreement:
    """One agreement the actor may read, or 404."""
    agreement = (
        visible_agreements(actor)
        .select_related(
            "person",
            "home_organisation",
            "host_organisation",
            "home_employment__line_manager__person",
            "application__opportunity",
            "secondment_employment",
        )
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404("No such secondment agreement")
    return agreement


def may_list_organisation_secondments(actor: Actor) -> bool:
    """The acting organisation's L&D leads and admins see its secondments in and out."""
    return actor.person is not None and bool(organisation_roles(actor) & AGREEMENT_LEADS)


def may_draft_agreement(actor: Actor, application: Application) -> bool:
    """The host's L&D lead or admin drafts the agreement of an accepted secondment offer."""
    return is_agreement_lead(actor, application.opportunity.host_id)


def get_application_to_draft(actor: Actor, pk: int) -> Application:
    """An application whose agreement the actor may draft: 404 unless the actor is its applicant
    or an L&D lead or admin of its home or host organisation; 403 unless the host's."""
    application = (
        Application.objects.select_related("opportunity__host", "home_organisation", "applicant")
        .filter(pk=pk)
        .first()
    )
    if application is None or not (
        (actor.person_id is not None and application.applicant_id == actor.person_id)
        or is_agreement_lead(actor, application.home_organisation_id)
        or is_agreement_lead(actor, application.opportunity.host_id)
    ):
        raise Http404("No such application")
    if not may_draft_agreement(actor, application):
        raise PermissionDenied
    return application


def may_change_terms(actor: Actor, agreement: SecondmentAgreement) -> bool:
    """The host's L&D lead or admin changes the terms."""
    return is_agreement_lead(actor, agreement.host_organisation_id)


def may_release_as_line_manager(actor: Actor, agreement: SecondmentAgreement) -> bool:
    """The current line manager of the home employment; where none is recorded, the home
    organisation's admin releases in their place."""
    employment = agreement.home_employment
    if employment is not None and employment.line_manager_id is not None:
        return managed_employments(actor).filter(pk=employment.pk).exists()
    return actor.organisation_id == agreement.home_organisation_id and (
        OrganisationRole.ORG_ADMIN in organisation_roles(actor)
    )


def may_release_as_ld_lead(actor: Actor, agreement: SecondmentAgreement) -> bool:
    """The home organisation's L&D lead (or, where it has none, its admin)."""
    return is_agreement_lead(actor, agreement.home_organisation_id)


def signing_parties(actor: Actor, agreement: SecondmentAgreement) -> list[str]:
    """The parties the actor may sign for: the secondee as the person; the home or host
    organisation's L&D lead or admin for their organisation."""
    parties = []
    if actor.person_id is not None and actor.person_id == agreement.person_id:
        parties.append(SignatureParty.PERSON.value)
    if is_agreement_lead(actor, agreement.home_organisation_id):
        parties.append(SignatureParty.HOME.value)
    if is_agreement_lead(actor, agreement.host_organisation_id):
        parties.append(SignatureParty.HOST.value)
    return parties


def may_end_or_cancel(actor: Actor, agreement: SecondmentAgreement) -> bool:
    """The L&D lead or admin of the home or the host organisation."""
    return is_agreement_lead(actor, agreement.home_organisation_id) or is_agreement_lead(
        actor, agreement.host_organisation_id
    )


def feedback_parties(actor: Actor, agreement: SecondmentAgreement) -> list[str]:
    """Who the actor gives feedback as: the secondee; the home side (line manager, L&D lead or
    admin); the host side (L&D lead or admin)."""
    parties = []
    if actor.person_id is not None and actor.person_id == agreement.person_id:
        parties.append(SignatureParty.PERSON.value)
    if is_agreement_lead(actor, agreement.home_organisation_id) or may_release_as_line_manager(
        actor, agreement
    ):
        parties.append(SignatureParty.HOME.value)
    if is_agreement_lead(actor, agreement.host_organisation_id):
        parties.append(SignatureParty.HOST.value)
    return parties


def may_record_return(actor: Actor, agreement: SecondmentAgreement) -> bool:
    """The home side records the return: its L&D lead or admin, or the line manager."""
    return is_agreement_lead(actor, agreement.home_organisation_id) or may_release_as_line_manager(
        actor, agreement
    )


# --- Rotation schemes ----------------------------------------------------------------------------
# A scheme belongs to a partnership: every member organisation's people see it, its cohorts,
# rounds and posts; its partnership lead runs it. Hosts (L&D leads and admins of a member
# organisation) offer posts and rank participants for them; participants rank posts. Placements
# are seen by the lead at once, and by the participant and the post's host once published.


def visible_schemes(actor: Actor) -> QuerySet[RotationScheme]:
    """Schemes of the partnerships the acting organisation currently belongs to."""
    if actor.organisation is None:
        return RotationScheme.objects.none()
    return RotationScheme.objects.filter(partnership__in=[p.pk for p in acting_partnerships(actor)])


def get_scheme_for(actor: Actor, pk: int) -> RotationScheme:
    """One visible scheme, or 404."""
    found = visible_schemes(actor).filter(pk=pk).select_related("partnership").first()
    if found is None:
        raise Http404("No such scheme")
    return found


def may_create_schemes(actor: Actor) -> bool:
    """Partnership leads create schemes (in a partnership they lead)."""
    return led_partnerships(actor).exists()


def may_lead_scheme(actor: Actor, scheme: RotationScheme) -> bool:
    """The lead of the scheme's partnership runs it: cohorts, participants, matching, placing."""
    return any(
        pk == scheme.partnership_id and role == PartnershipRole.PARTNERSHIP_LEAD
        for pk, role in partnership_roles(actor)
    )


def get_led_scheme(actor: Actor, pk: int) -> RotationScheme:
    """A scheme the actor runs: 404 when unseen, 403 when seen but not its lead."""
    scheme = get_scheme_for(actor, pk)
    if not may_lead_scheme(actor, scheme):
        raise PermissionDenied
    return scheme


def get_cohort_for(actor: Actor, pk: int) -> Cohort:
    """A cohort of a visible scheme, or 404."""
    found = (
        Cohort.objects.filter(pk=pk, scheme__in=visible_schemes(actor))
        .select_related("scheme__partnership")
        .first()
    )
    if found is None:
        raise Http404("No such cohort")
    return found


def get_led_cohort(actor: Actor, pk: int) -> Cohort:
    """A cohort of a scheme the actor runs: 404 when unseen, 403 when not its lead."""
    cohort = get_cohort_for(actor, pk)
    if not may_lead_scheme(actor, cohort.scheme):
        raise PermissionDenied
    return cohort


def get_round_for(actor: Actor, pk: int) -> RotationRound:
    """A round of a visible scheme, or 404."""
    found = (
        RotationRound.objects.filter(pk=pk, cohort__scheme__in=visible_schemes(actor))
        .select_related("cohort__scheme__partnership")
        .first()
    )
    if found is None:
        raise Http404("No such round")
    return found


def get_led_round(actor: Actor, pk: int) -> RotationRound:
    """A round of a scheme the actor runs: 404 when unseen, 403 when not its lead."""
    found = get_round_for(actor, pk)
    if not may_lead_scheme(actor, found.cohort.scheme):
        raise PermissionDenied
    return found


def get_round_to_host(actor: Actor, pk: int) -> RotationRound:
    """A visible round the actor's organisation may offer posts in: 404 when unseen, 403 unless
    they act as an L&D lead or organisation admin (their organisation is a member: it sees it)."""
    found = get_round_for(actor, pk)
    if not may_host(actor):
        raise PermissionDenied
    return found


def may_rank_for_post(actor: Actor, post: RotationPost) -> bool:
    """The post's host: an L&D lead or admin acting for the organisation offering it."""
    return actor.organisation_id == post.host_id and may_host(actor)


def get_hosted_post(actor: Actor, pk: int) -> RotationPost:
    """A post of a visible round that the actor's organisation offers: 404 when unseen, 403 for
    anyone but its host's L&D leads and admins (its rankings are the host's)."""
    found = (
        RotationPost.objects.filter(pk=pk, round__cohort__scheme__in=visible_schemes(actor))
        .select_related("host", "round__cohort__scheme")
        .first()
    )
    if found is None:
        raise Http404("No such post")
    if not may_rank_for_post(actor, found):
        raise PermissionDenied
    return found


def participant_in(actor: Actor, cohort: Cohort) -> Participant | None:
    """The actor's own place in the cohort, if they are one of its participants."""
    if actor.person is None:
        return None
    return Participant.objects.filter(cohort=cohort, person=actor.person).first()


def get_participation(actor: Actor, pk: int) -> tuple[RotationRound, Participant]:
    """A visible round and the actor's own participant record in its cohort: 404 when the round
    is unseen, 403 when they are not one of the cohort's participants."""
    found = get_round_for(actor, pk)
    participant = participant_in(actor, found.cohort)
    if participant is None:
        raise PermissionDenied
    return found, participant


def visible_placements(actor: Actor, rotation_round: RotationRound) -> QuerySet[Placement]:
    """A round's placements the actor may read: all of them for the scheme's lead; once the round
    is published, the actor's own and those in posts their organisation hosts (as its L&D lead or
    admin); nothing before publication for anyone else."""
    placements = Placement.objects.filter(round=rotation_round)
    if may_lead_scheme(actor, rotation_round.cohort.scheme):
        return placements
    if rotation_round.status != RoundStatus.PUBLISHED:
        return placements.none()
    own = Q(participant__person_id=actor.person_id) if actor.person is not None else Q(pk__in=[])
    hosted = Q(post__host_id=actor.organisation_id) if may_host(actor) else Q(pk__in=[])
    return placements.filter(own | hosted)


# --- Mentoring -----------------------------------------------------------------------------------


def mentoring_partnership(actor: Actor) -> Partnership | None:
    """The partnership a person signs up for mentoring in: the acting organisation's first (by
    name); none for someone acting for no organisation or for an organisation token."""
    if actor.person is None or actor.organisation is None:
        return None
    partnerships = acting_partnerships(actor)
    return partnerships[0] if partnerships else None


def mentoring_led_partnerships(actor: Actor) -> QuerySet[Partnership]:
    """Partnerships of the acting organisation whose mentoring lead the person is."""
    return led_partnerships(actor, (PartnershipRole.MENTORING_LEAD,))


def may_lead_mentoring(actor: Actor) -> bool:
    """Whether the person is a mentoring lead in one of the acting organisation's partnerships."""
    return any(role == PartnershipRole.MENTORING_LEAD for _, role in partnership_roles(actor))


def visible_mentoring_signups(actor: Actor) -> QuerySet[MentoringSignup]:
    """Sign-ups the actor may read: their own, and every sign-up of a partnership whose
    mentoring lead they are."""
    if actor.person is None:
        return MentoringSignup.objects.none()
    return MentoringSignup.objects.filter(
        Q(person_id=actor.person_id) | Q(partnership__in=mentoring_led_partnerships(actor))
    )


def get_mentoring_signup_for(actor: Actor, pk: int) -> MentoringSignup:
    """One sign-up the actor may read, or 404."""
    signup = visible_mentoring_signups(actor).filter(pk=pk).select_related("organisation").first()
    if signup is None:
        raise Http404("No such mentoring sign-up")
    return signup


def get_own_mentoring_signup(actor: Actor, pk: int) -> MentoringSignup:
    """A sign-up the actor may withdraw: their own; 403 for the lead, who only reads it."""
    signup = get_mentoring_signup_for(actor, pk)
    if signup.person_id != actor.person_id:
        raise PermissionDenied
    return signup


def visible_mentoring_matchings(actor: Actor) -> QuerySet[MentoringMatching]:
    """Matchings of the partnerships whose mentoring lead the actor is (nobody else's)."""
    return MentoringMatching.objects.filter(partnership__in=mentoring_led_partnerships(actor))


def get_mentoring_matching_for(actor: Actor, pk: int) -> MentoringMatching:
    """One matching the actor leads, or 404."""
    matching = visible_mentoring_matchings(actor).filter(pk=pk).first()
    if matching is None:
        raise Http404("No such matching")
    return matching


def visible_mentoring_pairs(actor: Actor) -> QuerySet[MentoringPair]:
    """Pairs the actor may read: published pairs they are a member of (mentor or mentee), and
    every pair of a partnership whose mentoring lead they are (proposed ones included)."""
    if actor.person is None:
        return MentoringPair.objects.none()
    member = Q(mentor__person_id=actor.person_id) | Q(mentee__person_id=actor.person_id)
    return MentoringPair.objects.filter(
        (member & ~Q(status=PairStatus.PROPOSED))
        | Q(matching__partnership__in=mentoring_led_partnerships(actor))
    )


def get_mentoring_pair_for(actor: Actor, pk: int) -> MentoringPair:
    """One pair the actor may read, or 404."""
    pair = (
        visible_mentoring_pairs(actor)
        .select_related(
            "matching",
            "mentor__person",
            "mentor__organisation",
            "mentee__person",
            "mentee__organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if pair is None:
        raise Http404("No such mentoring pair")
    return pair


def is_pair_member(actor: Actor, pair: MentoringPair) -> bool:
    """Whether the person is the pair's mentor or mentee."""
    return actor.person_id is not None and actor.person_id in (
        pair.mentor.person_id,
        pair.mentee.person_id,
    )


def get_member_pair(actor: Actor, pk: int) -> MentoringPair:
    """A pair the actor logs meetings of or ends: their own; 403 for the lead, who reads it."""
    pair = get_mentoring_pair_for(actor, pk)
    if not is_pair_member(actor, pair):
        raise PermissionDenied
    return pair


# --- Figures -------------------------------------------------------------------------------------

# The figures' own imports stay in their section, so parallel edits to the top do not collide.
from dataclasses import dataclass  # noqa: E402

from django.core import exceptions as django_exceptions  # noqa: E402

from joinedup.partnership import access as primitives  # noqa: E402
from joinedup.partnership import models as partnership_models  # noqa: E402

FIGURES_PARTNERSHIP_ROLES = (
    partnership_models.PartnershipRole.PARTNERSHIP_LEAD,
    partnership_models.PartnershipRole.PARTNERSHIP_ANALYST,
)
FIGURES_ORGANISATION_ROLES = (
    partnership_models.OrganisationRole.ORG_ADMIN,
    partnership_models.OrganisationRole.LD_LEAD,
)


@dataclass(frozen=True)
class FiguresScope:
    """Whose translator and leakage figures an actor sees, and who counts as a partner."""

    partnership: partnership_models.Partnership | None
    organisations: list[partnership_models.Organisation]  # the rows shown, by name
    members: frozenset[int]  # the partnership's members now: a move to one is retention
    partnership_view: bool  # every member (lead or analyst) rather than one organisation


def may_see_partnership_figures(actor: Actor) -> bool:
    """Partnership leads and analysts of the acting organisation's partnership see every member."""
    return primitives.led_partnerships(actor, FIGURES_PARTNERSHIP_ROLES).exists()


def may_see_organisation_figures(actor: Actor) -> bool:
    """An organisation admin or L&D lead sees the figures of the organisation they act for."""
    return any(primitives.has_role(actor, role) for role in FIGURES_ORGANISATION_ROLES)


def _members(partnership: partnership_models.Partnership | None) -> frozenset[int]:
    if partnership is None:
        return frozenset()
    rows = primitives.open_memberships().filter(partnership=partnership)
    return frozenset(rows.values_list("organisation_id", flat=True))


def figures_scope(actor: Actor) -> FiguresScope:
    """The actor's figures: every member for a lead or analyst (of their first such partnership
    by name), their own organisation for its admin or L&D lead; 403 for anyone else."""
    if may_see_partnership_figures(actor):
        partnership = (
            primitives.led_partnerships(actor, FIGURES_PARTNERSHIP_ROLES).order_by("name").first()
        )
        members = _members(partnership)
        organisations = list(
            partnership_models.Organisation.objects.filter(pk__in=members).order_by("name", "pk")
        )
        return FiguresScope(partnership, organisations, members, partnership_view=True)
    if may_see_organisation_figures(actor):
        partnerships = primitives.acting_partnerships(actor)
        partnership = partnerships[0] if partnerships else None
        assert actor.organisation is not None  # roles are held at the acting organisation
        return FiguresScope(
            partnership, [actor.organisation], _members(partnership), partnership_view=False
        )
    raise django_exceptions.PermissionDenied
