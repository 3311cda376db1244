"""The discussion API at /api/v1/network/spaces: my spaces, a space and its members, threads and
posts (keyset pages, hidden ones only for moderators, deleted ones as placeholders), starting a
thread, replying, editing and deleting one's own post; hostile text comes back harmless; the rate
limit is a 429; query counts."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from joinedup.network import posts
from joinedup.network.models import MemberStatus, Post, Thread
from joinedup.network.text import ALLOWED_TAGS
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)

from .factories import PostFactory, SpaceFactory, SpaceMemberFactory, ThreadFactory

SPACES = f"{API}/network/spaces"
JSON = "application/json"

HOSTILE = (
    "<script>alert('x')</script> <img src=x onerror=alert(1)> "
    '[click](javascript:alert(1)) <a href="https://evil.test" onclick="steal()">link</a> '
    "\u202eevil\u202c \x07bell"
)


@pytest.fixture
def space(world):
    """A community of the standing partnership: own_staff and partner_staff are members, the
    space_moderator persona moderates it."""
    made = SpaceFactory(
        partnership=world.partnership,
        owner_organisation=world.own,
        owner=world.own_staff,
        title="Supervision practice",
    )
    SpaceMemberFactory(space=made, person=world.own_staff, organisation=world.own)
    SpaceMemberFactory(space=made, person=world.partner_staff, organisation=world.partner)
    SpaceMemberFactory(
        space=made, person=world.space_moderator, organisation=world.partner, is_moderator=True
    )
    return made


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every element of the HTML with its attributes, as a browser's parser would see them."""
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def started(world, space, persona="own_staff", title="Group supervision", body="How?") -> Thread:
    return posts.start_thread(world.actor(persona), space, title=title, body=body)


def post_json(client, url, data):
    return client.post(url, data, content_type=JSON)


# --- My spaces and a space -----------------------------------------------------------------------


def test_my_spaces_are_the_spaces_i_actively_belong_to_by_title(world, space):
    other = SpaceFactory(
        partnership=world.partnership, owner_organisation=world.own, title="Adult safeguarding"
    )
    SpaceMemberFactory(space=other, person=world.own_staff, organisation=world.own)
    asked = SpaceFactory(partnership=world.partnership, owner_organisation=world.own)
    SpaceMemberFactory(
        space=asked,
        person=world.own_staff,
        organisation=world.own,
        status=MemberStatus.REQUESTED,
    )
    SpaceFactory(partnership=world.partnership, owner_organisation=world.own)  # not in it

    response = api_client(world, "own_staff").get(SPACES)

    assert response.status_code == 200, response.content
    assert ids(response) == [other.pk, space.pk]
    assert response.json()["items"][1]["organisation"]["name"] == world.own.name


def test_my_spaces_pages_with_a_cursor(world, space):
    other = SpaceFactory(partnership=world.partnership, owner_organisation=world.own, title="A")
    SpaceMemberFactory(space=other, person=world.own_staff, organisation=world.own)
    client = api_client(world, "own_staff")
    first = client.get(SPACES, {"limit": 1}).json()
    second = client.get(SPACES, {"limit": 1, "cursor": first["next"]}).json()
    assert [item["id"] for item in first["items"] + second["items"]] == [other.pk, space.pk]
    assert second["next"] is None


def test_my_spaces_need_a_person_not_an_organisation_token(world, space):
    response = organisation_client(world, "own_admin").get(SPACES)
    assert response.status_code == 403
    assert "personal token" in response.json()["detail"]


