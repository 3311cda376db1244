"""Fixtures for the uploads tests: a private folder and a temporary folder that must stay empty."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def uploads_root(settings, tmp_path: Path) -> Path:
    """PRIVATE_FILES_ROOT in a fresh folder, without virus scanning."""
    root = tmp_path / "private-files"
    settings.PRIVATE_FILES_ROOT = root
    settings.CLAMAV_SOCKET = ""
    return root


@pytest.fixture
def uploads_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Python's temporary folder pointed at a fresh one, so a test can see files left behind."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder` (none if it does not exist)."""
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []
