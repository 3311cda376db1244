"""API operations for accreditations and the cascade."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["trainers"])