def test_a_bad_cursor_is_refused_naming_it(world, space):
    response = api_client(world, "own_staff").get(SPACES, {"cursor": "not-ours"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("cursor (query)")


def test_members_read_the_members_names_and_organisations(world, space):
    response = api_client(world, "partner_staff").get(f"{SPACES}/{space.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["may_read"] and body["may_post"]
    assert body["member_count"] == 3
    assert {(m["name"], m["organisation"]["name"], m["is_moderator"]) for m in body["members"]} == {
        (world.own_staff.full_name, world.own.name, False),
        (world.partner_staff.full_name, world.partner.name, False),
        (world.space_moderator.full_name, world.partner.name, True),
    }


def test_a_community_is_shown_to_the_partnership_without_its_members(world, space):
    response = api_client(world, "partner_admin").get(f"{SPACES}/{space.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Supervision practice"
    assert body["members"] is None and body["member_count"] is None
    assert not body["may_read"] and not body["may_post"]
    assert world.own_staff.family_name not in response.text


def test_an_outsider_does_not_find_the_space_or_its_discussion(world, space):
    thread = started(world, space)
    client = api_client(world, "outsider")
    assert client.get(f"{SPACES}/{space.pk}").status_code == 404
    assert client.get(f"{SPACES}/{space.pk}/threads").status_code == 404
    assert client.get(f"{SPACES}/threads/{thread.pk}").status_code == 404
    assert client.get(f"{SPACES}/threads/{thread.pk}/posts").status_code == 404


def test_a_space_that_is_not_a_community_is_hidden_from_non_members(world):
    run_like = SpaceFactory(
        partnership=world.partnership,
        owner_organisation=world.own,
        kind="context",
        context_kind="test.module",
        context_id="7",
        context_label="Module 7",
    )
    SpaceMemberFactory(space=run_like, person=world.own_staff, organisation=world.own)
    assert api_client(world, "partner_staff").get(f"{SPACES}/{run_like.pk}").status_code == 404
    body = api_client(world, "own_staff").get(f"{SPACES}/{run_like.pk}").json()
    assert body["context"] == {"kind": "test.module", "id": "7", "label": "Module 7"}


# --- Threads -------------------------------------------------------------------------------------


def test_threads_come_latest_activity_first_a_page_at_a_time(world, space):
    now = timezone.now()
    old = ThreadFactory(space=space, last_post_at=now - dt.timedelta(days=2))
    new = ThreadFactory(space=space, last_post_at=now - dt.timedelta(hours=1))
    middle = ThreadFactory(space=space, last_post_at=now - dt.timedelta(days=1))
    client = api_client(world, "own_staff")
    first = client.get(f"{SPACES}/{space.pk}/threads", {"limit": 2}).json()
    rest = client.get(f"{SPACES}/{space.pk}/threads", {"limit": 2, "cursor": first["next"]})
    assert [t["id"] for t in first["items"]] == [new.pk, middle.pk]
    assert ids(rest) == [old.pk]


def test_a_hidden_thread_is_listed_only_to_the_spaces_moderators(world, space):
    shown = ThreadFactory(space=space)
    hidden = ThreadFactory(space=space, hidden_at=timezone.now())
    url = f"{SPACES}/{space.pk}/threads"
    assert ids(api_client(world, "own_staff").get(url)) == [shown.pk]
    moderated = api_client(world, "space_moderator").get(url).json()["items"]
    assert {(t["id"], t["hidden"]) for t in moderated} == {(shown.pk, False), (hidden.pk, True)}
    assert len(ids(api_client(world, "partnership_lead").get(url))) == 2
    hidden_url = f"{SPACES}/threads/{hidden.pk}"
    assert api_client(world, "own_staff").get(hidden_url).status_code == 404
    assert api_client(world, "space_moderator").get(hidden_url).status_code == 200


def test_someone_who_only_sees_a_community_may_not_read_its_threads(world, space):
    started(world, space)
    response = api_client(world, "partner_admin").get(f"{SPACES}/{space.pk}/threads")
    assert response.status_code == 403


def test_a_member_starts_a_thread(world, space):
    client = api_client(world, "partner_staff")
    response = post_json(
        client,
        f"{SPACES}/{space.pk}/threads",
        {"title": "  Handover notes  ", "body": "What do you **write**?"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Handover notes"
    assert body["organisation"]["name"] == world.partner.name
    assert body["author"]["name"] == world.partner_staff.full_name
    assert body["may_reply"] is True
    opening = Post.objects.get(thread_id=body["id"], is_opening=True)
    assert opening.body_html == "<p>What do you <strong>write</strong>?</p>\n"


def test_a_thread_needs_a_title_and_a_body_each_named(world, space):
    client = api_client(world, "own_staff")
    url = f"{SPACES}/{space.pk}/threads"
    no_title = post_json(client, url, {"title": "   ", "body": "Words"})
    assert no_title.status_code == 422
    assert no_title.json()["detail"] == "title (body): Enter a title"
    no_body = post_json(client, url, {"title": "A title", "body": "\x00"})
    assert no_body.status_code == 422
    assert no_body.json()["detail"].startswith("body (body):")
    missing = post_json(client, url, {"title": "A title"})
    assert missing.status_code == 422
    assert "body (body)" in missing.json()["detail"]
    enormous = post_json(client, url, {"title": "A title", "body": "x" * (posts.BODY_MAX + 1)})
    assert enormous.status_code == 422
    assert "body (body)" in enormous.json()["detail"]
    assert not Thread.objects.exists()


@pytest.mark.parametrize("persona", ["partner_admin", "partnership_lead"])
def test_those_who_are_not_members_may_not_start_a_thread(world, space, persona):
    response = post_json(
        api_client(world, persona), f"{SPACES}/{space.pk}/threads", {"title": "T", "body": "B"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the space's members write in it"
    assert not Thread.objects.exists()


def test_an_organisation_token_writes_nothing(world, space):
    thread = started(world, space)
    client = organisation_client(world, "own_admin")
    data = {"title": "T", "body": "B"}
    assert post_json(client, f"{SPACES}/{space.pk}/threads", data).status_code == 403
    assert post_json(client, f"{SPACES}/threads/{thread.pk}/posts", data).status_code == 403
    assert Post.objects.count() == 1


def test_posting_too_often_is_a_429_with_a_clear_message(world, space):
    client = api_client(world, "own_staff")
    url = f"{SPACES}/{space.pk}/threads"
    for number in range(posts.POSTS_PER_WINDOW):
        response = post_json(client, url, {"title": f"Thread {number}", "body": "Words"})
        assert response.status_code == 201, response.content
    refused = post_json(client, url, {"title": "One too many", "body": "Words"})
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith(f"You have posted {posts.POSTS_PER_WINDOW} times")
    assert Thread.objects.count() == posts.POSTS_PER_WINDOW


# --- Posts ---------------------------------------------------------------------------------------


def test_posts_come_oldest_first_a_page_at_a_time(world, space):
    thread = started(world, space)
    replies = [posts.reply(world.actor("partner_staff"), thread, body=f"R{n}") for n in range(3)]
    client = api_client(world, "own_staff")
    url = f"{SPACES}/threads/{thread.pk}/posts"
    first = client.get(url, {"limit": 2}).json()
    rest = client.get(url, {"limit": 2, "cursor": first["next"]}).json()
    opening = Post.objects.get(thread=thread, is_opening=True)
    seen = [item["id"] for item in first["items"] + rest["items"]]
    assert seen == [opening.pk, *(reply.pk for reply in replies)]
    assert first["items"][0]["is_opening"] and first["items"][0]["may_edit"]
    assert not first["items"][1]["may_edit"]  # partner_staff's
    assert rest["next"] is None


def test_hostile_text_comes_back_as_typed_and_only_as_harmless_html(world, space):
    client = api_client(world, "own_staff")
    made = post_json(
        client, f"{SPACES}/{space.pk}/threads", {"title": "<b>Title</b>", "body": HOSTILE}
    )
    assert made.status_code == 201, made.content
    thread_id = made.json()["id"]
    reply = post_json(client, f"{SPACES}/threads/{thread_id}/posts", {"body": HOSTILE})
    assert reply.status_code == 201, reply.content
    items = client.get(f"{SPACES}/threads/{thread_id}/posts").json()["items"]
    assert len(items) == 2
    for item in items:
        html = item["body_html"]
        tags = _tags(html)
        assert {tag for tag, _ in tags} <= ALLOWED_TAGS
        for tag, attributes in tags:
            assert set(attributes) <= {"href", "rel", "start"}, (tag, attributes)
            href = attributes.get("href") or "https:"
            assert href.startswith(("https:", "http:", "mailto:")), href
        assert "\u202e" not in html and "\x07" not in html
        assert "&lt;script&gt;" in html
        assert item["body"].startswith("<script>alert('x')</script>")
        assert "\u202e" not in item["body"] and "\x07" not in item["body"]
    assert client.get(f"{SPACES}/threads/{thread_id}").json()["title"] == "<b>Title</b>"


def test_a_member_replies_and_the_thread_counts_it(world, space):
    thread = started(world, space)
    response = post_json(
        api_client(world, "partner_staff"),
        f"{SPACES}/threads/{thread.pk}/posts",
        {"body": "We take turns."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "We take turns."
    assert response.json()["may_edit"] is True
    detail = api_client(world, "own_staff").get(f"{SPACES}/threads/{thread.pk}").json()
    assert detail["reply_count"] == 1


def test_the_lead_reads_but_may_not_reply_and_a_locked_thread_takes_no_reply(world, space):
    thread = started(world, space)
    url = f"{SPACES}/threads/{thread.pk}/posts"
    lead = api_client(world, "partnership_lead")
    assert lead.get(url).status_code == 200
    assert post_json(lead, url, {"body": "Hello"}).status_code == 403
    Thread.objects.filter(pk=thread.pk).update(locked_at=timezone.now())
    locked = post_json(api_client(world, "partner_staff"), url, {"body": "Hello"})
    assert locked.status_code == 409
    assert locked.json()["detail"] == "This thread is locked: no more replies"
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_hidden_post_is_shown_only_to_moderators(world, space):
    thread = started(world, space)
    hidden = PostFactory(
        thread=thread,
        author=world.partner_staff,
        author_organisation=world.partner,
        body="Something unkind",
        hidden_at=timezone.now(),
        hidden_reason="Abusive",
    )
    url = f"{SPACES}/threads/{thread.pk}/posts"
    member = api_client(world, "own_staff").get(url)
    assert hidden.pk not in ids(member)
    assert "Something unkind" not in member.text
    moderator = api_client(world, "space_moderator").get(url).json()["items"]
    assert [(item["id"], item["hidden"]) for item in moderator][-1] == (hidden.pk, True)


def test_the_author_edits_their_post_and_it_shows_as_edited(world, space):
    thread = started(world, space)
    opening = Post.objects.get(thread=thread, is_opening=True)
    client = api_client(world, "own_staff")
    response = client.patch(
        f"{SPACES}/posts/{opening.pk}",
        {"body": "Now with *emphasis*", "title": "Group supervision, again"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["edited_at"] is not None
    assert response.json()["body_html"] == "<p>Now with <em>emphasis</em></p>\n"
    thread.refresh_from_db()
    assert thread.title == "Group supervision, again"


def test_nobody_else_edits_or_deletes_a_post(world, space):
    thread = started(world, space)
    opening = Post.objects.get(thread=thread, is_opening=True)
    url = f"{SPACES}/posts/{opening.pk}"
    for persona in ("partner_staff", "space_moderator", "partnership_lead"):
        client = api_client(world, persona)
        assert client.patch(url, {"body": "Mine now"}, content_type=JSON).status_code == 403
        assert client.delete(url).status_code == 403
    outsider = api_client(world, "outsider")
    assert outsider.patch(url, {"body": "Mine now"}, content_type=JSON).status_code == 404
    assert outsider.delete(url).status_code == 404
    opening.refresh_from_db()
    assert opening.body == "How?" and opening.deleted_at is None


def test_an_edit_is_checked_like_a_new_post(world, space):
    thread = started(world, space)
    opening = Post.objects.get(thread=thread, is_opening=True)
    response = api_client(world, "own_staff").patch(
        f"{SPACES}/posts/{opening.pk}", {"body": " \t "}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "body (body): Enter your post"


def test_a_deleted_post_stays_as_a_placeholder_without_words(world, space):
    thread = started(world, space)
    reply = posts.reply(world.actor("own_staff"), thread, body="A secret I regret")
    client = api_client(world, "own_staff")
    response = client.delete(f"{SPACES}/posts/{reply.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["deleted"] is True
    items = api_client(world, "partner_staff").get(f"{SPACES}/threads/{thread.pk}/posts")
    placeholder = items.json()["items"][-1]
    assert placeholder["id"] == reply.pk and placeholder["deleted"] is True
    assert placeholder["body"] is None and placeholder["body_html"] is None
    assert "A secret I regret" not in items.text
    assert client.delete(f"{SPACES}/posts/{reply.pk}").status_code == 403


# --- Query counts --------------------------------------------------------------------------------


def test_lists_ask_as_many_queries_for_one_item_as_for_several(world, space):
    thread = started(world, space)
    client = api_client(world, "own_staff")
    urls = [SPACES, f"{SPACES}/{space.pk}/threads", f"{SPACES}/threads/{thread.pk}/posts"]
    one = [api_queries(client, url) for url in urls]
    for number in range(3):
        more = started(world, space, persona="partner_staff", title=f"T{number}")
        posts.reply(world.actor("partner_staff"), thread, body=f"Reply {number}")
        other = SpaceFactory(partnership=world.partnership, owner_organisation=world.own)
        SpaceMemberFactory(space=other, person=world.own_staff, organisation=world.own)
        assert more.pk
    assert [api_queries(client, url) for url in urls] == one
