"""The public register: anyone, signed in or not, reads the public initiatives' list, each public
initiative's summary (the object's organisation's public initiative: see
objects_network_reviews.py) and the open-data export. Other methods are 405 for everyone."""

from __future__ import annotations

from .shapes import everyone, route

ROUTES = {
    "network:public-initiatives": route(public=True, GET=everyone()),
    "network:public-initiative": route(public=True, GET=everyone()),
    "network:open-data-csv": route(public=True, GET=everyone()),
    "network:open-data-json": route(public=True, GET=everyone()),
}
