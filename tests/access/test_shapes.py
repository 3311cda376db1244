"""The small language of the declarations says what it means and refuses what it cannot mean."""

from __future__ import annotations

import pytest

from .declarations.shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    grid,
    org_admin,
    route,
    signed_in,
)

pytestmark = pytest.mark.matrix


def test_org_admin_lets_in_only_the_admin_of_the_objects_organisation():
    answers = org_admin()
    assert answers("own_admin", "own") == OK
    assert answers("own_admin", "partner") == FORBIDDEN
    assert answers("partner_admin", "own") == FORBIDDEN
    assert answers("outsider", "own") == NOT_FOUND
    assert answers("outsider", "outsider") == OK
    assert answers("anonymous", "own") == LOGIN


def test_but_changes_only_the_cells_it_names():
    answers = signed_in().but({"own_staff": "403", ("outsider", "own"): 404})
    assert answers("own_staff", "partner") == FORBIDDEN
    assert answers("outsider", "own") == NOT_FOUND
    assert answers("outsider", "partner") == OK
    assert answers("anonymous", "own") == LOGIN


def test_but_refuses_a_persona_it_does_not_know():
    with pytest.raises(ValueError, match="unknown cell"):
        signed_in().but({"own_stafff": 200})


def test_a_grid_reads_one_row_per_persona():
    answers = grid(
        """
                          own    outsider
        own_staff         200    404
        own_line_manager  403    404
        own_admin         200    404
        own_ld_lead       403    404
        own_levy_officer  403    404
        partner_staff     404    404
        partner_admin     404    404
        partner_ld_lead   404    404
        partnership_lead  302    404
        outsider          404    200
        anonymous         login  login
        mentoring_lead    404    404
        space_moderator   404    404
        programme_leader  404    404
        practice_tutor    404    404
        apprentice        200    404
        """
    )
    assert answers("own_line_manager", "own") == FORBIDDEN
    assert answers("outsider", "outsider") == OK
    assert answers("anonymous", "outsider") == LOGIN
    assert answers("partnership_lead", "own").to is None


def test_a_grid_missing_a_persona_is_refused():
    with pytest.raises(ValueError, match="lacks rows"):
        grid(
            """
                    none
            own_staff  200
            """
        )


def test_methods_a_route_does_not_declare_answer_405_after_sign_in():
    declared = route(GET=signed_in())
    assert declared.expected("GET", "own_staff", "none") == OK
    assert declared.expected("DELETE", "own_staff", "none") == NOT_ALLOWED
    assert declared.expected("DELETE", "anonymous", "none") == LOGIN
    assert route(public=True, GET=signed_in()).expected("DELETE", "anonymous", "none") == 405


def test_a_route_refuses_a_method_it_does_not_know():
    with pytest.raises(ValueError, match="unknown methods"):
        route(FETCH=signed_in())
