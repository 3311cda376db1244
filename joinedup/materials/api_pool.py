"""API operations for the trainer pool."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["trainers"])
