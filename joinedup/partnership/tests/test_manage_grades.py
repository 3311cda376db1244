"""The grade table: each organisation maps its own grade names to seniority 1-9."""

from __future__ import annotations

import pytest
from django.urls import reverse

from joinedup.partnership.models import AuditEvent, Employment, Grade
from joinedup.partnership.tests.factories import EmploymentFactory, GradeFactory
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for


def grades_url(world) -> str:
    return reverse("partnership:manage-grades", args=[world.own.pk])


def add_url(world) -> str:
    return reverse("partnership:add-grade", args=[world.own.pk])


def edit_url(world, grade: Grade) -> str:
    return reverse("partnership:edit-grade", args=[world.own.pk, grade.pk])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("partner_admin", 403),
        ("partnership_lead", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_own_admin_sees_the_grade_pages(client_for, world, persona, expected):
    client = client_for(persona)
    grade = world.own.grades.get(name="PO3")
    for url in (grades_url(world), add_url(world), edit_url(world, grade)):
        assert_status(client.get(url), expected)


def test_grade_table_lists_own_grades_with_constant_queries(client_for, world):
    GradeFactory(organisation=world.partner, name="Band 7", seniority=7)
    client = client_for("own_admin")
    page = client.get(grades_url(world)).text
    assert "Scale 6" in page and "PO3" in page
    assert "Band 7" not in page
    small = queries_for(client, grades_url(world))
    for level in range(1, 10):
        GradeFactory(organisation=world.own, name=f"Grade {level}", seniority=level)
    assert queries_for(client, grades_url(world)) == small


def test_admin_adds_a_grade(client_for, world):
    response = client_for("own_admin").post(
        add_url(world), {"name": " Chief officer ", "seniority": "9"}, follow=True
    )
    assert response.redirect_chain[-1][0] == grades_url(world)
    assert "Grade Chief officer has been saved" in response.text
    grade = Grade.objects.get(organisation=world.own, name="Chief officer")
    assert grade.seniority == 9
    event = AuditEvent.objects.get(action="grade.saved")
    assert (event.object_id, event.changes, event.organisation) == (
        str(grade.pk),
        {"seniority": 9},
        world.own,
    )


def test_changing_a_grade_moves_everyone_on_it(client_for, world):
    grade = world.own.grades.get(name="PO3")
    on_grade = EmploymentFactory(organisation=world.own, grade=grade, seniority=5)
    response = client_for("own_admin").post(
        edit_url(world, grade), {"name": "PO3", "seniority": "6"}
    )
    assert response.status_code == 302
    grade.refresh_from_db()
    on_grade.refresh_from_db()
    assert (grade.seniority, on_grade.seniority) == (6, 6)
    assert AuditEvent.objects.filter(action="grade.saved", object_id=str(grade.pk)).exists()


def test_edit_form_starts_with_the_grade(client_for, world):
    grade = world.own.grades.get(name="PO3")
    page = client_for("own_admin").get(edit_url(world, grade)).text
    assert 'value="PO3"' in page
    assert '<option value="5" selected>5 (middle)</option>' in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "po3", "seniority": "4"},
            "name",
            "Your grade table already has a grade with this name",
        ),
        ({"name": "New", "seniority": "10"}, "seniority", "Choose a seniority from 1 to 9"),
        ({"name": "New", "seniority": "0"}, "seniority", "Choose a seniority from 1 to 9"),
        ({"name": "New", "seniority": ""}, "seniority", "Choose a seniority from 1 to 9"),
        ({"name": "  ", "seniority": "4"}, "name", "Enter the grade name"),
    ],
)
def test_bad_grade_is_named_and_nothing_is_written(client_for, world, data, field, message):
    response = client_for("own_admin").post(add_url(world), data)
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert Grade.objects.filter(organisation=world.own).count() == 2
    assert not AuditEvent.objects.exists()


def test_renaming_onto_another_grade_is_refused(client_for, world):
    grade = world.own.grades.get(name="PO3")
    response = client_for("own_admin").post(
        edit_url(world, grade), {"name": "SCALE 6", "seniority": "5"}
    )
    assert "Your grade table already has a grade with this name" in response.text
    grade.refresh_from_db()
    assert grade.name == "PO3"
    assert not AuditEvent.objects.exists()


def test_another_organisations_grade_is_not_found_through_own_pages(client_for, world):
    theirs = GradeFactory(organisation=world.partner, name="Band 5", seniority=5)
    client = client_for("own_admin")
    assert client.get(edit_url(world, theirs)).status_code == 404
    assert (
        client.post(edit_url(world, theirs), {"name": "Hacked", "seniority": "1"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert (theirs.name, theirs.seniority) == ("Band 5", 5)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 403), ("partner_admin", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_others_cannot_add_or_change_grades(client_for, world, persona, expected):
    grade = world.own.grades.get(name="PO3")
    client = client_for(persona)
    assert_status(client.post(add_url(world), {"name": "New", "seniority": "2"}), expected)
    assert_status(client.post(edit_url(world, grade), {"name": "PO3", "seniority": "9"}), expected)
    grade.refresh_from_db()
    assert grade.seniority == 5
    assert Grade.objects.filter(organisation=world.own).count() == 2
    assert not Employment.objects.filter(seniority=9).exists()
