"""API operations for delivery requests."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["trainers"])
