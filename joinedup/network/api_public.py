"""The network API: public (see docs/API.md)."""

from ninja import Router

router = Router(tags=["network"])
