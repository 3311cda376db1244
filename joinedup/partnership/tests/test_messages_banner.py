"""The page shell shows each flash message as its kind: success in the green banner, a problem in
the error summary, anything else in the "Important" banner."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory


def _page_with(level: int, text: str) -> str:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.add_message(request, level, text)
    return render_to_string("base.html", request=request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "title", "not_titles"),
    [
        (messages.SUCCESS, "Success", ("There is a problem", "Important")),
        (messages.ERROR, "There is a problem", ("Success", "Important")),
        (messages.WARNING, "Important", ("Success", "There is a problem")),
        (messages.INFO, "Important", ("Success", "There is a problem")),
    ],
)
def test_each_kind_of_message_has_its_own_banner(level, title, not_titles):
    page = _page_with(level, "The scope has been approved")
    assert f">{title}</h2>" in page
    assert "The scope has been approved" in page
    for other in not_titles:
        assert f">{other}</h2>" not in page
