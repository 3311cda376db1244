"""A small client for a ClamAV daemon's INSTREAM command, over a Unix socket or TCP.

The protocol: send "zINSTREAM\\0", then the file as chunks each preceded by its length (4 bytes,
big-endian), then a zero length; clamd answers "stream: OK" or "stream: <signature> FOUND".
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable

CHUNK_BYTES = 256 * 1024
MAX_REPLY_BYTES = 4096


class ScanFailed(Exception):
    """The daemon could not be reached or did not give a verdict."""


def scan(chunks: Iterable[bytes], *, address: str, timeout: float) -> str | None:
    """The name of the signature clamd at `address` (a socket path, or host:port) finds in the
    streamed bytes, or None if it finds nothing; ScanFailed if it cannot say."""
    try:
        with _connect(address, timeout) as connection:
            connection.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_BYTES):
                    piece = chunk[start : start + CHUNK_BYTES]
                    connection.sendall(struct.pack(">L", len(piece)) + piece)
            connection.sendall(struct.pack(">L", 0))
            reply = _read_reply(connection)
    except OSError as error:
        raise ScanFailed(f"ClamAV at {address} did not answer: {error}") from error
    if reply.endswith(" FOUND"):
        return reply.removeprefix("stream:").removesuffix(" FOUND").strip() or "unknown"
    if reply.endswith(" OK") or reply == "OK":
        return None
    raise ScanFailed(f"ClamAV at {address} answered {reply!r}")


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(address)
        except OSError:
            connection.close()
            raise
        return connection
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise OSError(f"not a socket path or host:port: {address!r}")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < MAX_REPLY_BYTES:
        data = connection.recv(1024)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].decode("utf-8", errors="replace").strip()
