"""Mentoring pairs: the caller's pairs, and the mentoring lead's matchings."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talent"])
