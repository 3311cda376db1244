"""Searching the discussions (network/search.py and the search page): what it finds, what it
never shows (hidden posts except to moderators, deleted posts, other spaces and partnerships),
what it does with hostile words, and the page's messages.

The same tests run on SQLite (FTS5) and PostgreSQL (full-text search): the expected results are
written out by hand, so passing on both shows both give the same answers.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from joinedup.network import search
from joinedup.network.models import Post, Space, Thread
from joinedup.network.search import search_posts
from joinedup.network.tests.factories import (
    PostFactory,
    SpaceFactory,
    SpaceMemberFactory,
    ThreadFactory,
)
from joinedup.network.text import render

pytestmark = pytest.mark.django_db

SEARCH = "/network/search/"


def space_of(world, *members: str, moderators: tuple[str, ...] = (), **fields) -> Space:
    """A community of the standing partnership with these personas as active members."""
    made = SpaceFactory(partnership=world.partnership, owner_organisation=world.own, **fields)
    for persona in (*members, *moderators):
        SpaceMemberFactory(
            space=made,
            person=world.person(persona),
            organisation=world.employments[persona].organisation,
            is_moderator=persona in moderators,
        )
    return made


def post_in(space: Space, body: str, *, title: str = "A thread", **fields) -> Post:
    thread = ThreadFactory(space=space, title=title, author_organisation=space.owner_organisation)
    return PostFactory(thread=thread, body=body, body_html=render(body), **fields)


def bodies(page: search.ResultPage) -> list[str]:
    return sorted(hit.post.body for hit in page.hits)


@pytest.fixture
def circle(world) -> Space:
    """A space own_staff and partner_staff belong to; space_moderator moderates it."""
    return space_of(world, "own_staff", "partner_staff", moderators=("space_moderator",))


# --- What is found ------------------------------------------------------------------------------


def test_the_newest_matches_come_first(world, circle):
    for body in ("First rota post.", "Second rota post.", "Unrelated.", "Third rota post."):
        post_in(circle, body)

    page = search_posts(world.actor("own_staff"), "rota")

    assert [hit.post.body for hit in page.hits] == [
        "Third rota post.",
        "Second rota post.",
        "First rota post.",
    ]


def test_finds_a_word_and_other_forms_of_it(world, circle):
    post_in(circle, "We meet in pairs.")
    post_in(circle, "Reflective supervision every month.")
    post_in(circle, "Nothing to do with it.")
    actor = world.actor("own_staff")

    assert bodies(search_posts(actor, "supervision")) == ["Reflective supervision every month."]
    assert bodies(search_posts(actor, "months")) == ["Reflective supervision every month."]


def test_every_word_must_match_and_a_phrase_must_be_together(world, circle):
    post_in(circle, "Group supervision works well for us.")
    post_in(circle, "Supervision in a group of four.")
    actor = world.actor("own_staff")

    assert bodies(search_posts(actor, "group supervision")) == [
        "Group supervision works well for us.",
        "Supervision in a group of four.",
    ]
    assert bodies(search_posts(actor, '"group supervision"')) == [
        "Group supervision works well for us."
    ]
    assert bodies(search_posts(actor, "supervision -four")) == [
        "Group supervision works well for us."
    ]


def test_a_result_has_its_thread_space_author_and_a_marked_snippet(world, circle):
    found = post_in(circle, "Try <b>reflective</b> supervision.", title="Supervision ideas")

    hit = search_posts(world.actor("own_staff"), "reflective").hits[0]

    assert hit.post == found
    assert hit.post.thread.title == "Supervision ideas"
    assert hit.post.space == circle
    assert hit.post.author_organisation == world.own
    assert search.Piece("reflective", marked=True) in hit.snippet


def test_within_one_space_finds_only_its_posts(world, circle):
    other = space_of(world, "own_staff")
    post_in(circle, "Budget planning here.")
    post_in(other, "Budget planning there.")
    actor = world.actor("own_staff")

    assert bodies(search_posts(actor, "budget")) == [
        "Budget planning here.",
        "Budget planning there.",
    ]
    assert bodies(search_posts(actor, "budget", space=other)) == ["Budget planning there."]


def test_the_index_follows_edits_and_deletions(world, circle):
    post = post_in(circle, "Old wording about rotas.")
    actor = world.actor("own_staff")
    Post.objects.filter(pk=post.pk).update(body="New wording about handovers.")

    assert bodies(search_posts(actor, "rotas")) == []
    assert bodies(search_posts(actor, "handovers")) == ["New wording about handovers."]
    Post.objects.filter(pk=post.pk).delete()
    assert bodies(search_posts(actor, "handovers")) == []


# --- What is never shown ------------------------------------------------------------------------


def test_hidden_posts_are_found_only_by_the_spaces_moderators_and_the_lead(world, circle):
    post_in(circle, "Shown about rotas.")
    post_in(circle, "Hidden about rotas.", hidden_at=timezone.now())

    def found(persona: str) -> list[str]:
        return bodies(search_posts(world.actor(persona), "rotas"))

    assert found("own_staff") == ["Shown about rotas."]
    assert found("partner_staff") == ["Shown about rotas."]
    assert found("space_moderator") == ["Hidden about rotas.", "Shown about rotas."]
    assert found("partnership_lead") == ["Hidden about rotas.", "Shown about rotas."]


def test_posts_of_a_hidden_thread_are_found_only_by_moderators(world, circle):
    post = post_in(circle, "A reply about rotas.")
    Thread.objects.filter(pk=post.thread_id).update(hidden_at=timezone.now())

    assert bodies(search_posts(world.actor("own_staff"), "rotas")) == []
    assert bodies(search_posts(world.actor("space_moderator"), "rotas")) == ["A reply about rotas."]


def test_deleted_posts_are_never_found(world, circle):
    post_in(circle, "Deleted words about rotas.", deleted_at=timezone.now())

    assert bodies(search_posts(world.actor("space_moderator"), "rotas")) == []
    assert bodies(search_posts(world.actor("partnership_lead"), "rotas")) == []


def test_spaces_one_does_not_belong_to_and_other_partnerships_are_not_searched(world, circle):
    theirs = space_of(world, "partner_staff")
    elsewhere = SpaceFactory(partnership=world.other_partnership, owner_organisation=world.icb)
    SpaceMemberFactory(space=elsewhere, person=world.person("outsider"))
    post_in(circle, "Ours about rotas.")
    post_in(theirs, "Theirs about rotas.")
    post_in(elsewhere, "Outside about rotas.")

    def found(persona: str, **options) -> list[str]:
        return bodies(search_posts(world.actor(persona), "rotas", **options))

    assert found("own_staff") == ["Ours about rotas."]
    assert found("own_staff", space=theirs) == []
    assert found("partner_staff") == ["Ours about rotas.", "Theirs about rotas."]
    assert found("outsider") == ["Outside about rotas."]
    assert found("partnership_lead") == ["Ours about rotas.", "Theirs about rotas."]
    assert found("own_admin") == []


# --- Pages --------------------------------------------------------------------------------------


def test_pages_say_whether_another_follows_and_stop_at_the_last_offered(world, circle, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "MAX_PAGES", 2)
    for number in range(6):
        post_in(circle, f"Rotas note {number}.")
    actor = world.actor("own_staff")

    first, second = search_posts(actor, "rotas"), search_posts(actor, "rotas", page=2)

    assert (len(first.hits), first.has_next, first.capped) == (2, True, False)
    assert (len(second.hits), second.has_next, second.capped) == (2, False, True)
    assert not {hit.post.pk for hit in first.hits} & {hit.post.pk for hit in second.hits}


HOSTILE = [
    '"',
    '"unclosed phrase',
    "NEAR(rotas notes)",
    "NEAR(rotas notes, 2)",
    "rotas*",
    "*",
    "body:rotas",
    "rotas AND OR NOT",
    "^rotas",
    "-",
    "-rotas",
    "(((",
    "')); DROP TABLE network_post; --",
    "%s %(x)s {}",
    "\x00rotas\x07\x1b",
    "rotas\ud800",
    "\ue000rotas\ue001",
    "rotas" * 500,
    "\u202erotas",
    "rotas & notes | !x <-> y",
    "+rotas",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_words_give_a_page_not_an_error(world, circle, text):
    post_in(circle, "Rotas notes.")

    found = search_posts(world.actor("own_staff"), text)

    assert all(hit.post.body == "Rotas notes." for hit in found.hits)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_words_on_the_page_give_a_page_not_an_error(world, circle, client_for, text):
    post_in(circle, "Rotas notes.")

    # Sent as a browser would: UTF-8, percent-encoded (a lone surrogate as invalid bytes).
    query = quote(text.encode("utf-8", "surrogatepass"))
    response = client_for("own_staff").get(f"{SEARCH}?q={query}")

    assert response.status_code == 200


def test_the_page_lists_results_with_links_and_escaped_marked_snippets(world, circle, client_for):
    post = post_in(circle, "Rotas <script>alert(1)</script> here.", title="Rotas & <i>you</i>")

    response = client_for("own_staff").get(SEARCH, {"q": "rotas"})

    page = response.content.decode()
    assert "<mark>Rotas</mark>" in page
    assert "<script>alert" not in page
    assert "Rotas &amp; &lt;i&gt;you&lt;/i&gt;" in page
    try:
        link = reverse("network:thread", args=[post.thread_id])
    except NoReverseMatch:  # the thread page is another area's; the title is shown without a link
        link = ""
    if link:
        assert f'href="{link}#post-{post.pk}"' in page


def test_the_page_searches_one_space_offered_among_the_readable_ones(world, circle, client_for):
    other = space_of(world, "own_staff", title="Zeta circle")
    here = post_in(circle, "Budget here.")
    there = post_in(other, "Budget there.")
    client = client_for("own_staff")

    response = client.get(SEARCH, {"q": "budget", "space": other.pk})

    assert f'id="result-{there.pk}"' in response.content.decode()
    assert f'id="result-{here.pk}"' not in response.content.decode()
    assert list(response.context["form"].fields["space"].choices)[1:] == [
        (circle.pk, circle.title),
        (other.pk, "Zeta circle"),
    ]


@pytest.mark.parametrize("which", ["unread", "other_partnership", "missing"])
def test_a_space_one_may_not_read_is_the_same_message_whatever_it_is(world, client_for, which):
    unread = space_of(world, "partner_staff")
    post_in(unread, "Budget secrets.")
    elsewhere = SpaceFactory(partnership=world.other_partnership, owner_organisation=world.icb)
    pk = {"unread": unread.pk, "other_partnership": elsewhere.pk, "missing": 999_999}[which]

    response = client_for("own_staff").get(SEARCH, {"q": "budget", "space": pk})

    assert response.status_code == 200
    assert response.context["form"].errors == {"space": ["Choose one of your spaces from the list"]}
    assert "Budget secrets" not in response.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter words to search for"),
        ("   ", "Enter words to search for"),
        ('"" - *', "Enter words to search for"),
        ("x" * 201, "Search must be 200 characters or fewer"),
    ],
)
def test_empty_and_too_long_searches_are_told_so(world, circle, client_for, text, message):
    response = client_for("own_staff").get(SEARCH, {"q": text})

    assert response.status_code == 200
    assert message in response.context["form"].errors["q"][0]
    assert "There is a problem" in response.content.decode()


def test_the_first_visit_shows_the_form_without_messages(world, circle, client_for):
    response = client_for("own_staff").get(SEARCH)

    assert response.status_code == 200
    assert not response.context["form"].errors


def test_the_page_makes_the_same_queries_for_one_result_or_a_page_of_them(
    world, circle, client_for
):
    client = client_for("own_staff")
    post_in(circle, "Rotas once.")
    client.get(SEARCH, {"q": "rotas"})
    with CaptureQueriesContext(connection) as one:
        client.get(SEARCH, {"q": "rotas"})
    for number in range(25):
        post_in(circle, f"Rotas again {number}.")
    with CaptureQueriesContext(connection) as many:
        client.get(SEARCH, {"q": "rotas"})

    assert len(one) == len(many)
