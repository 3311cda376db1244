"""E-mails about discussions: every-post notices (digests are in digests.py)."""

from __future__ import annotations


def post_written(post_id: int) -> None:
    """Called by the posting services after a post's transaction commits."""
