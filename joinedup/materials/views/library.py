"""The library search page: every material the actor may read, searched by the words in its
title, summary, topics and files, and filtered by kind, licence, owner and topic.

Signed-in people only (the sign-in middleware sends anonymous visitors to sign in); anonymous
visitors have the public list of openly published materials (`public.open_list`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.lib.govuk_forms import GovukForm, QuickSelect, optional_id_choice

from .. import access, search
from ..models import Licence, MaterialKind

FILTERS = ("q", "kind", "licence", "owner", "topic")


class SearchInput(forms.TextInput):
    input_type = "search"


class LibrarySearchForm(GovukForm):
    """The library's search box and filters (a GET form; every field optional)."""

    q = forms.CharField(
        label="Search",
        help_text='Words in the title, summary, topics or files; "quotes" for a phrase',
        required=False,
        max_length=search.MAX_QUERY_CHARS,
        widget=SearchInput(),
        error_messages={
            "max_length": f"Search must be {search.MAX_QUERY_CHARS} characters or fewer"
        },
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All kinds"), *MaterialKind.choices],
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose a kind of material from the list"},
    )
    licence = forms.ChoiceField(
        label="Licence",
        required=False,
        choices=[("", "All licences"), *Licence.choices],
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose a licence from the list"},
    )

    def __init__(
        self, *args, owners: list[tuple[int, str]], topics: list[tuple[int, str]], **kwargs
    ) -> None:
        owner = optional_id_choice(
            label="Owner organisation",
            everything="All organisations",
            choices=owners,
            noun="an owner organisation",
        )
        topic = optional_id_choice(
            label="Topic", everything="All topics", choices=topics, noun="a topic"
        )
        self.base_fields = {**self.base_fields, "owner": owner, "topic": topic}
        super().__init__(*args, **kwargs)


def page_number(request: HttpRequest) -> int:
    """The page asked for; anything but a page number gives the first page."""
    value = request.GET.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 4 else 1


def page_links(request: HttpRequest, results: search.ResultPage) -> dict[str, str]:
    """Previous and next links that keep the search and filters."""
    kept = {key: value for key, value in request.GET.items() if key != "page"}
    links = {}
    if results.number > 1:
        links["previous"] = "?" + urlencode({**kept, "page": results.number - 1})
    if results.has_next:
        links["next"] = "?" + urlencode({**kept, "page": results.number + 1})
    return links


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """Materials the actor may read, searched and filtered, best match first."""
    visible = access.visible_materials(request.actor)
    form = LibrarySearchForm(
        request.GET, owners=search.owner_choices(visible), topics=search.topic_choices()
    )
    form.is_valid()
    filters = form.cleaned_data
    results = search.search_materials(
        visible,
        text=filters.get("q", ""),
        kind=filters.get("kind") or None,
        licence=filters.get("licence") or None,
        owner=filters.get("owner"),
        topic=filters.get("topic"),
        page=page_number(request),
    )
    context = {
        "form": form,
        "results": results,
        "links": page_links(request, results),
        "searched": bool(search.clean_text(filters.get("q", ""))),
        "filtered": any(filters.get(name) for name in FILTERS) or bool(form.errors),
        "max_results": search.MAX_PAGES * search.PAGE_SIZE,
    }
    return render(request, "materials/library.html", context)
