"""The system-translator and leakage figures."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talent"])
