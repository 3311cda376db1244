"""The only functions that fetch network objects for an actor, built on the partnership primitives.

Another organisation's private object is a 404 (Http404); a visible one the actor may not change
is a 403 (PermissionDenied).

Discussion: a space belongs to one partnership and is seen only by people acting for one of its
member organisations. Anyone there sees its communities listed (title and description); its
threads, posts and members' names are read by its active members, and by the partnership lead,
who moderates every space of the partnership. Hidden posts (and threads whose opening post is
hidden) are seen only by the space's moderators. An organisation's API token is never a member.

Initiatives: everyone acting for a member organisation of the initiative's partnership reads it;
a public initiative's summary is open to anyone (`public_initiatives`).

Sections: spaces and membership; threads and posts; moderation; initiatives; reviews and spread;
public. Add a function to its own section, one condition per line, with a docstring.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from joinedup.learning.models import Run
from joinedup.partnership.access import (
    acting_partnerships,
    has_role,
    led_partnerships,
    open_memberships,
    remembered,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationRole,
    Partnership,
    Person,
)

from .models import (
    Adoption,
    Attachment,
    Initiative,
    LearningReview,
    MemberStatus,
    Mission,
    Post,
    Report,
    Space,
    SpaceKind,
    SpaceMember,
    Thread,
)

# --- Spaces and membership -----------------------------------------------------------------------


def _partnership_ids(actor: Actor) -> list[int]:
    """The acting organisation's partnerships (none for someone acting for none)."""
    return [partnership.pk for partnership in acting_partnerships(actor)]


def _led_ids(actor: Actor) -> list[int]:
    """The partnerships the person leads, among the acting organisation's."""
    return list(led_partnerships(actor).values_list("pk", flat=True))


def _memberships(actor: Actor, *, moderator: bool = False) -> QuerySet[SpaceMember]:
    """The person's active memberships of spaces of the acting organisation's partnerships."""
    if actor.person is None:
        return SpaceMember.objects.none()
    found = SpaceMember.objects.filter(
        person=actor.person,
        status=MemberStatus.ACTIVE,
        space__partnership__in=_partnership_ids(actor),
    )
    return found.filter(is_moderator=True) if moderator else found


def visible_spaces(actor: Actor) -> QuerySet[Space]:
    """Spaces the actor may see listed: the communities of the acting organisation's
    partnerships; spaces they belong to or asked to join; every space of a partnership they
    lead."""
    if actor.organisation is None:
        return Space.objects.none()
    partnerships = _partnership_ids(actor)
    mine = SpaceMember.objects.filter(person_id=actor.person_id).values("space")
    return Space.objects.filter(partnership__in=partnerships).filter(
        Q(kind=SpaceKind.COMMUNITY) | Q(pk__in=mine) | Q(partnership__in=_led_ids(actor))
    )


def get_space_for(actor: Actor, pk: int) -> Space:
    """One visible space, or 404."""
    space = visible_spaces(actor).filter(pk=pk).select_related("owner_organisation").first()
    if space is None:
        raise Http404("No such space")
    return space


def membership_of(actor: Actor, space: Space) -> SpaceMember | None:
    """The person's membership of the space (active or asked for), if any."""
    if actor.person is None:
        return None
    return SpaceMember.objects.filter(space=space, person=actor.person).first()


def member_spaces(actor: Actor) -> QuerySet[Space]:
    """Spaces the person actively belongs to ("my spaces")."""
    return Space.objects.filter(pk__in=_memberships(actor).values("space"))


def readable_spaces(actor: Actor) -> QuerySet[Space]:
    """Spaces whose threads, posts and members the actor reads: those they actively belong to,
    and every space of a partnership they lead."""
    return Space.objects.filter(
        Q(pk__in=_memberships(actor).values("space")) | Q(partnership__in=_led_ids(actor))
    )


def may_read_space(actor: Actor, space: Space) -> bool:
    """An active member of the space, or the lead of its partnership."""
    return readable_spaces(actor).filter(pk=space.pk).exists()


def get_readable_space(actor: Actor, pk: int) -> Space:
    """A space whose discussion the actor reads; 403 for one only listed to them (a community
    they have not joined); 404 for any other."""
    space = get_space_for(actor, pk)
    if not may_read_space(actor, space):
        raise PermissionDenied
    return space


def get_active_membership(actor: Actor, pk: int) -> SpaceMember:
    """The person's active membership of a visible space (their subscription and reading
    marks); 403 for a space they see but do not actively belong to; 404 otherwise."""
    space = get_space_for(actor, pk)
    membership = _memberships(actor).filter(space=space).select_related("space").first()
    if membership is None:
        raise PermissionDenied
    return membership


