"""Opportunities: search, recommended for me, people who might fit (hosts)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talent"])
