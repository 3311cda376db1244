"""The apprenticeships API: funding rules and funding checks (see docs/API.md)."""

from ninja import Router

router = Router(tags=["apprenticeships"])