def may_join(actor: Actor, space: Space) -> bool:
    """Someone acting for an organisation of the space's partnership joins (or asks to join) a
    community they are not yet in. Runs' and linked spaces' members are kept elsewhere."""
    if actor.person is None:
        return False
    if space.kind != SpaceKind.COMMUNITY or space.archived_at is not None:
        return False
    if space.partnership_id not in _partnership_ids(actor):
        return False
    return membership_of(actor, space) is None


def may_manage_space(actor: Actor, space: Space) -> bool:
    """The space's owner (who names its moderators and approves joiners), or the lead of its
    partnership."""
    if actor.person is None:
        return False
    if space.partnership_id not in _partnership_ids(actor):
        return False
    return space.owner_id == actor.person_id or space.partnership_id in _led_ids(actor)


def get_managed_space(actor: Actor, pk: int) -> Space:
    """A space the actor manages; 403 if only visible; 404 otherwise."""
    space = get_space_for(actor, pk)
    if not may_manage_space(actor, space):
        raise PermissionDenied
    return space


def may_start_community(actor: Actor) -> bool:
    """Anyone acting as a person for an organisation in a partnership starts a community."""
    return actor.person is not None and bool(_partnership_ids(actor))


def joinable_communities(actor: Actor) -> QuerySet[Space]:
    """Communities of the acting organisation's partnerships, not archived, that the person is
    neither in nor asked to join."""
    if actor.person is None:
        return Space.objects.none()
    mine = SpaceMember.objects.filter(person_id=actor.person_id).values("space")
    return (
        Space.objects.filter(partnership__in=_partnership_ids(actor))
        .filter(kind=SpaceKind.COMMUNITY)
        .filter(archived_at__isnull=True)
        .exclude(pk__in=mine)
    )


def requested_spaces(actor: Actor) -> QuerySet[Space]:
    """Communities the person has asked to join, awaiting the owner's answer."""
    if actor.person is None:
        return Space.objects.none()
    asked = SpaceMember.objects.filter(person_id=actor.person_id, status=MemberStatus.REQUESTED)
    return Space.objects.filter(partnership__in=_partnership_ids(actor)).filter(
        pk__in=asked.values("space")
    )


def get_membership(actor: Actor, pk: int) -> SpaceMember:
    """The person's membership (active or asked for) of a visible space, to leave it; 403 for a
    space they see but are not in; 404 otherwise."""
    space = get_space_for(actor, pk)
    membership = membership_of(actor, space)
    if membership is None:
        raise PermissionDenied
    membership.space = space
    return membership


def members_of(actor: Actor, space: Space) -> QuerySet[SpaceMember]:
    """A space's active members, with their names and organisations: only for those who read
    the space (its members and the partnership lead)."""
    if not may_read_space(actor, space):
        return SpaceMember.objects.none()
    return SpaceMember.objects.filter(space=space, status=MemberStatus.ACTIVE)


def get_join_request(actor: Actor, space_pk: int, pk: int) -> SpaceMember:
    """A request to join a space the actor manages (403 if only visible; 404 otherwise), or 404
    for a request that is not (or no longer) there."""
    space = get_managed_space(actor, space_pk)
    request = (
        SpaceMember.objects.filter(space=space, pk=pk, status=MemberStatus.REQUESTED)
        .select_related("person", "organisation")
        .first()
    )
    if request is None:
        raise Http404("No such request")
    request.space = space
    return request


def space_threads(actor: Actor, space: Space) -> QuerySet[Thread]:
    """The threads of a space the actor reads (none otherwise); hidden ones only for its
    moderators."""
    if not may_read_space(actor, space):
        return Thread.objects.none()
    threads = Thread.objects.filter(space=space)
    if may_moderate(actor, space):
        return threads
    return threads.filter(hidden_at__isnull=True)


def run_space_for(actor: Actor, run: Run) -> Space | None:
    """The run's discussion space, if it has one the actor sees (its members, the partnership
    lead)."""
    return visible_spaces(actor).filter(run=run).first()


def run_has_space(run: Run) -> bool:
    """Whether a run has a discussion space at all (its host is told, in it or not)."""
    return Space.objects.filter(run=run).exists()


# --- Threads and posts ---------------------------------------------------------------------------


