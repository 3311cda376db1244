"""The levy optimiser pages (see `declarations/learning.py` for the shapes)."""

from __future__ import annotations

from .shapes import Route

ROUTES: dict[str, Route] = {}
