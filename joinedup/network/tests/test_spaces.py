"""Communities and membership: the rules of joining, approval, leaving, moderators, editing and
archiving (services)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.network import access, spaces
from joinedup.network.models import MemberStatus, SpaceKind, SpaceMember
from joinedup.network.tests.factories import SpaceFactory, SpaceMemberFactory
from joinedup.partnership import notifications
from joinedup.partnership.models import AuditEvent


def _community(world, join_approval: bool = False, owner: str = "own_staff"):
    return spaces.start_community(
        actor=world.actor(owner),
        title="Reflective supervision",
        description="Practice and questions.",
        join_approval=join_approval,
    )


def test_the_starter_owns_and_moderates_a_new_community_of_their_partnership(world):
    space = _community(world)
    assert space.kind == SpaceKind.COMMUNITY
    assert space.partnership == world.partnership
    assert space.owner == world.own_staff
    assert space.owner_organisation == world.own
    member = SpaceMember.objects.get(space=space)
    assert (member.person, member.organisation) == (world.own_staff, world.own)
    assert member.is_moderator and member.status == MemberStatus.ACTIVE
    assert AuditEvent.objects.filter(action="space.started", object_id=str(space.pk)).exists()


def test_a_community_needs_a_title_and_strips_invisible_characters(world):
    with pytest.raises(ValidationError) as refused:
        spaces.start_community(actor=world.actor("own_staff"), title=" \u202e\x07 ")
    assert refused.value.message_dict == {"title": ["Enter a title"]}
    with pytest.raises(ValidationError) as refused:
        spaces.start_community(actor=world.actor("own_staff"), title="x" * 201)
    assert "title" in refused.value.message_dict
    space = spaces.start_community(actor=world.actor("own_staff"), title="Safe\u202e  title\n")
    assert space.title == "Safe title"


def test_joining_an_open_community_makes_an_active_member_at_once(world):
    space = _community(world)
    member = spaces.join(actor=world.actor("partner_staff"), space=space)
    assert member.status == MemberStatus.ACTIVE
    assert member.organisation == world.partner
    assert access.may_read_space(world.actor("partner_staff"), space)


def test_joining_a_community_with_approval_asks_and_tells_the_owner(
    world, django_capture_on_commit_callbacks
):
    space = _community(world, join_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        member = spaces.join(actor=world.actor("partner_staff"), space=space)
    assert member.status == MemberStatus.REQUESTED
    assert not access.may_read_space(world.actor("partner_staff"), space)
    [message] = mail.outbox
    assert message.to == [world.own_staff.email]
    assert "asks to join Reflective supervision" in message.subject
    assert f"/network/spaces/{space.pk}/requests/" in message.body


def test_nobody_joins_twice_or_from_another_partnership(world):
    space = _community(world)
    spaces.join(actor=world.actor("partner_staff"), space=space)
    with pytest.raises(ValidationError):
        spaces.join(actor=world.actor("partner_staff"), space=space)
    with pytest.raises(PermissionDenied):
        spaces.join(actor=world.actor("outsider"), space=space)


def test_nobody_joins_a_run_or_linked_space_or_an_archived_community(world):
    for kind in (SpaceKind.CONTEXT,):
        linked = SpaceFactory(
            partnership=world.partnership, kind=kind, context_kind="test.module", context_id="1"
        )
        with pytest.raises(PermissionDenied):
            spaces.join(actor=world.actor("partner_staff"), space=linked)
    space = _community(world)
    spaces.archive_space(actor=world.actor("own_staff"), space=space)
    with pytest.raises(PermissionDenied):
        spaces.join(actor=world.actor("partner_staff"), space=space)


def test_the_owner_or_the_lead_approves_a_request_and_the_person_is_told(
    world, django_capture_on_commit_callbacks
):
    space = _community(world, join_approval=True)
    member = spaces.join(actor=world.actor("partner_staff"), space=space)
    with pytest.raises(PermissionDenied):
        spaces.approve_request(actor=world.actor("partner_admin"), space=space, member=member)
    with django_capture_on_commit_callbacks(execute=True):
        spaces.approve_request(actor=world.actor("partnership_lead"), space=space, member=member)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert mail.outbox[-1].to == [world.partner_staff.email]
    assert "You have joined" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):
        spaces.approve_request(actor=world.actor("own_staff"), space=space, member=member)


def test_a_failed_email_leaves_the_request_approved(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    space = _community(world, join_approval=True)
    member = spaces.join(actor=world.actor("partner_staff"), space=space)

    def fail(**_message):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr(notifications, "send_email", fail)
    with django_capture_on_commit_callbacks(execute=True):
        spaces.approve_request(actor=world.actor("partnership_lead"), space=space, member=member)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert mail.outbox == []


def test_a_refused_request_is_gone_and_the_person_may_ask_again(
    world, django_capture_on_commit_callbacks
):
    space = _community(world, join_approval=True)
    member = spaces.join(actor=world.actor("partner_staff"), space=space)
    with django_capture_on_commit_callbacks(execute=True):
        spaces.refuse_request(actor=world.actor("own_staff"), space=space, member=member)
    assert not SpaceMember.objects.filter(pk=member.pk).exists()
    assert "was not approved" in mail.outbox[-1].body
    assert spaces.join(actor=world.actor("partner_staff"), space=space).status == "requested"


def test_a_member_leaves_a_community_but_the_owner_cannot(world):
    space = _community(world)
    spaces.join(actor=world.actor("partner_staff"), space=space)
    spaces.leave(actor=world.actor("partner_staff"), space=space)
    assert access.membership_of(world.actor("partner_staff"), space) is None
    with pytest.raises(ValidationError, match="You own this space"):
        spaces.leave(actor=world.actor("own_staff"), space=space)
    with pytest.raises(PermissionDenied):
        spaces.leave(actor=world.actor("partner_staff"), space=space)


def test_nobody_leaves_a_space_whose_members_are_kept_elsewhere(world):
    linked = SpaceFactory(
        partnership=world.partnership,
        kind=SpaceKind.CONTEXT,
        context_kind="test.module",
        context_id="7",
    )
    SpaceMemberFactory(space=linked, person=world.partner_staff, organisation=world.partner)
    with pytest.raises(ValidationError, match="cannot leave"):
        spaces.leave(actor=world.actor("partner_staff"), space=linked)


def test_the_owner_names_and_removes_moderators_among_active_members(world):
    space = _community(world)
    spaces.join(actor=world.actor("partner_staff"), space=space)
    spaces.name_moderator(actor=world.actor("own_staff"), space=space, person=world.partner_staff)
    assert access.may_moderate(world.actor("partner_staff"), space)
    with pytest.raises(ValidationError) as refused:
        spaces.name_moderator(
            actor=world.actor("own_staff"), space=space, person=world.partner_staff
        )
    assert "already a moderator" in refused.value.message_dict["person"][0]
    spaces.remove_moderator(
        actor=world.actor("partnership_lead"), space=space, person=world.partner_staff
    )
    assert not access.may_moderate(world.actor("partner_staff"), space)


def test_only_active_members_become_moderators_and_only_managers_name_them(world):
    space = _community(world, join_approval=True)
    spaces.join(actor=world.actor("partner_staff"), space=space)  # only asked
    with pytest.raises(ValidationError) as refused:
        spaces.name_moderator(
            actor=world.actor("own_staff"), space=space, person=world.partner_staff
        )
    assert refused.value.message_dict == {"person": ["Choose a member of this space"]}
    with pytest.raises(ValidationError):
        spaces.name_moderator(actor=world.actor("own_staff"), space=space, person=world.own_admin)
    with pytest.raises(PermissionDenied):
        spaces.name_moderator(
            actor=world.actor("partner_staff"), space=space, person=world.own_staff
        )


def test_editing_changes_title_description_and_join_approval(world):
    space = _community(world)
    spaces.edit_space(
        actor=world.actor("own_staff"),
        space=space,
        title="Supervision",
        description="New words",
        join_approval=True,
    )
    space.refresh_from_db()
    assert (space.title, space.description, space.join_approval) == (
        "Supervision",
        "New words",
        True,
    )
    with pytest.raises(ValidationError) as refused:
        spaces.edit_space(actor=world.actor("own_staff"), space=space, title="", description="")
    assert "title" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        spaces.edit_space(
            actor=world.actor("partner_staff"), space=space, title="Mine", description=""
        )


def test_archiving_stops_posting_once_and_is_for_the_owner_or_the_lead(world):
    space = _community(world)
    with pytest.raises(PermissionDenied):
        spaces.archive_space(actor=world.actor("partner_staff"), space=space)
    spaces.archive_space(actor=world.actor("partnership_lead"), space=space)
    space.refresh_from_db()
    assert space.archived_at is not None
    assert not access.may_post_in(world.actor("own_staff"), space)
    assert access.may_read_space(world.actor("own_staff"), space)
    with pytest.raises(ValidationError, match="already archived"):
        spaces.archive_space(actor=world.actor("own_staff"), space=space)
