"""The rules the admin services keep even when called without the pages' forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.partnership import services
from joinedup.partnership.models import AuditEvent, Destination, Employment, OrganisationRoleGrant
from joinedup.partnership.tests.factories import EmploymentFactory, GradeFactory


def test_leaver_destination_must_be_from_the_vocabulary(world):
    with pytest.raises(ValidationError) as refused:
        services.record_leaver(
            actor=world.actor("own_admin"),
            employment=world.employments["own_staff"],
            end_date=dt.date(2025, 5, 1),
            leaving_reason="Moved",
            destination="abroad",
        )
    assert "destination" in refused.value.error_dict
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("where", ["outsider_org", "own"])
def test_leaver_can_only_go_to_a_partner_organisation(world, where):
    with pytest.raises(ValidationError) as refused:
        services.record_leaver(
            actor=world.actor("own_admin"),
            employment=world.employments["own_staff"],
            end_date=dt.date(2025, 5, 1),
            leaving_reason="Moved",
            destination=Destination.PARTNER,
            destination_organisation=getattr(world, where),
        )
    assert refused.value.message_dict == {
        "destination_organisation": ["Choose a partner organisation"]
    }
    assert Employment.objects.get(pk=world.employments["own_staff"].pk).end_date is None


def test_leaver_who_has_already_left_cannot_leave_again(world):
    left = EmploymentFactory(
        organisation=world.own,
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2020, 1, 1),
        destination=Destination.RETIRED,
    )
    with pytest.raises(ValidationError, match="already left"):
        services.record_leaver(
            actor=world.actor("own_admin"),
            employment=left,
            end_date=dt.date(2024, 1, 1),
            leaving_reason="",
            destination=Destination.UNKNOWN,
        )


def test_ended_job_cannot_be_changed(world):
    ended = EmploymentFactory(
        organisation=world.own, start_date=dt.date(2019, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="has an end date"):
        services.change_job(
            actor=world.actor("own_admin"),
            employment=ended,
            job_title="New",
            grade=None,
            start_date=dt.date(2024, 1, 1),
        )
    assert Employment.objects.filter(person=ended.person).count() == 1


def test_services_refuse_someone_who_is_not_the_admin(world):
    with pytest.raises(PermissionDenied):
        services.add_person(
            actor=world.actor("own_staff"),
            email="x@example.test",
            given_name="X",
            family_name="Y",
            job_title="Z",
            start_date=dt.date(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.record_leaver(
            actor=world.actor("partner_admin"),
            employment=world.employments["own_staff"],
            end_date=dt.date(2025, 5, 1),
            leaving_reason="",
            destination=Destination.UNKNOWN,
        )
    assert not AuditEvent.objects.exists()


def test_add_person_refuses_another_organisations_grade_and_manager(world):
    for extra in (
        {"grade": GradeFactory(organisation=world.partner)},
        {"line_manager": world.employments["partner_admin"]},
    ):
        with pytest.raises(ValidationError):
            services.add_person(
                actor=world.actor("own_admin"),
                email="new@barnet.test",
                given_name="N",
                family_name="N",
                job_title="J",
                start_date=dt.date(2025, 1, 1),
                **extra,
            )
    assert not Employment.objects.filter(work_email="new@barnet.test").exists()


def test_organisation_with_an_existing_admin_sends_no_password_email(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = services.add_organisation(
            actor=world.actor("partnership_lead"),
            partnership=world.partnership,
            name="Brent Council",
            kind="london_borough",
            admin_email="ada.admin@barnet.test",
            admin_given_name="Ada",
            admin_family_name="Admin",
        )
    assert mail.outbox == []
    assert OrganisationRoleGrant.objects.filter(
        person=world.own_admin, organisation=organisation, role="org_admin"
    ).exists()


def test_ending_an_already_ended_membership_is_refused(world):
    membership = world.partner.memberships.get()
    services.end_membership(actor=world.actor("partnership_lead"), membership=membership)
    with pytest.raises(ValidationError, match="already ended"):
        services.end_membership(actor=world.actor("partnership_lead"), membership=membership)
    assert AuditEvent.objects.filter(action="membership.ended").count() == 1
