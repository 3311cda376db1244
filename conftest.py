"""Fixtures shared by every test: the standing world of personas and signed-in clients."""

from __future__ import annotations

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
