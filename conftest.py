"""Fixtures shared by every test: the standing world of personas, signed-in clients and the demo.

The world and the demo are each built once for a run of consecutive tests that roll back, not
once per test (see `_Shared`): the collection hook below puts the tests that use them together.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from joinedup.partnership.demo import build_demo
from joinedup.partnership.tests.world import World, build_world

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path_factory):
    settings.PRIVATE_FILES_ROOT = tmp_path_factory.getbasetemp() / "private-files"
    settings.CLAMAV_SOCKET = ""
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class _Shared:
    """Something built once for a run of consecutive tests that roll back and ask for `fixture`.

    It is built inside a transaction opened before the first test's own (so each test's is a
    savepoint inside it) and rolled back after the last test of the run, so no other test ever
    sees it. `next_item` is the test pytest runs next (set while a test is torn down).
    """

    next_item: pytest.Item | None = None

    def __init__(self, fixture: str, build: Callable[[], Any]) -> None:
        self.fixture = fixture
        self.build = build
        self.built: Any = None
        self.atomic: transaction.Atomic | None = None

    def open(self) -> Any:
        if self.atomic is None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.built = self.build()
        return self.built

    def kept_for_next(self) -> bool:
        """The next test asks for it too."""
        following = _Shared.next_item
        return following is not None and self.fixture in getattr(following, "fixturenames", ())

    def close(self) -> None:
        if self.atomic is not None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.built = None
        self.atomic = None


_WORLD = _Shared("_shared_world", build_world)
_DEMO = _Shared("_shared_demo", build_demo)


def _keep(shared: _Shared, django_db_blocker, **settings: Any):
    """Open `shared` for this test (building it for the first of a run, with the settings every
    test has: `_fast_and_quiet` comes after); close it after the last."""
    with django_db_blocker.unblock(), override_settings(**settings):
        built = shared.open()
    yield built
    if not shared.kept_for_next():
        with django_db_blocker.unblock():
            shared.close()


@pytest.fixture
def _shared_world(django_db_setup, django_db_blocker):
    """Set up before the test's database fixture (see `_share`)."""
    yield from _keep(_WORLD, django_db_blocker, PASSWORD_HASHERS=FAST_HASHER)


@pytest.fixture
def _shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Set up before the test's database fixture (see `_share`); the demo's files go where
    `_fast_and_quiet` points every test."""
    root = tmp_path_factory.getbasetemp() / "private-files"
    quiet = {"PASSWORD_HASHERS": FAST_HASHER, "CLAMAV_SOCKET": "", "PRIVATE_FILES_ROOT": root}
    yield from _keep(_DEMO, django_db_blocker, **quiet)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    _Shared.next_item = nextitem
    try:
        return (yield)
    finally:
        _Shared.next_item = None


@pytest.fixture
def world(request, db) -> World:
    """The standing world: shared by a run of tests (read anew for each), or built for the test
    alone when it commits for real (transactional tests, browser tests)."""
    shared = request.node.funcargs.get(_WORLD.fixture)
    return shared.fresh() if shared is not None else build_world()


@pytest.fixture
def demo(request, db):
    """The demo partnership (`joinedup demo`), shared by every test that asks for it."""
    return request.node.funcargs[_DEMO.fixture]


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


def _commits(item: pytest.Item) -> bool:
    """The test really commits: it asks for a transactional database or a live server."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _share(items: list[pytest.Item]) -> None:
    """Put the tests that share a build together, and give them its fixture first (so the
    test's own transaction is a savepoint inside the build's).

    Every test that asks for the demo moves to the front, in one run. Within each stretch of one
    module's tests (pytest-django has already put the transactional ones last), the tests that
    use the world move after the others, so no other test sees it.
    """
    stretch = 0
    keys: dict[int, tuple[int, bool]] = {}
    previous = None
    for item in items:
        module = getattr(item, "module", None)
        if module is not previous:
            stretch += 1
            previous = module
        names = getattr(item, "fixturenames", None)
        uses = {"world", "demo"} & set(names or ()) if not _commits(item) else set()
        for name, shared in (("demo", _DEMO), ("world", _WORLD)):
            if name in uses and shared.fixture not in names:
                names.insert(0, shared.fixture)
        keys[id(item)] = (0, False) if "demo" in uses else (stretch, "world" in uses)
    items.sort(key=lambda item: keys[id(item)])


def _uses_database(item: pytest.Item) -> bool:
    """The test may touch the database (pytest-django blocks it for every other test)."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return "django_db_setup" in getattr(item, "fixturenames", ())


def _database_tests_only(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With JOINEDUP_DATABASE_TESTS_ONLY=1 (the PostgreSQL leg), leave out the tests that never
    touch a database: they give the same answer on every engine and the SQLite leg runs them."""
    if os.environ.get("JOINEDUP_DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if _uses_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not _uses_database(item)])
    items[:] = kept


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out what this leg does not run, put shared builds' tests together (see `_share`).
    With JOINEDUP_MATRIX_SHARD=i/n, keep only every n-th access-matrix test from the i-th (the
    rest of the suite runs whole), so CI can share the matrix between two processes."""
    _database_tests_only(config, items)
    _share(items)
    shard = os.environ.get("JOINEDUP_MATRIX_SHARD", "")
    if not shard:
        return
    index, count = (int(part) for part in shard.split("/"))
    matrix = [item for item in items if item.get_closest_marker("matrix")]
    dropped = {id(item) for position, item in enumerate(matrix) if position % count != index}
    config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
    items[:] = [item for item in items if id(item) not in dropped]
