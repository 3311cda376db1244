"""The public open-data operations at /api/v1/network/public: anyone, with or without a token,
reads every public initiative and each one (the object's organisation's public initiative: see
objects_network_reviews.py)."""

from __future__ import annotations

from .shapes import everyone, route

PUBLIC = "/api/v1/network/public"

OPERATIONS = {
    f"GET {PUBLIC}/initiatives": everyone(),
    f"GET {PUBLIC}/initiatives/{{pk}}": everyone(),
}

ROUTES = {
    "api:open_data_initiatives": route(public=True, GET=everyone()),
    "api:open_data_initiative": route(public=True, GET=everyone()),
}