def moderated_spaces(actor: Actor) -> QuerySet[Space]:
    """Spaces the actor moderates: those that name them a moderator, and every space of a
    partnership they lead."""
    return Space.objects.filter(
        Q(pk__in=_memberships(actor, moderator=True).values("space"))
        | Q(partnership__in=_led_ids(actor))
    )


def visible_threads(actor: Actor) -> QuerySet[Thread]:
    """Threads of readable spaces; a hidden one only in spaces the actor moderates."""
    return Thread.objects.filter(space__in=readable_spaces(actor)).filter(
        Q(hidden_at__isnull=True) | Q(space__in=moderated_spaces(actor))
    )


def member_threads(actor: Actor) -> QuerySet[Thread]:
    """Threads of the spaces the person actively belongs to ("my discussions", not every space
    a lead reads); a hidden one only in spaces they moderate."""
    spaces = list(_memberships(actor).values_list("space_id", flat=True))
    return Thread.objects.filter(space_id__in=spaces).filter(
        Q(hidden_at__isnull=True) | Q(space__in=moderated_spaces(actor))
    )


def get_thread_for(actor: Actor, pk: int) -> Thread:
    """One visible thread, or 404."""
    thread = visible_threads(actor).filter(pk=pk).select_related("space").first()
    if thread is None:
        raise Http404("No such thread")
    return thread


def visible_posts(actor: Actor) -> QuerySet[Post]:
    """Posts of visible threads; a hidden one only in spaces the actor moderates. (A post's space
    is its thread's, so this is `visible_threads` read through the post's own columns and its
    thread's row: a semi-join with every visible thread made PostgreSQL read them all.)"""
    return Post.objects.filter(space__in=readable_spaces(actor)).filter(
        Q(hidden_at__isnull=True, thread__hidden_at__isnull=True)
        | Q(space__in=moderated_spaces(actor))
    )


def thread_posts(actor: Actor, thread: Thread) -> QuerySet[Post]:
    """The posts of a thread fetched through `get_thread_for`: all of them for its space's
    moderators; for everyone else those not hidden (reading one thread, not every visible one)."""
    posts = Post.objects.filter(thread=thread)
    if may_moderate(actor, thread.space):
        return posts
    return posts.filter(hidden_at__isnull=True)


def get_post_for(actor: Actor, pk: int) -> Post:
    """One visible post, or 404."""
    post = visible_posts(actor).filter(pk=pk).select_related("thread", "space").first()
    if post is None:
        raise Http404("No such post")
    return post


def may_post_in(actor: Actor, space: Space) -> bool:
    """An active member writes in a space that is not archived."""
    if space.archived_at is not None:
        return False
    return _memberships(actor).filter(space=space).exists()


def may_reply(actor: Actor, thread: Thread) -> bool:
    """A member of its space replies to a thread that is neither locked nor hidden."""
    if thread.locked_at is not None or thread.hidden_at is not None:
        return False
    return may_post_in(actor, thread.space)


def may_edit_post(actor: Actor, post: Post) -> bool:
    """Its author edits or deletes a post that is neither deleted nor hidden, while still a
    member of its space."""
    if actor.person is None or post.author_id != actor.person_id:
        return False
    if post.deleted_at is not None or post.hidden_at is not None:
        return False
    return _memberships(actor).filter(space_id=post.space_id).exists()


def editable_posts(actor: Actor, space: Space, posts: list[Post]) -> set[int]:
    """The ids of those of `posts` (all of `space`) that may_edit_post allows, in one query for a
    page of them."""
    if actor.person is None or not posts:
        return set()
    if not _memberships(actor).filter(space=space).exists():
        return set()
    return {
        post.pk
        for post in posts
        if post.author_id == actor.person_id and post.deleted_at is None and post.hidden_at is None
    }


def get_own_post(actor: Actor, pk: int) -> Post:
    """A visible post the actor may edit or delete; 403 for someone else's."""
    post = get_post_for(actor, pk)
    if not may_edit_post(actor, post):
        raise PermissionDenied
    return post


