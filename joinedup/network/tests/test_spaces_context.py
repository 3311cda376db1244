"""Linked spaces: the interface other apps (apprenticeships' module and cohort boards) use to keep
a space for one of their objects, with exactly the members they say."""

from __future__ import annotations

import pytest

from joinedup.network import access, spaces
from joinedup.network.models import Space, SpaceKind, SpaceMember
from joinedup.partnership.models import AuditEvent


def _board(world, **kwargs) -> Space:
    fields = {
        "partnership": world.partnership,
        "owner_organisation": world.own,
        "kind": "test.module",
        "object_id": 42,
        "label": "Module 3: Safeguarding",
    } | kwargs
    return spaces.context_space(**fields)


def _members(space) -> set[tuple[int, int, bool]]:
    return set(
        SpaceMember.objects.filter(space=space).values_list(
            "person_id", "organisation_id", "is_moderator"
        )
    )


def test_a_context_space_is_made_once_and_keeps_its_label_and_title_current(world):
    board = _board(world)
    assert board.kind == SpaceKind.CONTEXT
    assert (board.context_kind, board.context_id) == ("test.module", "42")
    assert board.title == "Module 3: Safeguarding"
    again = _board(world, label="Module 3: Safeguarding adults", title="Safeguarding board")
    assert again.pk == board.pk
    board.refresh_from_db()
    assert (board.context_label, board.title) == (
        "Module 3: Safeguarding adults",
        "Safeguarding board",
    )
    assert _board(world, label="Module 3: Safeguarding adults").title == "Safeguarding board"
    assert Space.objects.count() == 1
    assert AuditEvent.objects.filter(action="space.linked").count() == 1
    assert _board(world, object_id=43).pk != board.pk


def test_a_context_needs_a_kind_and_an_id(world):
    with pytest.raises(ValueError):
        _board(world, kind="")
    with pytest.raises(ValueError):
        _board(world, object_id="x" * 65)


def test_setting_members_replaces_the_list_exactly_and_is_idempotent(world):
    board = _board(world)
    spaces.set_context_members(
        board,
        [(world.own_staff, world.own), (world.partner_staff, world.partner)],
        moderators=[world.own_staff],
    )
    assert _members(board) == {
        (world.own_staff.pk, world.own.pk, True),
        (world.partner_staff.pk, world.partner.pk, False),
    }
    assert not spaces.set_context_members(
        board,
        [(world.own_staff, world.own), (world.partner_staff, world.partner)],
        moderators=[world.own_staff],
    )
    changes = spaces.set_context_members(
        board, [(world.partner_staff, world.partner), (world.own_admin, world.own)]
    )
    assert (changes.added, changes.removed) == (1, 1)
    assert _members(board) == {
        (world.partner_staff.pk, world.partner.pk, False),
        (world.own_admin.pk, world.own.pk, False),
    }
    spaces.set_context_members(board, [])
    assert not SpaceMember.objects.filter(space=board).exists()


def test_members_of_a_context_space_read_it_and_others_do_not_see_it(world):
    board = _board(world)
    spaces.set_context_members(board, [(world.partner_staff, world.partner)])
    assert access.may_read_space(world.actor("partner_staff"), board)
    assert not access.visible_spaces(world.actor("own_staff")).filter(pk=board.pk).exists()
    assert access.may_read_space(world.actor("partnership_lead"), board)


def test_moderators_must_be_members_and_only_linked_spaces_take_a_list(world):
    board = _board(world)
    with pytest.raises(ValueError):
        spaces.set_context_members(
            board, [(world.own_staff, world.own)], moderators=[world.partner_staff]
        )
    community = spaces.start_community(actor=world.actor("own_staff"), title="Open")
    with pytest.raises(ValueError):
        spaces.set_context_members(community, [(world.own_staff, world.own)])
