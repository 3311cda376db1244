"""Applications to opportunities: the applicant's and the host's operations."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talent"])
