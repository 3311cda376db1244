"""Virus scanning through a ClamAV daemon, when one is configured.

The daemon is started by these tests on a temporary socket with only a signature written here (for a
harmless test string), so nothing is downloaded; without `clamd` (Debian's clamav-daemon) the tests
that need it are skipped with a message.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from joinedup.lib.tests import upload_files as files
from joinedup.lib.tests.conftest import files_under
from joinedup.lib.uploads import UploadRefused, check_upload, store
from joinedup.lib.uploads.clamav import scan

TEST_VIRUS = b"JOINEDUP-HARMLESS-TEST-VIRUS-7d1f"
SIGNATURE = "JoinedUp.Test.Signature"
STREAM_LIMIT_BYTES = 1024 * 1024


def _clamd_binary() -> str | None:
    return shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as connection:
            connection.settimeout(1)
            connection.connect(str(path))
            connection.sendall(b"zPING\0")
            return connection.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A clamd with one custom signature on a temporary Unix socket and a local TCP port."""
    binary = _clamd_binary()
    if binary is None:
        pytest.skip("clamd is not installed (Debian package clamav-daemon): ClamAV tests skipped")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "joinedup-test.ndb").write_text(f"{SIGNATURE}:0:*:{TEST_VIRUS.hex()}\n")
    sock = folder / "clamd.sock"
    port = _free_port()
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {sock}\n"
        f"TCPSocket {port}\n"
        "TCPAddr 127.0.0.1\n"
        f"DatabaseDirectory {folder / 'db'}\n"
        f"LogFile {folder / 'clamd.log'}\n"
        "Foreground yes\n"
        "Bytecode no\n"
        f"StreamMaxLength {STREAM_LIMIT_BYTES}\n"
    )
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [binary, f"--config-file={config}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers(sock):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start:\n{log}")
            time.sleep(0.1)
        yield {"unix": str(sock), "tcp": f"127.0.0.1:{port}"}
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def scanning(settings, uploads_root, clamd) -> Path:
    settings.CLAMAV_SOCKET = clamd["unix"]
    settings.CLAMAV_TIMEOUT = 10
    return uploads_root


def test_a_clean_file_is_scanned_and_stored(scanning):
    storage_name = store(check_upload(files.upload("Plan.txt", b"A clean session plan\n")))

    assert files_under(scanning) == [scanning / storage_name]


def test_a_file_with_a_virus_is_refused_naming_it_and_nothing_is_stored(scanning, uploads_temp):
    with pytest.raises(UploadRefused) as refused:
        store(check_upload(files.upload("Plan.txt", b"Plan\n" + TEST_VIRUS + b"\n")))

    assert refused.value.reason.startswith(
        "The selected file contains a virus or other harmful software (JoinedUp.Test.Signature"
    )
    assert refused.value.reason.endswith("and has not been stored")
    assert files_under(scanning) == []
    assert files_under(uploads_temp) == []


def test_a_virus_inside_a_zip_is_found(scanning):
    package = files.zip_of({"content/lesson.txt": b"Lesson\n" + TEST_VIRUS})

    with pytest.raises(UploadRefused, match="contains a virus"):
        store(check_upload(files.upload("SCORM.zip", package)))

    assert files_under(scanning) == []


def test_the_daemon_can_be_reached_over_tcp(clamd):
    assert scan([b"clean"], address=clamd["tcp"], timeout=10) is None
    assert scan([b"x", TEST_VIRUS], address=clamd["tcp"], timeout=10).startswith(SIGNATURE)


def test_a_file_the_daemon_will_not_take_whole_is_refused_not_stored_unscanned(scanning):
    big = b"a line of harmless text\n" * (2 * STREAM_LIMIT_BYTES // 24)

    with pytest.raises(UploadRefused, match="could not be checked for viruses; try again later"):
        store(check_upload(files.upload("Plan.txt", big)))

    assert files_under(scanning) == []


def test_an_unreachable_daemon_refuses_the_upload(settings, uploads_root, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "no-clamd-here.sock")

    with pytest.raises(UploadRefused) as refused:
        store(check_upload(files.upload("Plan.txt", b"Plan\n")))

    assert refused.value.reason == (
        "The selected file could not be checked for viruses; try again later"
    )
    assert files_under(uploads_root) == []


def test_an_unreachable_tcp_daemon_refuses_the_upload(settings, uploads_root):
    settings.CLAMAV_SOCKET = f"127.0.0.1:{_free_port()}"
    settings.CLAMAV_TIMEOUT = 2

    with pytest.raises(UploadRefused, match="could not be checked for viruses"):
        check_upload(files.upload("Plan.txt", b"Plan\n"))


def test_without_a_configured_daemon_nothing_is_scanned(uploads_root):
    checked = check_upload(files.upload("Plan.txt", b"Plan\n" + TEST_VIRUS))

    assert checked.kind == "txt"
