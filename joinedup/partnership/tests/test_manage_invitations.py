"""One person across employers: an admin invites someone who already has an account.

Given Pat works at the partner trust and has a Joined Up account, when Barnet's admin adds Pat by
that e-mail address, Pat gets an invitation; when Pat accepts it while signed in, the Barnet job
joins Pat's own history (no second person) and Pat can act for either employer.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from joinedup.partnership.models import AuditEvent, Employment, Invitation, Person
from joinedup.partnership.tests.manage_helpers import assert_status, date_parts


@pytest.fixture
def invite_pat(client_for, world, django_capture_on_commit_callbacks):
    """Barnet's admin adds Pat (partner staff) by Pat's existing address; returns the link."""
    data = {
        "email": "pat.staff@lnwh.test",
        "given_name": "Pat",
        "family_name": "Staff",
        "job_title": "Hospital discharge social worker",
        "grade": str(world.own.grades.get(name="PO3").pk),
        "kind": "joint_post",
        "employee_number": "B-2002",
        "line_manager": "lena.manager@barnet.test",
        **date_parts("start_date", dt.date(2025, 1, 6)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("own_admin").post(
            reverse("partnership:add-person", args=[world.own.pk]), data, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse(
        "partnership:manage-people", args=[world.own.pk]
    )
    assert "We have emailed them an invitation" in response.text
    link = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[-1].body).group(1)
    return link


def test_partner_staff_accepts_an_invitation_and_works_for_both(client_for, world, invite_pat):
    people_before = Person.objects.count()
    pat = world.partner_staff
    invitation = Invitation.objects.get()
    assert invitation.email == "pat.staff@lnwh.test"
    assert mail.outbox[-1].to == ["pat.staff@lnwh.test"]
    assert world.own.name in mail.outbox[-1].subject
    sent = AuditEvent.objects.get(action="invitation.sent")
    assert (sent.actor, sent.organisation, sent.changes) == (
        world.own_admin,
        world.own,
        {"person": pat.pk},
    )
    assert not Employment.objects.filter(person=pat, organisation=world.own).exists()

    client = client_for("partner_staff")
    page = client.get(invite_pat)
    assert page.status_code == 200
    assert "Accept your invitation to London Borough of Barnet" in page.text
    assert "Hospital discharge social worker" in page.text
    assert "6 January 2025" in page.text

    accepted = client.post(invite_pat, follow=True)
    assert accepted.redirect_chain[-1][0] == reverse("partnership:home")
    assert (
        "You work at London Borough of Barnet too. You can choose it under ‘Act for’ now"
        in accepted.text
    )

    assert Person.objects.count() == people_before
    employment = Employment.objects.get(person=pat, organisation=world.own)
    assert employment.job_title == "Hospital discharge social worker"
    assert (employment.kind, employment.seniority, employment.employee_number) == (
        "joint_post",
        5,
        "B-2002",
    )
    assert employment.line_manager == world.employments["own_line_manager"]
    current = Employment.objects.current().filter(person=pat)
    assert set(current.values_list("organisation", flat=True)) == {world.partner.pk, world.own.pk}
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.employment == employment
    event = AuditEvent.objects.get(action="invitation.accepted")
    assert (event.actor, event.acting_for, event.organisation) == (pat, world.own, world.own)

    switched = client.post(
        reverse("partnership:switch-organisation"),
        {"organisation": world.own.pk, "next": "/"},
        follow=True,
    )
    assert '<strong id="acting-organisation">London Borough of Barnet</strong>' in switched.text
    assert 'id="switch-organisation"' in switched.text


def test_invitation_link_works_only_once(client_for, world, invite_pat):
    client = client_for("partner_staff")
    client.post(invite_pat)
    assert client.get(invite_pat).status_code == 404
    assert client.post(invite_pat).status_code == 404
    assert (
        Employment.objects.filter(person=world.partner_staff, organisation=world.own).count() == 1
    )


@pytest.mark.parametrize("persona", ["own_staff", "partner_admin", "outsider"])
def test_someone_else_cannot_use_the_invitation(client_for, world, invite_pat, persona):
    client = client_for(persona)
    assert client.get(invite_pat).status_code == 404
    assert client.post(invite_pat).status_code == 404
    assert Invitation.objects.get().accepted_at is None
    assert not AuditEvent.objects.filter(action="invitation.accepted").exists()


def test_anonymous_visitor_is_asked_to_sign_in_first(client_for, world, invite_pat):
    response = client_for("anonymous").get(invite_pat)
    assert_status(response, 302)
    assert "next=/invitations/" in response.url


def test_made_up_invitation_link_is_not_found(client_for, world):
    url = reverse("partnership:accept-invitation", args=["not-a-real-token"])
    assert client_for("partner_staff").get(url).status_code == 404


def test_invitation_is_refused_when_the_employee_number_was_taken_meanwhile(
    client_for, world, invite_pat
):
    employment = world.employments["own_staff"]
    employment.employee_number = "B-2002"
    employment.save()
    response = client_for("partner_staff").post(invite_pat)
    assert response.status_code == 200
    assert "Someone else here already has this employee number" in response.text
    assert not Employment.objects.filter(
        person=world.partner_staff, organisation=world.own
    ).exists()
    assert Invitation.objects.get().accepted_at is None


def test_job_starting_later_says_when_it_can_be_chosen(client_for, world, invite_pat):
    Invitation.objects.update(start_date=dt.date(2099, 6, 1))
    response = client_for("partner_staff").post(invite_pat, follow=True)
    assert "You can choose it under ‘Act for’ from 1 June 2099" in response.text
    assert not Employment.objects.current().filter(
        person=world.partner_staff, organisation=world.own
    )
