"""API operations for joint commissions."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["design once"])
