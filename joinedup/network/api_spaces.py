"""The network API: spaces (see docs/API.md)."""

from ninja import Router

router = Router(tags=["network"])
