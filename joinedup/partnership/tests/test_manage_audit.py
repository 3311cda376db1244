"""The audit log: admins see their organisation's, the partnership lead sees the partnership's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for


def org_audit_url(world) -> str:
    return reverse("partnership:manage-audit", args=[world.own.pk])


PARTNERSHIP_AUDIT_URL = "/partnership/audit/"


def record_events(world, organisation, count: int, action: str = "grade.saved") -> None:
    for index in range(count):
        audit.record(
            actor=world.actor("own_admin" if organisation == world.own else "partner_admin"),
            action=action,
            kind="grade",
            object_id=index,
            label=f"Grade {index}",
            organisation=organisation,
            changes={"seniority": 4},
        )


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
def test_only_own_admin_sees_the_organisations_audit_log(client_for, world, persona, expected):
    assert_status(client_for(persona).get(org_audit_url(world)), expected)


def test_organisation_log_shows_who_acted_for_whom_and_only_its_own_events(client_for, world):
    audit.record(
        actor=world.actor("own_admin"),
        action="role.granted",
        kind="person",
        object_id=world.own_staff.pk,
        organisation=world.own,
        changes={"role": "assessor"},
    )
    record_events(world, world.partner, 1, action="employment.added")
    page = client_for("own_admin").get(org_audit_url(world)).text
    assert "Role granted" in page
    assert "Ada Admin" in page
    assert f'<td class="govuk-table__cell">{world.own.name}</td>' in page
    assert f"Person {world.own_staff.pk}" in page
    assert "role: assessor" in page
    assert "Employment added" not in page


def test_organisation_log_is_newest_first_paged_by_keyset_with_constant_queries(client_for, world):
    client = client_for("own_admin")
    record_events(world, world.own, 3)
    small = queries_for(client, org_audit_url(world))
    record_events(world, world.own, 60)
    AuditEvent.objects.create(
        actor=world.own_admin,
        acting_for=world.own,
        organisation=world.own,
        action="grade.saved",
        object_kind="grade",
        object_id="newest",
        at=timezone.now() + dt.timedelta(minutes=1),
    )
    assert queries_for(client, org_audit_url(world)) == small

    first = client.get(org_audit_url(world)).context
    assert first["rows"][0].event.object_id == "newest"
    assert len(first["rows"]) == 50
    second = client.get(org_audit_url(world) + first["links"]["next"]).context
    assert len(second["rows"]) == 64 - 50
    assert "next" not in second["links"]
    back = client.get(org_audit_url(world) + second["links"]["previous"]).context
    assert [row.event.pk for row in back["rows"]] == [row.event.pk for row in first["rows"]]
    seen = [row.event.pk for row in first["rows"]] + [row.event.pk for row in second["rows"]]
    assert seen == list(
        AuditEvent.objects.filter(organisation=world.own).values_list("pk", flat=True)
    )


def test_audit_log_has_no_way_to_change_or_delete(client_for, world):
    record_events(world, world.own, 1)
    client = client_for("own_admin")
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(org_audit_url(world)).status_code == 405
        assert (
            getattr(client_for("partnership_lead"), method)(PARTNERSHIP_AUDIT_URL).status_code
            == 405
        )
    assert AuditEvent.objects.count() == 1
    with pytest.raises(ValueError):
        AuditEvent.objects.get().delete()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("partnership_lead", 200),
        ("own_admin", 403),
        ("own_staff", 403),
        ("partner_admin", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_partnership_lead_sees_the_partnership_log(client_for, world, persona, expected):
    assert_status(client_for(persona).get(PARTNERSHIP_AUDIT_URL), expected)


def test_partnership_log_shows_every_member_and_partnership_events_but_not_outsiders(
    client_for, world
):
    record_events(world, world.own, 1, action="employment.added")
    record_events(world, world.partner, 1, action="employment.ended")
    audit.record(
        actor=world.actor("partnership_lead"),
        action="role.granted",
        kind="person",
        object_id=world.own_staff.pk,
        partnership=world.partnership,
        changes={"role": "partnership_analyst"},
    )
    audit.record(
        actor=world.actor("outsider"),
        action="organisation.added",
        kind="organisation",
        object_id=world.outsider_org.pk,
        organisation=world.outsider_org,
        partnership=world.other_partnership,
    )
    page = client_for("partnership_lead").get(PARTNERSHIP_AUDIT_URL).text
    assert "Employment added" in page
    assert "Employment ended" in page
    assert "role: partnership_analyst" in page
    assert "Organisation added" not in page
    assert "Oscar" not in page


def test_partnership_log_keeps_the_query_count(client_for, world):
    client = client_for("partnership_lead")
    record_events(world, world.own, 2)
    small = queries_for(client, PARTNERSHIP_AUDIT_URL)
    record_events(world, world.partner, 70)
    assert queries_for(client, PARTNERSHIP_AUDIT_URL) == small
