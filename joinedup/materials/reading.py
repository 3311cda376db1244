"""Reading a file's text in a separate process that may use only so much time and memory.

`extraction.extract_text` bounds the text it keeps and the bytes it inflates, but not the time a
pathological PDF page takes, so the background task reads each file through `read_text_limited`:
a fresh `python -m joinedup.materials.reading` process is given the file on standard input, caps
its own address space, and prints {"text": ...} or {"failed": reason} as JSON. The parent kills
it when the time is up. Plain data in, plain data out: nothing here imports Django.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from joinedup.materials.extraction import ExtractionFailed, extract_text

READ_SECONDS = 300
READ_MEMORY_BYTES = 2 * 1024**3
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TOO_LONG = "Reading the text took longer than {seconds:g} seconds, so it was stopped."
TOO_BIG = "Reading the text needed too much memory, so it was stopped."


def read_text_limited(
    data: bytes,
    content_type: str,
    *,
    seconds: float = READ_SECONDS,
    memory: int = READ_MEMORY_BYTES,
) -> str:
    """The text inside `data`, read by a child process stopped after `seconds` or on using
    `memory` bytes; ExtractionFailed with the reason otherwise."""
    command = [sys.executable, "-m", "joinedup.materials.reading", content_type, str(memory)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            cwd=PROJECT_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(TOO_LONG.format(seconds=seconds)) from None
    if done.returncode != 0:
        # Killed, or out of memory before it could say so.
        raise ExtractionFailed(TOO_BIG)
    outcome: dict[str, str] = json.loads(done.stdout)
    if "failed" in outcome:
        raise ExtractionFailed(outcome["failed"])
    return outcome["text"]


def main(argv: list[str]) -> int:
    """The child: cap memory, read standard input as `argv[1]`, print the outcome as JSON."""
    content_type, memory = argv[1], int(argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        outcome = {"text": extract_text(sys.stdin.buffer.read(), content_type)}
    except ExtractionFailed as failure:
        outcome = {"failed": failure.reason}
    except MemoryError:
        outcome = {"failed": TOO_BIG}
    sys.stdout.write(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