def get_attachment_for(actor: Actor, pk: int) -> Attachment:
    """An attachment of a visible post that its author has not deleted, or 404."""
    attachment = (
        Attachment.objects.filter(pk=pk, post__in=visible_posts(actor), post__deleted_at=None)
        .select_related("post")
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


# --- Moderation ----------------------------------------------------------------------------------


def may_moderate(actor: Actor, space: Space) -> bool:
    """A moderator the space's owner named, or the lead of the space's partnership (worked out
    once per request and space)."""
    return remembered(
        actor,
        f"network.moderates.{space.pk}",
        lambda: moderated_spaces(actor).filter(pk=space.pk).exists(),
    )


def may_report(actor: Actor, post: Post) -> bool:
    """Anyone who reads a post (as a person) may report it, except its author."""
    if actor.person is None:
        return False
    return post.author_id != actor.person_id


def get_reportable_post(actor: Actor, pk: int) -> Post:
    """A visible post the actor may report; 403 for their own; 404 for one they do not read."""
    post = get_post_for(actor, pk)
    if not may_report(actor, post):
        raise PermissionDenied
    return post


def may_moderate_any(actor: Actor) -> bool:
    """The moderation page is for a partnership's lead (who moderates all its spaces, even
    before there are any) and for anyone a space names its moderator."""
    if _led_ids(actor):
        return True
    return moderated_spaces(actor).exists()


def get_moderated_post(actor: Actor, pk: int) -> Post:
    """A visible post in a space the actor moderates; 403 if only read; 404 otherwise."""
    post = get_post_for(actor, pk)
    if not may_moderate(actor, post.space):
        raise PermissionDenied
    return post


def get_moderated_thread(actor: Actor, pk: int) -> Thread:
    """A visible thread in a space the actor moderates; 403 if only read; 404 otherwise."""
    thread = get_thread_for(actor, pk)
    if not may_moderate(actor, thread.space):
        raise PermissionDenied
    return thread


def get_moderated_space(actor: Actor, pk: int) -> Space:
    """A visible space the actor moderates (its moderation log); 403 if only visible."""
    space = get_space_for(actor, pk)
    if not may_moderate(actor, space):
        raise PermissionDenied
    return space


def moderated_reports(actor: Actor) -> QuerySet[Report]:
    """Reports (open or decided) of posts in spaces the actor moderates: only moderators see
    reports, so anyone else is told nothing of them."""
    return Report.objects.filter(post__space__in=moderated_spaces(actor))


def get_moderated_report(actor: Actor, pk: int) -> Report:
    """One report the actor decides on, or 404."""
    report = (
        moderated_reports(actor)
        .filter(pk=pk)
        .select_related("post__thread", "post__space", "post__author")
        .first()
    )
    if report is None:
        raise Http404("No such report")
    return report


# --- Initiatives ---------------------------------------------------------------------------------

INITIATIVE_EDITOR_ROLES = (OrganisationRole.ORG_ADMIN, OrganisationRole.LD_LEAD)


def visible_initiatives(actor: Actor) -> QuerySet[Initiative]:
    """Initiatives of the acting organisation's partnerships."""
    if actor.organisation is None:
        return Initiative.objects.none()
    return Initiative.objects.filter(partnership__in=_partnership_ids(actor))


def get_initiative_for(actor: Actor, pk: int) -> Initiative:
    """One visible initiative, or 404."""
    initiative = (
        visible_initiatives(actor).filter(pk=pk).select_related("owner_organisation").first()
    )
    if initiative is None:
        raise Http404("No such initiative")
    return initiative


def may_record_initiative(actor: Actor) -> bool:
    """Anyone acting as a person for an organisation in a partnership records an initiative."""
    return actor.person is not None and bool(_partnership_ids(actor))


def may_edit_initiative(actor: Actor, initiative: Initiative) -> bool:
    """The person who recorded it; an organisation admin or L&D lead acting for its owner; the
    lead of its partnership."""
    if actor.person is None:
        return False
    if initiative.created_by_id == actor.person_id:
        return True
    if initiative.partnership_id in _led_ids(actor):
        return True
    if actor.organisation_id != initiative.owner_organisation_id:
        return False
    return any(has_role(actor, role) for role in INITIATIVE_EDITOR_ROLES)


def get_editable_initiative(actor: Actor, pk: int) -> Initiative:
    """An initiative the actor may change; 403 if only visible."""
    initiative = get_initiative_for(actor, pk)
    if not may_edit_initiative(actor, initiative):
        raise PermissionDenied
    return initiative


def may_curate_missions(actor: Actor, partnership: Partnership) -> bool:
    """The lead of the partnership curates its missions vocabulary."""
    return partnership.pk in _led_ids(actor)


def curated_partnerships(actor: Actor) -> QuerySet[Partnership]:
    """Partnerships whose missions the actor curates."""
    return led_partnerships(actor)


def member_organisations(partnership: Partnership) -> QuerySet[Organisation]:
    """Organisations with an open membership of the partnership: the partners an initiative of
    it may list by name from the directory."""
    return Organisation.objects.filter(
        pk__in=open_memberships().filter(partnership=partnership).values("organisation")
    )


def sponsor_people(actor: Actor) -> QuerySet[Person]:
    """People currently working for the acting organisation: who may be named as a sponsor."""
    if actor.organisation is None:
        return Person.objects.none()
    return Person.objects.filter(
        pk__in=Employment.objects.current().filter(organisation=actor.organisation).values("person")
    )


def visible_missions(actor: Actor) -> QuerySet[Mission]:
    """Missions (retired ones too) of the acting organisation's partnerships."""
    if actor.organisation is None:
        return Mission.objects.none()
    return Mission.objects.filter(partnership__in=_partnership_ids(actor))


def get_curated_mission(actor: Actor, pk: int) -> Mission:
    """A mission the actor curates (as lead of its partnership); 403 if only visible; else 404."""
    mission = visible_missions(actor).filter(pk=pk).select_related("partnership").first()
    if mission is None:
        raise Http404("No such mission")
    if not may_curate_missions(actor, mission.partnership):
        raise PermissionDenied
    return mission


# --- Reviews and spread --------------------------------------------------------------------------


def may_review(actor: Actor, initiative: Initiative) -> bool:
    """A partner involved writes a learning review: someone acting for its owner organisation or
    for an organisation listed among its partners; and the lead of its partnership."""
    if actor.person is None or actor.organisation is None:
        return False
    if initiative.partnership_id in _led_ids(actor):
        return True
    if actor.organisation_id == initiative.owner_organisation_id:
        return True
    return initiative.partners.filter(organisation_id=actor.organisation_id).exists()


def may_adopt(actor: Actor, initiative: Initiative) -> bool:
    """Someone acting for another organisation of the initiative's partnership records that
    their organisation adopted it (once)."""
    if actor.person is None or actor.organisation is None:
        return False
    if initiative.partnership_id not in _partnership_ids(actor):
        return False
    if actor.organisation_id == initiative.owner_organisation_id:
        return False
    return not initiative.adoptions.filter(organisation_id=actor.organisation_id).exists()


def get_review_for(actor: Actor, pk: int) -> LearningReview:
    """A learning review of a visible initiative, or 404."""
    review = (
        LearningReview.objects.filter(pk=pk, initiative__in=visible_initiatives(actor))
        .select_related("initiative", "organisation", "author")
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def may_edit_review(actor: Actor, review: LearningReview) -> bool:
    """Its author, or the lead of its initiative's partnership."""
    if actor.person is None:
        return False
    if review.author_id == actor.person_id:
        return True
    return review.initiative.partnership_id in _led_ids(actor)


def get_editable_review(actor: Actor, pk: int) -> LearningReview:
    """A review the actor may change; 403 if only visible."""
    review = get_review_for(actor, pk)
    if not may_edit_review(actor, review):
        raise PermissionDenied
    return review


def get_adoption_for(actor: Actor, pk: int) -> Adoption:
    """An adoption of a visible initiative, or 404."""
    adoption = (
        Adoption.objects.filter(pk=pk, initiative__in=visible_initiatives(actor))
        .select_related("initiative", "organisation")
        .first()
    )
    if adoption is None:
        raise Http404("No such adoption")
    return adoption


def may_edit_adoption(actor: Actor, adoption: Adoption) -> bool:
    """Whoever recorded it while acting for the adopting organisation; an organisation admin or
    L&D lead acting for the adopting organisation; the lead of the initiative's partnership."""
    if actor.person is None:
        return False
    if adoption.initiative.partnership_id in _led_ids(actor):
        return True
    if actor.organisation_id != adoption.organisation_id:
        return False
    if adoption.recorded_by_id == actor.person_id:
        return True
    return any(has_role(actor, role) for role in INITIATIVE_EDITOR_ROLES)


def get_editable_adoption(actor: Actor, pk: int) -> Adoption:
    """An adoption the actor may change; 403 if only visible."""
    adoption = get_adoption_for(actor, pk)
    if not may_edit_adoption(actor, adoption):
        raise PermissionDenied
    return adoption


# --- Public --------------------------------------------------------------------------------------


def public_initiatives() -> QuerySet[Initiative]:
    """Initiatives marked public: their summaries are open to anyone, signed in or not."""
    return Initiative.objects.filter(is_public=True)


def get_public_initiative(pk: int) -> Initiative:
    """One public initiative, or 404."""
    initiative = public_initiatives().filter(pk=pk).select_related("owner_organisation").first()
    if initiative is None:
        raise Http404("No such initiative")
    return initiative
