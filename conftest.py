"""Fixtures shared by every test: the standing world of personas and signed-in clients."""

from __future__ import annotations

import os

import pytest
from django.db import transaction
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


class _SharedWorld:
    """The standing world kept for a run of consecutive tests of one module that roll back.

    It is built inside a transaction opened before the first test's own (so each test's is a
    savepoint inside it) and rolled back after the last test of the run, so no other test ever
    sees it. `next_item` is the test pytest runs next (set while a test is torn down).
    """

    def __init__(self) -> None:
        self.world: World | None = None
        self.atomic: transaction.Atomic | None = None
        self.next_item: pytest.Item | None = None

    def open(self) -> World:
        if self.world is None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.world = build_world()
        return self.world

    def kept_for(self, item: pytest.Item) -> bool:
        """The next test shares this world: the same module, and it asks for it too."""
        following = self.next_item
        return (
            following is not None
            and getattr(following, "module", None) is getattr(item, "module", None)
            and _SHARED_FIXTURE in getattr(following, "fixturenames", ())
        )

    def close(self) -> None:
        if self.atomic is not None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.world = None
        self.atomic = None


_SHARED = _SharedWorld()
_SHARED_FIXTURE = "_shared_world"


@pytest.fixture
def _shared_world(request, django_db_setup, django_db_blocker):
    """Set up before the test's database fixture (see `_share_the_world`)."""
    with django_db_blocker.unblock():
        built = _SHARED.open()
    yield built
    if not _SHARED.kept_for(request.node):
        with django_db_blocker.unblock():
            _SHARED.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    _SHARED.next_item = nextitem
    try:
        return (yield)
    finally:
        _SHARED.next_item = None


@pytest.fixture
def world(request, db) -> World:
    """The standing world: shared by a run of the module's tests (read anew for each), or built
    for the test alone when it commits for real (transactional tests, browser tests)."""
    shared = request.node.funcargs.get(_SHARED_FIXTURE)
    return shared.fresh() if shared is not None else build_world()


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


def _share_the_world(items: list[pytest.Item]) -> None:
    """Tests that use the standing world and roll back share one while they run in a row: within
    each stretch of one module's tests (pytest-django has already put the transactional ones
    last), those tests move after the others and get `_shared_world` as their first fixture."""
    stretch = 0
    keys: dict[int, tuple[int, bool]] = {}
    previous = None
    for item in items:
        module = getattr(item, "module", None)
        if module is not previous:
            stretch += 1
            previous = module
        names = getattr(item, "fixturenames", None)
        shares = names is not None and "world" in names and not _commits(item)
        if shares and _SHARED_FIXTURE not in names:
            names.insert(0, _SHARED_FIXTURE)
        keys[id(item)] = (stretch, shares)
    items.sort(key=lambda item: keys[id(item)])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Share the standing world within runs of a module's tests (see `_share_the_world`). With
    JOINEDUP_MATRIX_SHARD=i/n, keep only every n-th access-matrix test from the i-th (the
    rest of the suite runs whole), so CI can share the matrix between two processes."""
    _share_the_world(items)
    shard = os.environ.get("JOINEDUP_MATRIX_SHARD", "")
    if not shard:
        return
    index, count = (int(part) for part in shard.split("/"))
    matrix = [item for item in items if item.get_closest_marker("matrix")]
    dropped = {id(item) for position, item in enumerate(matrix) if position % count != index}
    config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
    items[:] = [item for item in items if id(item) not in dropped]
