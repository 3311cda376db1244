"""The levy account set-up operations of /api/v1/, as in `declarations/api_learning.py`.

`OPERATIONS` holds the answers with tokens; `ROUTES` the same URLs with a browser session.
"""

from __future__ import annotations

from .shapes import Answers, Route

OPERATIONS: dict[str, Answers] = {}
ROUTES: dict[str, Route] = {}
