"""Thread and post pages: starting a thread, reading one a page at a time, replying, editing,
deleting, downloading attachments, and what each person is shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.network import posts
from joinedup.network.models import Post, Thread, ThreadRead
from joinedup.network.tests.factories import PostFactory

from .posts_data import community, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(world):
    return community(world)


@pytest.fixture
def thread(world, space):
    return posts.start_thread(
        world.actor("own_staff"), space, "Group supervision", "How do you run **group** it?"
    )


def _url(name, *args):
    return reverse(f"network:{name}", args=args)


def test_a_member_starts_a_thread_with_a_file(world, space, client_for):
    response = client_for("partner_staff").post(
        _url("thread-new", space.pk),
        {"title": "Rotas", "body": "Who keeps the **rota**?", "files": [text_file()]},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == _url("thread", thread.pk)
    page = client_for("partner_staff").get(response.url).content.decode()
    assert "Who keeps the <strong>rota</strong>?" in page
    assert "notes.txt" in page and "London North West University Healthcare NHS Trust" in page


def test_a_thread_form_with_problems_names_each_field(world, space, client_for):
    response = client_for("own_staff").post(
        _url("thread-new", space.pk), {"title": "x" * 201, "body": "   "}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter your post" in page
    assert not Thread.objects.exists()
    response = client_for("own_staff").post(
        _url("thread-new", space.pk), {"title": "x" * 201, "body": "Words"}
    )
    assert "Title must be 200 characters or fewer" in response.content.decode()


def test_a_refused_file_is_named_on_the_form(world, space, client_for):
    response = client_for("own_staff").post(
        _url("thread-new", space.pk),
        {"title": "Files", "body": "See", "files": [text_file("evil.html", b"<script>x</script>")]},
    )
    assert response.status_code == 200
    assert "evil.html: " in response.content.decode()
    assert not Thread.objects.exists()


def test_the_thread_page_shows_each_post_with_its_author_organisation_and_edits(
    world, thread, client_for
):
    reply = posts.reply(world.actor("partner_staff"), thread, "We take turns")
    posts.edit(world.actor("partner_staff"), reply, "We take turns, weekly")
    page = client_for("own_staff").get(_url("thread", thread.pk)).content.decode()
    assert page.index("How do you run") < page.index("We take turns, weekly")
    assert "Sam Staff" in page and "London Borough of Barnet" in page
    assert "Pat Staff" in page and page.count(">edited<") == 1
    # Own staff may change their own post only.
    opening = thread.posts.get(is_opening=True)
    assert _url("post-edit", opening.pk) in page and _url("post-edit", reply.pk) not in page
    assert "Post your reply" in page


def test_a_deleted_post_shows_the_placeholder_in_its_place(world, thread, client_for):
    reply = posts.reply(world.actor("partner_staff"), thread, "Regrettable words")
    posts.reply(world.actor("own_staff"), thread, "A later reply")
    client = client_for("partner_staff")
    assert "Delete your post" in client.get(_url("post-delete", reply.pk)).content.decode()
    response = client.post(_url("post-delete", reply.pk))
    assert response.status_code == 302
    page = client_for("own_staff").get(_url("thread", thread.pk)).content.decode()
    assert "Regrettable" not in page
    assert page.index("This post was deleted by its author.") < page.index("A later reply")


def test_a_hidden_post_is_shown_only_to_moderators_with_the_reason(world, thread, client_for):
    reply = posts.reply(world.actor("partner_staff"), thread, "Buy printer ink")
    Post.objects.filter(pk=reply.pk).update(hidden_at=timezone.now(), hidden_reason="Advertising")
    for moderator in ("space_moderator", "partnership_lead"):
        page = client_for(moderator).get(_url("thread", thread.pk)).content.decode()
        assert "Hidden by a moderator: Advertising" in page and "Buy printer ink" in page
    page = client_for("own_staff").get(_url("thread", thread.pk)).content.decode()
    assert "Buy printer ink" not in page and "Hidden by a moderator" not in page


def test_a_locked_thread_says_why_and_offers_no_reply(world, thread, client_for):
    Thread.objects.filter(pk=thread.pk).update(
        locked_at=timezone.now(), lock_reason="The discussion has run its course"
    )
    client = client_for("own_staff")
    page = client.get(_url("thread", thread.pk)).content.decode()
    assert "This thread is locked: The discussion has run its course" in page
    assert "Post your reply" not in page
    assert client.post(_url("thread-reply", thread.pk), {"body": "Late"}).status_code == 403


def test_a_reply_is_posted_and_a_bad_one_shown_again_with_its_error(world, thread, client_for):
    client = client_for("partner_staff")
    response = client.post(_url("thread-reply", thread.pk), {"body": "Thanks"})
    reply = Post.objects.get(body="Thanks")
    assert response.status_code == 302 and response.url.endswith(f"#post-{reply.pk}")
    response = client.post(_url("thread-reply", thread.pk), {"body": "\u202e\x07"})
    assert response.status_code == 200 and "Enter your post" in response.content.decode()


def test_the_rate_limit_is_explained_on_the_reply_form(world, thread, client_for):
    client = client_for("own_staff")
    for n in range(posts.POSTS_PER_WINDOW - 1):
        assert client.post(_url("thread-reply", thread.pk), {"body": f"R{n}"}).status_code == 302
    page = client.post(_url("thread-reply", thread.pk), {"body": "Again"}).content.decode()
    assert "You have posted 10 times in 5 minutes." in page


def test_the_author_edits_the_title_with_the_opening_post(world, thread, client_for):
    opening = thread.posts.get(is_opening=True)
    client = client_for("own_staff")
    assert "Group supervision" in client.get(_url("post-edit", opening.pk)).content.decode()
    response = client.post(
        _url("post-edit", opening.pk), {"title": "Supervision in groups", "body": "Changed"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    opening.refresh_from_db()
    assert thread.title == "Supervision in groups" and opening.edited_at is not None


def test_someone_elses_post_cannot_be_edited_or_deleted(world, thread, client_for):
    opening = thread.posts.get(is_opening=True)
    client = client_for("partner_staff")
    assert client.get(_url("post-edit", opening.pk)).status_code == 403
    assert client.post(_url("post-delete", opening.pk)).status_code == 403
    assert client_for("outsider").get(_url("post-edit", opening.pk)).status_code == 404


def test_attachments_download_for_readers_only(world, space, client_for):
    thread = posts.start_thread(
        world.actor("own_staff"), space, "Files", "See the notes", files=[text_file()]
    )
    attachment = thread.posts.get().attachments.get()
    response = client_for("space_moderator").get(_url("attachment", attachment.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"Notes from the session.\n"
    assert client_for("own_admin").get(_url("attachment", attachment.pk)).status_code == 404
    assert client_for("outsider").get(_url("attachment", attachment.pk)).status_code == 404


def test_viewing_a_thread_marks_it_read_up_to_the_last_post_shown(world, thread, client_for):
    reply = posts.reply(world.actor("own_staff"), thread, "More")
    client_for("partner_staff").get(_url("thread", thread.pk))
    assert ThreadRead.objects.get(person=world.partner_staff).read_at == reply.created_at


def test_a_thread_pages_twenty_five_posts_at_a_time(world, thread, client_for):
    for n in range(30):
        PostFactory(thread=thread, body=f"Numbered reply {n:02d}.")
    client = client_for("own_staff")
    first = client.get(_url("thread", thread.pk))
    page = first.content.decode()
    # The opening post and 24 replies.
    assert "Numbered reply 23." in page and "Numbered reply 24." not in page
    cursor = first.context["page"].next_cursor
    second = client.get(_url("thread", thread.pk), {"after": cursor}).content.decode()
    assert "Numbered reply 24." in second and "Numbered reply 29." in second
    assert "How do you run" not in second and "Post your reply" in second
    assert "Post your reply" not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_thread_page_query_count_does_not_grow_with_its_posts(world, thread, client_for):
    client = client_for("partner_staff")
    url = _url("thread", thread.pk)
    PostFactory(thread=thread, author=world.partner_staff, author_organisation=world.partner)
    few = _queries(client, url)
    PostFactory.create_batch(
        70, thread=thread, author=world.partner_staff, author_organisation=world.partner
    )
    posts.start_thread(world.actor("partner_staff"), thread.space, "Other", "Other thread")
    assert _queries(client, url) == few


def test_the_report_link_appears_when_the_report_page_exists(world, thread, client_for):
    page = client_for("partner_staff").get(_url("thread", thread.pk)).content.decode()
    try:
        report = reverse("network:post-report", args=[thread.posts.get(is_opening=True).pk])
    except Exception:  # noqa: BLE001 - the moderation pages are not here yet
        assert "Report<span" not in page
    else:
        assert report in page
