"""The apprenticeships API: programmes (see docs/API.md)."""

from ninja import Router

router = Router(tags=["apprenticeships"])
