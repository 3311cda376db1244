"""The caller's own talent profile, and the partnership's skills vocabulary."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talent"])
