"""The apprenticeships API: standards (see docs/API.md)."""

from ninja import Router

router = Router(tags=["apprenticeships"])
