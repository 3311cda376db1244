"""API operations for commissioning plans and their similar items."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["design once"])
