"""The only functions that fetch apprenticeship objects for an actor, built on the partnership
primitives.

Another organisation's private object is a 404 (Http404); a visible one the actor may not change
is a 403 (PermissionDenied).

Standards are reference data: anyone signed in reads them; programme leaders and L&D leads edit
them and their KSBs. Programmes and cohorts are the partnership's shared offer: everyone acting
for a member organisation of the programme's partnership reads them; the provider's programme
leaders change them.

Enrolments hold personal data. An enrolment is seen by: its apprentice; their line manager; their
practice tutor; the employer's L&D lead and levy officer (acting for the employer); the provider's
programme leaders (acting for the provider). The eligibility facts (date of birth, care leaver,
EHC plan) are seen only by the apprentice, the employer's L&D lead and the provider's programme
leaders (`may_see_eligibility`); everyone else sees the funding route and a reason naming none.

End-point assessments are seen by whoever sees the enrolment, and each booking by its assessor.

Buddies share across organisations on purpose: an apprentice sees their buddy's name, employer
and work e-mail address (someone of another employer), so that buddies can get in touch; the
provider's programme leaders see them too, nobody else (`may_see_buddies_of`).

Sections: standards; programmes and cohorts; enrolments; commitment statements. Add a function
to its own section, one condition per line, with a docstring.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, Q, QuerySet, When
from django.db.models.functions import Cast
from django.http import Http404

from joinedup.partnership.access import (
    acting_partnerships,
    get_organisation_for,
    has_role,
    roles_of,
    visible_organisations,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, OrganisationRole, PartnershipRole

from .models import (
    REVIEW_SIGNING_ORDER,
    SIGNING_ORDER,
    Assignment,
    BankHoliday,
    BuddyPair,
    CheckState,
    ClosureDay,
    Cohort,
    CohortModule,
    CommitmentStatement,
    EndPointAssessment,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    FundingRule,
    Ksb,
    Module,
    OffTheJobEntry,
    Party,
    Programme,
    ProgrammeRole,
    ProgrammeStaff,
    ProgressReview,
    ReviewParty,
    Standard,
    Submission,
    WorkplaceProject,
)

# --- Standards ----------------------------------------------------------------------------------


def visible_standards(actor: Actor) -> QuerySet[Standard]:
    """Every standard, for anyone signed in (reference data, no personal data)."""
    if not actor.is_authenticated:
        return Standard.objects.none()
    return Standard.objects.all()


def get_standard_for(actor: Actor, pk: int) -> Standard:
    """One standard, or 404."""
    standard = visible_standards(actor).filter(pk=pk).first()
    if standard is None:
        raise Http404("No such standard")
    return standard


def may_edit_standards(actor: Actor) -> bool:
    """Programme leaders and L&D leads (of the acting organisation) edit standards and KSBs."""
    if actor.person is None:
        return False
    roles = roles_of(actor)
    return OrganisationRole.PROGRAMME_LEADER in roles or OrganisationRole.LD_LEAD in roles


def get_editable_standard(actor: Actor, pk: int) -> Standard:
    """A standard the actor may edit: 404 if unknown, 403 if they may only read it."""
    standard = get_standard_for(actor, pk)
    if not may_edit_standards(actor):
        raise PermissionDenied
    return standard


def get_editable_ksb(actor: Actor, standard_pk: int, ksb_pk: int) -> Ksb:
    """A KSB of a standard, for someone who may edit standards: 404 if either is unknown (or the
    KSB is another standard's), 403 if they may only read it."""
    standard = get_standard_for(actor, standard_pk)
    ksb = standard.ksbs.filter(pk=ksb_pk).first()
    if ksb is None:
        raise Http404("No such KSB")
    if not may_edit_standards(actor):
        raise PermissionDenied
    ksb.standard = standard
    return ksb


# --- Funding rules --------------------------------------------------------------------------------


def visible_funding_rules(actor: Actor) -> QuerySet[FundingRule]:
    """Every funding rule, for anyone signed in (reference data, no personal data)."""
    if not actor.is_authenticated:
        return FundingRule.objects.none()
    return FundingRule.objects.all()


def may_check_funding(actor: Actor) -> bool:
    """Anyone signed in works out a funding decision (nothing is stored)."""
    return actor.is_authenticated


def may_add_funding_rules(actor: Actor) -> bool:
    """A partnership lead or levy lead (in one of the acting organisation's partnerships) adds
    dated funding rules."""
    if actor.person is None:
        return False
    roles = roles_of(actor)
    return PartnershipRole.PARTNERSHIP_LEAD in roles or PartnershipRole.LEVY_LEAD in roles


# --- Programmes and cohorts -----------------------------------------------------------------------


def _partnership_ids(actor: Actor) -> list[int]:
    """The acting organisation's partnerships (none for someone acting for none)."""
    return [partnership.pk for partnership in acting_partnerships(actor)]


def visible_programmes(actor: Actor) -> QuerySet[Programme]:
    """Programmes of the acting organisation's partnerships."""
    if actor.organisation is None:
        return Programme.objects.none()
    return Programme.objects.filter(partnership__in=_partnership_ids(actor))


def get_programme_for(actor: Actor, pk: int) -> Programme:
    """One visible programme, or 404."""
    programme = (
        visible_programmes(actor)
        .filter(pk=pk)
        .select_related("provider", "standard", "partnership")
        .first()
    )
    if programme is None:
        raise Http404("No such programme")
    return programme


def may_run_programmes(actor: Actor) -> bool:
    """A programme leader of the acting organisation, which must be a partnership member, may set
    up programmes it provides."""
    return (
        actor.person is not None
        and actor.organisation is not None
        and has_role(actor, OrganisationRole.PROGRAMME_LEADER)
        and bool(_partnership_ids(actor))
    )


def may_manage_programme(actor: Actor, programme: Programme) -> bool:
    """The provider's programme leaders (acting for the provider) change its programme, modules,
    assignments, staff and cohorts."""
    return (
        actor.person is not None
        and actor.organisation_id == programme.provider_id
        and has_role(actor, OrganisationRole.PROGRAMME_LEADER)
    )


def get_managed_programme(actor: Actor, pk: int) -> Programme:
    """A programme the actor manages: 404 if not visible, 403 if only visible."""
    programme = get_programme_for(actor, pk)
    if not may_manage_programme(actor, programme):
        raise PermissionDenied
    return programme


def visible_cohorts(actor: Actor) -> QuerySet[Cohort]:
    """Cohorts of visible programmes."""
    return Cohort.objects.filter(programme__in=visible_programmes(actor))


def get_cohort_for(actor: Actor, pk: int) -> Cohort:
    """One visible cohort, or 404."""
    cohort = (
        visible_cohorts(actor)
        .filter(pk=pk)
        .select_related("programme__provider", "programme__standard")
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    return cohort


def get_managed_cohort(actor: Actor, pk: int) -> Cohort:
    """A cohort of a programme the actor manages: 404 if not visible, 403 if only visible."""
    cohort = get_cohort_for(actor, pk)
    if not may_manage_programme(actor, cohort.programme):
        raise PermissionDenied
    return cohort


def get_managed_module(actor: Actor, pk: int) -> Module:
    """A module of a programme the actor manages: 404 if not visible, 403 if only visible."""
    module = (
        Module.objects.filter(pk=pk, programme__in=visible_programmes(actor))
        .select_related("programme__provider", "programme__partnership")
        .first()
    )
    if module is None:
        raise Http404("No such module")
    if not may_manage_programme(actor, module.programme):
        raise PermissionDenied
    return module


def get_managed_assignment(actor: Actor, pk: int) -> Assignment:
    """An assignment of a programme the actor manages: 404 if not visible, 403 if only
    visible."""
    assignment = (
        Assignment.objects.filter(pk=pk, module__programme__in=visible_programmes(actor))
        .select_related("module__programme__provider", "module__programme__partnership")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment")
    if not may_manage_programme(actor, assignment.module.programme):
        raise PermissionDenied
    return assignment


def get_managed_staff(actor: Actor, pk: int) -> ProgrammeStaff:
    """A leader or tutor named on a programme the actor manages: 404 if not visible, 403 if only
    visible."""
    staff = (
        ProgrammeStaff.objects.filter(pk=pk, programme__in=visible_programmes(actor))
        .select_related("programme__provider", "programme__partnership", "person")
        .first()
    )
    if staff is None:
        raise Http404("No such programme leader or tutor")
    if not may_manage_programme(actor, staff.programme):
        raise PermissionDenied
    return staff


def cohort_counts_by_employer(actor: Actor, cohort: Cohort) -> list[dict]:
    """How many apprentices each employer has on the cohort (counts only), for the provider's
    programme leaders; empty for everyone else."""
    if not may_manage_programme(actor, cohort.programme):
        return []
    return list(
        Enrolment.objects.filter(cohort=cohort)
        .values("employer_id", "employer__name")
        .annotate(count=Count("pk"))
        .order_by("employer__name", "employer_id")
    )


def may_enrol(actor: Actor) -> bool:
    """An L&D lead acting for a partnership member enrols its staff on cohorts."""
    return (
        actor.person is not None
        and has_role(actor, OrganisationRole.LD_LEAD)
        and bool(_partnership_ids(actor))
    )


def may_enrol_on(actor: Actor, cohort: Cohort) -> bool:
    """...on a cohort of a programme of the acting organisation's partnership."""
    return may_enrol(actor) and cohort.programme.partnership_id in _partnership_ids(actor)


# --- Enrolments ---------------------------------------------------------------------------------


def _provider_leader_q(actor: Actor) -> Q:
    """Enrolments on programmes the acting organisation provides, for its programme leaders."""
    if not has_role(actor, OrganisationRole.PROGRAMME_LEADER):
        return Q(pk__in=[])
    return Q(provider=actor.organisation)


def _employer_q(actor: Actor) -> Q:
    """Enrolments of the acting organisation's apprentices, for its L&D leads and levy officers."""
    roles = roles_of(actor)
    if OrganisationRole.LD_LEAD not in roles and OrganisationRole.LEVY_OFFICER not in roles:
        return Q(pk__in=[])
    return Q(employer=actor.organisation)


def visible_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    """Enrolments the actor may see (see the module docstring for who)."""
    if actor.person is None or actor.organisation is None:
        return Enrolment.objects.none()
    person = actor.person
    return Enrolment.objects.filter(
        Q(apprentice=person)
        | Q(line_manager=person)
        | Q(practice_tutor=person)
        | _employer_q(actor)
        | _provider_leader_q(actor)
    )


def get_enrolment_for(actor: Actor, pk: int) -> Enrolment:
    """One visible enrolment, or 404, with what nearly every page shows: the apprentice, the
    employer and the programme with its standard. A page showing more (the line manager, the
    tutor) loads it when read: each further join multiplies PostgreSQL's planning time (4 ms for
    the eight joins this once had, against 0.9 ms for these five)."""
    enrolment = (
        visible_enrolments(actor)
        .filter(pk=pk)
        .select_related("apprentice", "employer", "cohort__programme__standard")
        .first()
    )
    if enrolment is None:
        raise Http404("No such enrolment")
    return enrolment


def is_employer_lead(actor: Actor, enrolment: Enrolment) -> bool:
    """An L&D lead acting for the enrolment's employer."""
    return actor.organisation_id == enrolment.employer_id and has_role(
        actor, OrganisationRole.LD_LEAD
    )


def is_provider_leader(actor: Actor, enrolment: Enrolment) -> bool:
    """A programme leader acting for the enrolment's provider."""
    return actor.organisation_id == enrolment.provider_id and has_role(
        actor, OrganisationRole.PROGRAMME_LEADER
    )


def is_apprentice(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's apprentice themself."""
    return actor.person is not None and actor.person_id == enrolment.apprentice_id


def is_tutor_or_provider_leader(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor, or a programme leader acting for its provider: who checks,
    marks, approves and records the apprentice's work."""
    if actor.person is None:
        return False
    return actor.person_id == enrolment.practice_tutor_id or is_provider_leader(actor, enrolment)


def may_see_eligibility(actor: Actor, enrolment: Enrolment) -> bool:
    """Date of birth, care-leaver status and EHC plan: the apprentice, the employer's L&D lead and
    the provider's programme leaders only."""
    return (
        is_apprentice(actor, enrolment)
        or is_employer_lead(actor, enrolment)
        or is_provider_leader(actor, enrolment)
    )


def may_manage_enrolment(actor: Actor, enrolment: Enrolment) -> bool:
    """The employer's L&D lead and the provider's programme leaders change an enrolment (status,
    off-the-job plan, employer, details)."""
    return is_employer_lead(actor, enrolment) or is_provider_leader(actor, enrolment)


def get_managed_enrolment(actor: Actor, pk: int) -> Enrolment:
    """An enrolment the actor may change: 404 if not visible, 403 if only visible."""
    enrolment = get_enrolment_for(actor, pk)
    if not may_manage_enrolment(actor, enrolment):
        raise PermissionDenied
    return enrolment


def employer_enrolments(actor: Actor, organisation: Organisation) -> QuerySet[Enrolment]:
    """The enrolments an employer's L&D lead or levy officer lists (their own organisation's)."""
    return visible_enrolments(actor).filter(employer=organisation)


def provider_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    """The enrolments a provider's programme leader lists (its programmes')."""
    if actor.organisation is None or not has_role(actor, OrganisationRole.PROGRAMME_LEADER):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(provider=actor.organisation)


def may_list_employer_enrolments(actor: Actor) -> bool:
    """The acting organisation's L&D leads and levy officers list its apprentices' enrolments."""
    if actor.person is None or actor.organisation is None:
        return False
    roles = roles_of(actor)
    return OrganisationRole.LD_LEAD in roles or OrganisationRole.LEVY_OFFICER in roles


def may_list_provider_enrolments(actor: Actor) -> bool:
    """The acting organisation's programme leaders list the enrolments on its programmes."""
    return (
        actor.person is not None
        and actor.organisation is not None
        and has_role(actor, OrganisationRole.PROGRAMME_LEADER)
    )


def my_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    """The enrolments the person is part of: as apprentice, line manager or practice tutor."""
    if actor.person is None:
        return Enrolment.objects.none()
    person = actor.person
    return Enrolment.objects.filter(
        Q(apprentice=person) | Q(line_manager=person) | Q(practice_tutor=person)
    )


def named_tutors(programme: Programme) -> QuerySet[ProgrammeStaff]:
    """The practice tutors named on a programme (whom an enrolment may be given)."""
    return programme.staff.filter(role=ProgrammeRole.TUTOR)


# --- Commitment statements ------------------------------------------------------------------------


def visible_statements(actor: Actor) -> QuerySet[CommitmentStatement]:
    """Commitment statements of visible enrolments."""
    return CommitmentStatement.objects.filter(enrolment__in=visible_enrolments(actor))


def get_statement_for(actor: Actor, pk: int) -> CommitmentStatement:
    """One visible commitment statement version, or 404."""
    statement = (
        visible_statements(actor)
        .filter(pk=pk)
        .select_related("enrolment__cohort__programme__provider", "enrolment__employer")
        .first()
    )
    if statement is None:
        raise Http404("No such commitment statement")
    return statement


def party_of(actor: Actor, enrolment: Enrolment) -> Party | None:
    """The party the actor signs for on this enrolment's statements, if any: the apprentice
    themself; the employer's L&D lead; the provider's programme leader."""
    if is_apprentice(actor, enrolment):
        return Party.APPRENTICE
    if is_employer_lead(actor, enrolment):
        return Party.EMPLOYER
    if is_provider_leader(actor, enrolment):
        return Party.PROVIDER
    return None


def next_party(signed: set[str]) -> Party | None:
    """Who signs next, in the order apprentice, employer, provider (None when all have)."""
    for party in SIGNING_ORDER:
        if party not in signed:
            return party
    return None


# --- Buddies and module discussion spaces ---------------------------------------------------------
#
# Buddies: the provider's programme leaders see a cohort's pairs and pair its apprentices. An
# apprentice sees their own buddies' names, employers and work e-mail addresses. That shares a few
# facts about a member of one organisation with a member of another, on purpose: buddies are
# there to get in touch across employers. Nobody else sees the buddy through the progress page
# (not the line manager, tutor or employer's L&D lead, who have no need to).
#
# Module discussion spaces are the network app's linked spaces (kind "apprenticeships.module",
# one per cohort module): the programme leaders open them; their members read them through the
# network app's own access.

BUDDY_OPEN = (
    EnrolmentStatus.ACTIVE,
    EnrolmentStatus.ON_BREAK,
    EnrolmentStatus.AT_GATEWAY,
    EnrolmentStatus.IN_EPA,
)
MODULE_SPACE_KIND = "apprenticeships.module"


def may_pair_buddies(actor: Actor, cohort: Cohort) -> bool:
    """The provider's programme leaders pair a cohort's apprentices and open its module spaces."""
    return may_manage_programme(actor, cohort.programme)


def get_buddy_cohort(actor: Actor, pk: int) -> Cohort:
    """A cohort whose buddies the actor manages: 404 if not visible, 403 if only visible."""
    cohort = get_cohort_for(actor, pk)
    if not may_pair_buddies(actor, cohort):
        raise PermissionDenied
    return cohort


def cohort_buddy_pairs(actor: Actor, cohort: Cohort) -> QuerySet[BuddyPair]:
    """A cohort's active pairs with both apprentices and employers, for its programme leaders;
    none for anyone else."""
    if not may_pair_buddies(actor, cohort):
        return BuddyPair.objects.none()
    return (
        BuddyPair.objects.filter(cohort=cohort, ended_on__isnull=True)
        .select_related("first__apprentice", "first__employer")
        .select_related("second__apprentice", "second__employer")
        .order_by("paired_on", "pk")
    )


def cohort_current_apprentices(actor: Actor, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolments in open statuses, for its programme leaders; none for others."""
    if not may_pair_buddies(actor, cohort):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(cohort=cohort, status__in=BUDDY_OPEN)


def may_see_buddies_of(actor: Actor, enrolment: Enrolment) -> bool:
    """The apprentice themself and the provider's programme leaders see an enrolment's buddies
    (the sharing across organisations described above)."""
    return is_apprentice(actor, enrolment) or is_provider_leader(actor, enrolment)


def buddies_of(actor: Actor, enrolment: Enrolment) -> QuerySet[Enrolment]:
    """The enrolments of the apprentice's current buddies, with their name, employer and work
    e-mail to hand, for those `may_see_buddies_of` allows; none for anyone else."""
    if not may_see_buddies_of(actor, enrolment):
        return Enrolment.objects.none()
    others = (
        BuddyPair.objects.filter(ended_on__isnull=True)
        .filter(Q(first=enrolment) | Q(second=enrolment))
        .annotate(other=Case(When(first=enrolment, then=F("second")), default=F("first")))
        .values("other")
    )
    return (
        Enrolment.objects.filter(pk__in=others)
        .select_related("apprentice", "employer", "employment")
        .order_by("apprentice__family_name", "apprentice__given_name", "pk")
    )


def my_buddy_pairs(actor: Actor) -> QuerySet[BuddyPair]:
    """The person's own active pairs, as an apprentice, on every cohort."""
    if actor.person is None:
        return BuddyPair.objects.none()
    person = actor.person
    return (
        BuddyPair.objects.filter(ended_on__isnull=True)
        .filter(Q(first__apprentice=person) | Q(second__apprentice=person))
        .select_related("first__apprentice", "first__employer", "first__employment")
        .select_related("second__apprentice", "second__employer", "second__employment")
        .select_related("cohort__programme")
        .order_by("paired_on", "pk")
    )


def my_module_spaces(actor: Actor, cohort: Cohort) -> QuerySet:
    """The cohort's module discussion spaces the person actively belongs to (network access)."""
    from joinedup.network import access as network_access

    # A space names its context by text; the cohort's module ids are read in the same query.
    ids = (
        CohortModule.objects.filter(cohort=cohort)
        .annotate(text_id=Cast("pk", CharField()))
        .values("text_id")
    )
    return network_access.member_spaces(actor).filter(
        context_kind=MODULE_SPACE_KIND, context_id__in=ids
    )


# --- End-point assessments ------------------------------------------------------------------------
# An enrolment's assessments are seen by whoever sees the enrolment; each booking also by its
# assessor (who sees nothing else of the enrolment). The provider's programme leaders book;
# only the booked assessor records results.


def enrolment_assessments(actor: Actor, enrolment: Enrolment) -> QuerySet[EndPointAssessment]:
    """The attempts of an enrolment the actor sees (fetched with `get_enrolment_for`)."""
    return enrolment.assessments.select_related("assessor", "assessor_organisation")


def may_book_any_assessment(actor: Actor) -> bool:
    """A programme leader (acting for their organisation) books assessments and adds external
    assessors."""
    return (
        actor.person is not None
        and actor.organisation is not None
        and has_role(actor, OrganisationRole.PROGRAMME_LEADER)
    )


def may_book_assessment(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's provider's programme leaders book its end-point assessment."""
    return actor.person is not None and is_provider_leader(actor, enrolment)


def get_bookable_enrolment(actor: Actor, pk: int) -> Enrolment:
    """An enrolment whose assessment the actor books: 404 if not visible, 403 if only visible."""
    enrolment = get_enrolment_for(actor, pk)
    if not may_book_assessment(actor, enrolment):
        raise PermissionDenied
    return enrolment


def visible_assessments(actor: Actor) -> QuerySet[EndPointAssessment]:
    """Assessments of visible enrolments, and those the actor is booked to assess."""
    if actor.person is None:
        return EndPointAssessment.objects.none()
    return EndPointAssessment.objects.filter(
        Q(assessor=actor.person) | Q(enrolment__in=visible_enrolments(actor))
    )


def get_assessment_for(actor: Actor, pk: int) -> EndPointAssessment:
    """One visible assessment (to the enrolment's viewers and its assessor), or 404."""
    assessment = (
        visible_assessments(actor)
        .filter(pk=pk)
        .select_related(
            "assessor",
            "assessor_organisation",
            "enrolment__apprentice",
            "enrolment__employer",
            "enrolment__provider",
            "enrolment__cohort__programme__standard",
            "enrolment__cohort__programme__partnership",
        )
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def is_assessor_of(actor: Actor, assessment: EndPointAssessment) -> bool:
    """The person booked to assess this attempt."""
    return actor.person is not None and actor.person_id == assessment.assessor_id


def get_assessment_to_record(actor: Actor, pk: int) -> EndPointAssessment:
    """An assessment whose results the actor records (its assessor): 404 if not visible, 403 if
    only visible."""
    assessment = get_assessment_for(actor, pk)
    if not is_assessor_of(actor, assessment):
        raise PermissionDenied
    return assessment


def my_assessments(actor: Actor) -> QuerySet[EndPointAssessment]:
    """The assessments the person is booked to assess (anyone signed in as a person; external
    assessors act for no organisation)."""
    if actor.person is None:
        return EndPointAssessment.objects.none()
    return EndPointAssessment.objects.filter(assessor=actor.person)


# --- Portfolio ------------------------------------------------------------------------------------
#
# An enrolment's portfolio (its evidence items and KSB coverage) is seen by whoever sees the
# enrolment. Only the apprentice adds and edits items; only the enrolment's practice tutor and
# the provider's programme leaders (acting for the provider) sign them off or ask for more, never
# the apprentice themself.


def visible_evidence(actor: Actor) -> QuerySet[Evidence]:
    """Evidence items of enrolments the actor sees."""
    return Evidence.objects.filter(enrolment__in=visible_enrolments(actor))


def get_evidence_for(actor: Actor, pk: int) -> Evidence:
    """One visible evidence item with its enrolment, or 404."""
    evidence = (
        visible_evidence(actor)
        .filter(pk=pk)
        .select_related(
            "enrolment__apprentice",
            "enrolment__employer",
            "enrolment__practice_tutor",
            "enrolment__cohort__programme__standard",
            "enrolment__cohort__programme__partnership",
            "checked_by",
        )
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence")
    return evidence


def may_add_evidence(actor: Actor, enrolment: Enrolment) -> bool:
    """The apprentice themself adds and edits the evidence in their portfolio."""
    return is_apprentice(actor, enrolment)


def may_check_evidence(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor, or a programme leader acting for its provider, signs
    evidence off or asks for more; never the apprentice."""
    return not is_apprentice(actor, enrolment) and is_tutor_or_provider_leader(actor, enrolment)


def get_portfolio_enrolment(actor: Actor, pk: int) -> Enrolment:
    """An enrolment whose portfolio the actor adds to (they are its apprentice): 404 if not
    visible, 403 if only visible."""
    enrolment = get_enrolment_for(actor, pk)
    if not may_add_evidence(actor, enrolment):
        raise PermissionDenied
    return enrolment


def get_own_evidence(actor: Actor, pk: int) -> Evidence:
    """An item of the actor's own portfolio: 404 if not visible, 403 if only visible."""
    evidence = get_evidence_for(actor, pk)
    if not may_add_evidence(actor, evidence.enrolment):
        raise PermissionDenied
    return evidence


def get_checkable_evidence(actor: Actor, pk: int) -> Evidence:
    """An item the actor signs off or asks more of: 404 if not visible, 403 if only visible."""
    evidence = get_evidence_for(actor, pk)
    if not may_check_evidence(actor, evidence.enrolment):
        raise PermissionDenied
    return evidence


# --- Assignments and submissions ------------------------------------------------------------------
#
# A submission is seen by whoever sees its enrolment. Only the apprentice submits (themself, never
# on their behalf). The enrolment's practice tutor and the provider's programme leaders (acting for
# the provider) mark. The deadline dashboard is for practice tutors (the enrolments they tutor) and
# programme leaders (every enrolment their acting organisation provides, which includes their
# own tutees there).


def visible_submissions(actor: Actor) -> QuerySet[Submission]:
    """Submissions of the enrolments the actor sees."""
    return Submission.objects.filter(enrolment__in=visible_enrolments(actor))


def get_submission_for(actor: Actor, pk: int) -> Submission:
    """One visible submission, with its enrolment and assignment, or 404."""
    submission = (
        visible_submissions(actor)
        .filter(pk=pk)
        .select_related(
            "assignment__module",
            "marked_by",
            "created_by",
            "enrolment__apprentice",
            "enrolment__employer",
            "enrolment__practice_tutor",
            "enrolment__cohort__programme__provider",
        )
        .first()
    )
    if submission is None:
        raise Http404("No such submission")
    return submission


def may_submit(actor: Actor, enrolment: Enrolment) -> bool:
    """The apprentice alone submits their assignments."""
    return is_apprentice(actor, enrolment)


def get_enrolment_to_submit(actor: Actor, pk: int) -> Enrolment:
    """An enrolment whose apprentice the actor is: 404 if not visible, 403 if only visible."""
    enrolment = get_enrolment_for(actor, pk)
    if not may_submit(actor, enrolment):
        raise PermissionDenied
    return enrolment


def may_mark(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor or the provider's programme leaders."""
    return is_tutor_or_provider_leader(actor, enrolment)


def get_submission_to_mark(actor: Actor, pk: int) -> Submission:
    """A submission the actor may mark: 404 if not visible, 403 if only visible."""
    submission = get_submission_for(actor, pk)
    if not may_mark(actor, submission.enrolment):
        raise PermissionDenied
    return submission


def may_see_deadlines(actor: Actor) -> bool:
    """Practice tutors and programme leaders (of the acting organisation) see the dashboard."""
    return (
        actor.person is not None
        and actor.organisation is not None
        and (
            has_role(actor, OrganisationRole.PRACTICE_TUTOR)
            or has_role(actor, OrganisationRole.PROGRAMME_LEADER)
        )
    )


def _deadline_scope(actor: Actor, tutor: str, provider: str) -> Q:
    """The dashboard's rows: for programme leaders every enrolment the acting organisation
    provides (`provider` names that field; their own tutees there among them), for practice
    tutors the enrolments they tutor (`tutor`). One plain condition, so an index serves it."""
    if not may_see_deadlines(actor):
        return Q(pk__in=[])
    if has_role(actor, OrganisationRole.PROGRAMME_LEADER):
        return Q(**{provider: actor.organisation})
    return Q(**{tutor: actor.person})


def deadline_submissions(actor: Actor) -> QuerySet[Submission]:
    """Submissions on the actor's deadline dashboard (see `_deadline_scope`)."""
    if not may_see_deadlines(actor):
        return Submission.objects.none()
    return Submission.objects.filter(
        _deadline_scope(actor, "enrolment__practice_tutor", "provider")
    )


def deadline_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    """Enrolments on the actor's deadline dashboard (see `_deadline_scope`)."""
    if not may_see_deadlines(actor):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(_deadline_scope(actor, "practice_tutor", "provider"))


# --- Workplace project and gateway ----------------------------------------------------------------
#
# The project page and the gateway are seen by whoever sees the enrolment. The project's sponsor
# (a person at the employer) also sees the project page of that one enrolment, and nothing else of
# it. Only the apprentice proposes and submits; only the practice tutor or the provider's
# programme leaders approve the scope; only the sponsor signs it off; only the employer's L&D lead
# and the provider's programme leader agree at the gateway.


def is_project_sponsor(actor: Actor, project: WorkplaceProject | None) -> bool:
    """The person named sponsor of the project."""
    return (
        project is not None and actor.person is not None and actor.person_id == project.sponsor_id
    )


def get_project_page_for(actor: Actor, pk: int) -> tuple[Enrolment, WorkplaceProject | None]:
    """The enrolment (by its id) and its project (None before one is proposed), for whoever sees
    the enrolment or sponsors its project; 404 for everyone else."""
    if visible_enrolments(actor).filter(pk=pk).exists():
        enrolment = get_enrolment_for(actor, pk)
        project = WorkplaceProject.objects.filter(enrolment=enrolment).first()
        if project is not None:
            project.enrolment = enrolment
        return enrolment, project
    if actor.person is None:
        raise Http404("No such enrolment")
    project = (
        WorkplaceProject.objects.filter(enrolment_id=pk, sponsor=actor.person)
        .select_related(
            "enrolment__apprentice",
            "enrolment__employer",
            "enrolment__line_manager",
            "enrolment__practice_tutor",
            "enrolment__cohort__programme__provider",
            "enrolment__cohort__programme__standard",
        )
        .first()
    )
    if project is None:
        raise Http404("No such enrolment")
    return project.enrolment, project


def may_propose_project(actor: Actor, enrolment: Enrolment) -> bool:
    """The apprentice proposes, changes, and submits their own project."""
    return is_apprentice(actor, enrolment)


def may_approve_project(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor, or a programme leader acting for its provider."""
    return is_tutor_or_provider_leader(actor, enrolment)


def may_sign_off_project(actor: Actor, project: WorkplaceProject | None) -> bool:
    """The project's sponsor signs it off."""
    return is_project_sponsor(actor, project)


def gateway_party_of(actor: Actor, enrolment: Enrolment) -> Party | None:
    """The party the actor agrees for at the gateway: the employer's L&D lead or the provider's
    programme leader (None for everyone else)."""
    if actor.person is None:
        return None
    if is_employer_lead(actor, enrolment):
        return Party.EMPLOYER
    if is_provider_leader(actor, enrolment):
        return Party.PROVIDER
    return None


def get_gateway_enrolment_for(actor: Actor, pk: int) -> Enrolment:
    """The enrolment whose gateway is shown: whoever sees the enrolment (not the sponsor)."""
    return get_enrolment_for(actor, pk)


# --- Off-the-job log ------------------------------------------------------------------------------
#
# An enrolment's off-the-job log is seen by whoever sees the enrolment. Only the apprentice logs,
# edits and deletes entries; only the enrolment's practice tutor and the provider's programme
# leaders (acting for the provider) verify or query them.


def visible_off_the_job_entries(actor: Actor) -> QuerySet[OffTheJobEntry]:
    """Off-the-job entries of enrolments the actor sees."""
    return OffTheJobEntry.objects.filter(enrolment__in=visible_enrolments(actor))


def get_off_the_job_entry_for(actor: Actor, pk: int) -> OffTheJobEntry:
    """One visible off-the-job entry with its enrolment, or 404."""
    entry = (
        visible_off_the_job_entries(actor)
        .filter(pk=pk)
        .select_related(
            "enrolment__apprentice",
            "enrolment__employer",
            "enrolment__practice_tutor",
            "enrolment__cohort__programme__standard",
            "enrolment__cohort__programme__partnership",
            "checked_by",
        )
        .first()
    )
    if entry is None:
        raise Http404("No such off-the-job entry")
    return entry


def may_log_off_the_job(actor: Actor, enrolment: Enrolment) -> bool:
    """The apprentice themself logs, edits and deletes their off-the-job time."""
    return is_apprentice(actor, enrolment)


def may_check_off_the_job(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor, or a programme leader acting for its provider, verifies or
    queries entries."""
    return is_tutor_or_provider_leader(actor, enrolment)


def get_loggable_enrolment(actor: Actor, pk: int) -> Enrolment:
    """An enrolment whose apprentice is the actor: 404 if not visible, 403 if only visible."""
    enrolment = get_enrolment_for(actor, pk)
    if not may_log_off_the_job(actor, enrolment):
        raise PermissionDenied
    return enrolment


def get_own_off_the_job_entry(actor: Actor, pk: int) -> OffTheJobEntry:
    """An entry of the actor's own log: 404 if not visible, 403 if only visible."""
    entry = get_off_the_job_entry_for(actor, pk)
    if not may_log_off_the_job(actor, entry.enrolment):
        raise PermissionDenied
    return entry


def get_checkable_off_the_job_entry(actor: Actor, pk: int) -> OffTheJobEntry:
    """An entry the actor verifies or queries: 404 if not visible, 403 if only visible."""
    entry = get_off_the_job_entry_for(actor, pk)
    if not may_check_off_the_job(actor, entry.enrolment):
        raise PermissionDenied
    return entry


def off_the_job_to_check(actor: Actor) -> QuerySet[OffTheJobEntry]:
    """Entries awaiting a check that the actor may check: their tutees' and, for a programme
    leader, every entry of the acting provider's enrolments (none for anyone else)."""
    if actor.person is None:
        return OffTheJobEntry.objects.none()
    scope = Q(enrolment__practice_tutor=actor.person)
    if actor.organisation is not None and has_role(actor, OrganisationRole.PROGRAMME_LEADER):
        scope |= Q(enrolment__provider=actor.organisation)
    return OffTheJobEntry.objects.filter(scope, state=CheckState.AWAITING)


# --- Working-day calendar (bank holidays and closure days) ----------------------------------------


def visible_bank_holidays(actor: Actor) -> QuerySet[BankHoliday]:
    """Every bank holiday, for anyone signed in (reference data for the whole installation)."""
    if not actor.is_authenticated:
        return BankHoliday.objects.none()
    return BankHoliday.objects.all()


def may_manage_bank_holidays(actor: Actor) -> bool:
    """A partnership lead (of one of the acting organisation's partnerships) adds bank holidays
    and removes those added by hand, and is warned when the list runs out; like funding rules,
    the list serves the whole installation."""
    if actor.person is None:
        return False
    return PartnershipRole.PARTNERSHIP_LEAD in roles_of(actor)


def get_removable_bank_holiday(actor: Actor, pk: int) -> BankHoliday:
    """A bank holiday for its admins to remove: 404 if unknown, 403 for everyone else."""
    holiday = visible_bank_holidays(actor).filter(pk=pk).first()
    if holiday is None:
        raise Http404("No such bank holiday")
    if not may_manage_bank_holidays(actor):
        raise PermissionDenied
    return holiday


def get_calendar_provider(actor: Actor, pk: int) -> Organisation:
    """An organisation whose closure days and deadlines the actor may read: the acting one or a
    member of its partnerships; 404 otherwise."""
    return get_organisation_for(actor, pk)


def visible_closure_days(actor: Actor) -> QuerySet[ClosureDay]:
    """Closure days of the acting organisation and its partnerships' members (no personal data:
    they decide everyone's feedback deadlines at that provider)."""
    return ClosureDay.objects.filter(provider__in=visible_organisations(actor))


def may_manage_closure_days(actor: Actor) -> bool:
    """A programme leader (a person) of the acting organisation keeps its closure days."""
    return (
        actor.person is not None
        and actor.organisation is not None
        and has_role(actor, OrganisationRole.PROGRAMME_LEADER)
    )


def may_manage_closure_days_of(actor: Actor, provider_id: int) -> bool:
    """...of that provider only: the organisation they act for."""
    return may_manage_closure_days(actor) and actor.organisation_id == provider_id


def get_managed_closure_day(actor: Actor, pk: int) -> ClosureDay:
    """A closure day of the acting organisation, for its programme leaders: 404 if not visible,
    403 if only visible."""
    closure = visible_closure_days(actor).filter(pk=pk).first()
    if closure is None:
        raise Http404("No such closure day")
    if not may_manage_closure_days_of(actor, closure.provider_id):
        raise PermissionDenied
    return closure


def may_see_calendar_warning(actor: Actor) -> bool:
    """The warning that the bank-holiday list runs out: the partnership leads who extend it, and
    the programme leaders whose feedback deadlines depend on it."""
    return may_manage_bank_holidays(actor) or may_manage_closure_days(actor)


# --- Progress reviews -----------------------------------------------------------------------------


def visible_reviews(actor: Actor) -> QuerySet[ProgressReview]:
    """Progress reviews of visible enrolments (whoever sees the enrolment sees its reviews)."""
    return ProgressReview.objects.filter(enrolment__in=visible_enrolments(actor))


def get_review_for(actor: Actor, pk: int) -> ProgressReview:
    """One visible progress review with its enrolment's people, or 404."""
    review = (
        visible_reviews(actor)
        .filter(pk=pk)
        .select_related(
            "recorded_by",
            "enrolment__apprentice",
            "enrolment__employer",
            "enrolment__line_manager",
            "enrolment__practice_tutor",
            "enrolment__cohort__programme__provider",
        )
        .first()
    )
    if review is None:
        raise Http404("No such progress review")
    return review


def get_enrolment_review_for(actor: Actor, enrolment_pk: int, number: int) -> ProgressReview:
    """Review `number` of a visible enrolment (the API's address for it), or 404."""
    review = visible_reviews(actor).filter(enrolment_id=enrolment_pk, number=number).first()
    if review is None:
        raise Http404("No such progress review")
    return get_review_for(actor, review.pk)


def may_record_review(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor, or a programme leader acting for its provider, records its
    reviews."""
    return is_tutor_or_provider_leader(actor, enrolment)


def get_recordable_review(actor: Actor, pk: int) -> ProgressReview:
    """A review the actor may record: 404 if not visible, 403 if only visible."""
    review = get_review_for(actor, pk)
    if not may_record_review(actor, review.enrolment):
        raise PermissionDenied
    return review


def review_parties_of(actor: Actor, enrolment: Enrolment) -> set[ReviewParty]:
    """The parties the actor signs an enrolment's reviews for: the apprentice themself, the named
    line manager, the named practice tutor (nobody signs for one who is not named)."""
    parties: set[ReviewParty] = set()
    if actor.person is None:
        return parties
    if actor.person_id == enrolment.apprentice_id:
        parties.add(ReviewParty.APPRENTICE)
    if actor.person_id == enrolment.line_manager_id:
        parties.add(ReviewParty.LINE_MANAGER)
    if actor.person_id == enrolment.practice_tutor_id:
        parties.add(ReviewParty.TUTOR)
    return parties


def next_review_party(signed: set[str]) -> ReviewParty | None:
    """Who signs a recorded review next: apprentice, line manager, tutor (None when all have)."""
    for party in REVIEW_SIGNING_ORDER:
        if party not in signed:
            return party
    return None


def reviews_due_for(actor: Actor) -> QuerySet[ProgressReview]:
    """The reviews on the actor's "Reviews due" list: those of their tutees (as practice tutor),
    of the acting organisation's apprentices (its L&D leads) and on the acting organisation's
    programmes (its programme leaders)."""
    if actor.person is None or actor.organisation is None:
        return ProgressReview.objects.none()
    scope = Q(practice_tutor=actor.person)
    if has_role(actor, OrganisationRole.LD_LEAD):
        scope |= Q(enrolment__employer=actor.organisation)
    if has_role(actor, OrganisationRole.PROGRAMME_LEADER):
        scope |= Q(enrolment__provider=actor.organisation)
    return ProgressReview.objects.filter(scope)
