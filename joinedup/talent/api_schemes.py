"""Rotation schemes: results for participants and hosts."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talent"])
