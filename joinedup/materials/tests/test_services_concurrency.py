"""Materials writes at the same moment: versions numbered without gaps or repeats, a material
hidden or published once. Each thread calls the real service on its own database connection,
so these need two writers: a file-based SQLite test database or PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from joinedup.materials import services
from joinedup.materials.models import Licence, Material, MaterialVersion
from joinedup.materials.tests.service_helpers import new_material
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def needs_two_writers() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "needs a file-based SQLite test database (DATABASE_TEST_NAME=/tmp/name.sqlite3) "
            "or PostgreSQL (DATABASE_URL): an in-memory database cannot have two writers"
        )


def all_at_once(calls: list[Callable[[], object]]) -> list[BaseException]:
    """Run every call at the same moment, each in its own thread and connection."""
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def worker(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            call()
        except BaseException as error:  # noqa: BLE001 - reported by the callers' assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_versions_added_at_once_are_numbered_in_turn(world):
    needs_two_writers()
    material = new_material(
        world.actor("own_ld_lead"), authors=[(world.own_staff, False)], change_note=""
    )
    editors = ["own_ld_lead", "own_admin", "own_staff"] * 3
    calls = [
        lambda persona=persona, n=n: services.add_version(
            actor=world.actor(persona),
            material=Material.objects.get(pk=material.pk),
            external_url=f"https://example.org/v{n}",
            change_note=f"Change {n}",
        )
        for n, persona in enumerate(editors)
    ]
    assert all_at_once(calls) == []
    numbers = sorted(
        MaterialVersion.objects.filter(material=material).values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(editors) + 2))
    material.refresh_from_db()
    assert material.current_version.number == len(editors) + 1
    assert AuditEvent.objects.filter(action="material.version_added").count() == len(editors)


def test_a_material_hidden_by_two_people_at_once_is_hidden_once(world):
    needs_two_writers()
    material = new_material(world.actor("own_ld_lead"))
    calls = [
        lambda persona=persona: services.hide_material(
            actor=world.actor(persona),
            material=Material.objects.get(pk=material.pk),
            reason=f"Hidden by {persona}",
        )
        for persona in ("own_ld_lead", "own_admin", "partnership_lead")
    ]
    errors = all_at_once(calls)
    assert len(errors) == 2
    assert all(isinstance(error, services.MaterialRefused) for error in errors)
    assert all("already hidden" in error.message for error in errors)
    assert AuditEvent.objects.filter(action="material.hidden").count() == 1


def test_a_material_published_twice_at_once_is_published_once(world):
    needs_two_writers()
    material = new_material(world.actor("own_ld_lead"), licence=Licence.OGL_3)
    calls = [
        lambda: services.publish_openly(
            actor=world.actor("own_ld_lead"),
            material=Material.objects.get(pk=material.pk),
            licence_confirmed=True,
            content_confirmed=True,
        )
    ] * 3
    errors = all_at_once(calls)
    assert len(errors) == 2
    assert all(isinstance(error, services.MaterialRefused) for error in errors)
    assert AuditEvent.objects.filter(action="material.published_openly").count() == 1
