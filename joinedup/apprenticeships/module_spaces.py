"""Module discussion spaces: one network space per module and cohort, across employers.

Each is the network app's linked space of kind "apprenticeships.module" whose id is the
`CohortModule`'s id, owned by the programme's provider. Its members are exactly the cohort's
apprentices in open statuses (shown with their employer), their practice tutors and the
programme's leaders (shown with the provider; the leaders moderate).

`sync_cohort` makes or updates every module's space of a cohort; it is idempotent and costs a
few queries per module. It runs when a programme leader opens the module discussions and then,
once they are open, after every change to who belongs or how they are shown: an enrolment starts
(`enrolments.activate`), is withdrawn or completed (`enrolments.change_status`), moves employer
(`enrolments.change_employer`) or changes practice tutor (`enrolments.edit_terms`), and a
programme leader is named or removed (`programmes.name_staff`, `programmes.remove_staff`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from joinedup.network import spaces
from joinedup.network.models import Space
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, Person

from . import access
from .models import Cohort, CohortModule, Enrolment, Programme, ProgrammeRole, ProgrammeStaff

KIND = access.MODULE_SPACE_KIND


def _members(cohort: Cohort) -> tuple[list[tuple[Person, Organisation]], list[Person]]:
    """Everyone who belongs (person, organisation shown) and the moderators."""
    provider = cohort.programme.provider
    found = (
        Enrolment.objects.filter(cohort=cohort, status__in=access.BUDDY_OPEN)
        .select_related("apprentice", "employer", "practice_tutor")
        .order_by("pk")
    )
    members: dict[int, tuple[Person, Organisation]] = {}
    tutors: dict[int, Person] = {}
    for enrolment in found:
        members.setdefault(enrolment.apprentice_id, (enrolment.apprentice, enrolment.employer))
        if enrolment.practice_tutor is not None:
            tutors.setdefault(enrolment.practice_tutor_id, enrolment.practice_tutor)
    for pk, tutor in tutors.items():
        members.setdefault(pk, (tutor, provider))
    leaders = [
        staff.person
        for staff in ProgrammeStaff.objects.filter(
            programme=cohort.programme, role=ProgrammeRole.LEADER
        ).select_related("person")
    ]
    for leader in leaders:
        # A leader is shown with the provider, even if also a tutor or (oddly) an apprentice.
        members[leader.pk] = (leader, provider)
    return list(members.values()), leaders


def _label(cohort: Cohort, row: CohortModule) -> tuple[str, str]:
    label = f"{cohort.programme.title}, {cohort.name} cohort: module {row.module.order}"
    title = f"Module {row.module.order}: {row.module.title} ({cohort.name} cohort)"
    return label, title


def has_spaces(cohort: Cohort) -> bool:
    """Whether the cohort's module discussions have been opened."""
    rows = CohortModule.objects.filter(cohort=cohort).values_list("pk", flat=True)
    ids = [str(pk) for pk in rows]
    return Space.objects.filter(context_kind=KIND, context_id__in=ids).exists()


@transaction.atomic
def sync_cohort(cohort: Cohort) -> list[Space]:
    """Make or update the discussion space of every module of the cohort, with exactly its
    members (see the module docstring); idempotent."""
    cohort = Cohort.objects.select_related("programme__provider", "programme__partnership").get(
        pk=cohort.pk
    )
    members, leaders = _members(cohort)
    made = []
    rows = CohortModule.objects.filter(cohort=cohort).select_related("module")
    for row in rows.order_by("module__order", "pk"):
        label, title = _label(cohort, row)
        space = spaces.context_space(
            partnership=cohort.programme.partnership,
            owner_organisation=cohort.programme.provider,
            kind=KIND,
            object_id=row.pk,
            label=label,
            title=title,
        )
        spaces.set_context_members(space, members, moderators=leaders)
        made.append(space)
    return made


def open_discussions(cohort: Cohort, actor: Actor) -> list[Space]:
    """A programme leader opens (or refreshes) the cohort's module discussion spaces."""
    if not access.may_pair_buddies(actor, cohort):
        raise PermissionDenied
    return sync_cohort(cohort)


def sync_if_open(cohort: Cohort) -> None:
    """Keep an opened cohort's spaces in step (after a change listed in the module docstring)."""
    if has_spaces(cohort):
        sync_cohort(cohort)


def sync_programme(programme: Programme) -> None:
    """Keep the opened spaces of every cohort of the programme in step (after its leaders
    change)."""
    for cohort in programme.cohorts.all():
        sync_if_open(cohort)
