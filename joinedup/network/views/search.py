"""Searching the discussions: the posts of every space the person reads, or of one of them.

The space filter offers only the spaces the person reads (`access.readable_spaces`); any other
id, whether or not such a space exists, is the same message on the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from joinedup.lib.govuk_forms import GovukForm, optional_id_choice
from joinedup.materials.search import clean_text, parse_query

from .. import access, search


class SearchInput(forms.TextInput):
    input_type = "search"


class PostSearchForm(GovukForm):
    """The search box and the space filter (a GET form)."""

    q = forms.CharField(
        label="Search",
        help_text='Words in the posts; "quotes" for a phrase; a minus before a word leaves it out',
        required=False,
        max_length=search.MAX_QUERY_CHARS,
        widget=SearchInput(),
        error_messages={
            "max_length": f"Search must be {search.MAX_QUERY_CHARS} characters or fewer"
        },
    )

    def __init__(self, *args, spaces: list[tuple[int, str]], **kwargs) -> None:
        space = optional_id_choice(
            label="Space", everything="All your spaces", choices=spaces, noun="one of your spaces"
        )
        self.base_fields = {**self.base_fields, "space": space}
        super().__init__(*args, **kwargs)

    def clean_q(self) -> str:
        words = self.cleaned_data["q"]
        if not parse_query(clean_text(words)):
            raise forms.ValidationError("Enter words to search for")
        return words


@dataclass(frozen=True)
class Result:
    hit: search.Hit
    url: str


def thread_link(hit: search.Hit) -> str:
    """The post's place in its thread."""
    return reverse("network:thread", args=[hit.post.thread_id]) + f"#post-{hit.post.pk}"


def page_number(request: HttpRequest) -> int:
    """The page asked for; anything but a page number gives the first page."""
    value = request.GET.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 4 else 1


def page_links(request: HttpRequest, results: search.ResultPage) -> dict[str, str]:
    """Previous and next links that keep the words and the space."""
    kept = {key: value for key, value in request.GET.items() if key != "page"}
    links = {}
    if results.number > 1:
        links["previous"] = "?" + urlencode({**kept, "page": results.number - 1})
    if results.has_next:
        links["next"] = "?" + urlencode({**kept, "page": results.number + 1})
    return links


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Posts the actor may see matching their words, newest first."""
    readable = access.readable_spaces(request.actor).order_by("title", "pk")
    spaces = list(readable.values_list("pk", "title"))
    form = PostSearchForm(request.GET or None, spaces=spaces)
    results = None
    if form.is_valid():
        chosen = form.cleaned_data["space"]
        space = readable.get(pk=chosen) if chosen is not None else None
        results = search.search_posts(
            request.actor, form.cleaned_data["q"], space=space, page=page_number(request)
        )
    context = {
        "form": form,
        "has_spaces": bool(spaces),
        "results": results,
        "shown": [Result(hit, thread_link(hit)) for hit in results.hits] if results else [],
        "links": page_links(request, results) if results else {},
        "max_results": search.MAX_PAGES * search.PAGE_SIZE,
    }
    return render(request, "network/search/search.html", context)
