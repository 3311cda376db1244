"""The apprenticeships API: enrolments (see docs/API.md)."""

from ninja import Router

router = Router(tags=["apprenticeships"])
