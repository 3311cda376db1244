"""The network API: initiatives (see docs/API.md)."""

from ninja import Router

router = Router(tags=["network"])
