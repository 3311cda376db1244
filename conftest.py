"""Fixtures shared by every test: the standing world of personas and signed-in clients."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from joinedup.partnership.tests.world import World, build_world


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path_factory):
    settings.PRIVATE_FILES_ROOT = tmp_path_factory.getbasetemp() / "private-files"
    settings.CLAMAV_SOCKET = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """A test client signed in as a persona ("anonymous" gives a signed-out client)."""

    def make(persona: str) -> Client:
        client = Client()
        person = world.person(persona)
        if person is not None:
            client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
        return client

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With JOINEDUP_MATRIX_SHARD=i/n, keep only every n-th access-matrix test from the i-th (the
    rest of the suite runs whole), so CI can share the matrix between two processes."""
    shard = os.environ.get("JOINEDUP_MATRIX_SHARD", "")
    if not shard:
        return
    index, count = (int(part) for part in shard.split("/"))
    matrix = [item for item in items if item.get_closest_marker("matrix")]
    dropped = {id(item) for position, item in enumerate(matrix) if position % count != index}
    config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
    items[:] = [item for item in items if id(item) not in dropped]
