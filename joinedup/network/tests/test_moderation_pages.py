"""Moderation pages through HTTP: the whole flow from a report to a restored post, the queue, the
action forms (reasons named when missing, settled states said plainly), the moderation log, the
code of conduct, and who is refused (403) or told nothing (404)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.network import access
from joinedup.network.models import ModerationAction, Report, ReportStatus
from joinedup.network.tests.factories import PostFactory

from .moderation_data import build_scene


@pytest.fixture
def scene(world):
    return build_scene(world)


def test_a_report_is_hidden_by_a_moderator_and_restored(
    world, scene, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a reader who reports a reply as spam
    reader = client_for("partner_staff")
    form = reader.get(reverse("network:post-report", args=[scene.reply.pk])).content.decode()
    assert reverse("network:code-of-conduct") in form and "Spam or advertising" in form
    with django_capture_on_commit_callbacks(execute=True):
        sent = reader.post(
            reverse("network:post-report", args=[scene.reply.pk]),
            {"reason": "spam", "detail": "Selling ink"},
        )
    assert sent.status_code == 302
    assert [mail.to for mail in mailoutbox] == [[world.own_ld_lead.email]]

    # When the moderator opens the queue, they see the post's text, the reason and the actions
    moderator = client_for("own_ld_lead")
    queue = moderator.get(reverse("network:moderation")).content.decode()
    assert "Buy cheap printer ink" in queue and "Spam or advertising" in queue
    assert "Selling ink" in queue
    hide_url = reverse("network:post-hide", args=[scene.reply.pk])
    assert hide_url in queue

    # and hides the post, saying why
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hidden = moderator.post(hide_url, {"reason": "Advertising is not allowed", "back": "queue"})
    assert hidden.status_code == 302 and hidden["Location"] == reverse("network:moderation")
    assert (
        "Buy cheap printer ink" not in moderator.get(reverse("network:moderation")).content.decode()
    )

    # Then the author is told why, and readers no longer see the post
    [mail] = mailoutbox
    assert mail.to == [world.own_staff.email] and "Advertising is not allowed" in mail.body
    assert Report.objects.get().status == ReportStatus.UPHELD
    for persona in ("partner_staff", "own_staff"):
        assert not access.visible_posts(world.actor(persona)).filter(pk=scene.reply.pk).exists()
        page = client_for(persona).get(reverse("network:thread", args=[scene.thread.pk]))
        assert page.status_code == 200
        assert "Buy cheap printer ink" not in page.content.decode()
    moderator_view = moderator.get(reverse("network:thread", args=[scene.thread.pk]))
    assert "Buy cheap printer ink" in moderator_view.content.decode()

    # And the moderator restores it from the space's log
    log = moderator.get(reverse("network:space-moderation-log", args=[scene.space.pk]))
    restore_url = reverse("network:post-restore", args=[scene.reply.pk])
    assert "Advertising is not allowed" in log.content.decode()
    assert restore_url in log.content.decode()
    restored = moderator.post(restore_url, {"reason": "Agreed with the author"})
    assert restored.status_code == 302
    assert access.visible_posts(world.actor("partner_staff")).filter(pk=scene.reply.pk).exists()


def test_a_missing_report_reason_is_named(world, scene, client_for):
    page = client_for("partner_staff").post(
        reverse("network:post-report", args=[scene.reply.pk]), {"detail": "Rude"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "Choose why you are reporting this post" in text
    assert 'href="#id_reason"' in text and 'id="id_reason"' in text
    assert not Report.objects.exists()


def test_a_second_report_is_refused_kindly(world, scene, client_for):
    reader = client_for("partner_staff")
    url = reverse("network:post-report", args=[scene.reply.pk])
    reader.post(url, {"reason": "spam"})
    page = reader.get(url).content.decode()
    assert "You reported this post on" in page and "Send report" not in page
    again = reader.post(url, {"reason": "abuse"})
    assert again.status_code == 200
    assert "You have already reported this post" in again.content.decode()
    assert Report.objects.count() == 1


def test_the_author_may_not_report_their_own_post(scene, client_for):
    url = reverse("network:post-report", args=[scene.reply.pk])
    assert client_for("own_staff").get(url).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["network:post-hide", "network:post-restore", "network:post-report"],
)
def test_people_who_do_not_read_the_post_are_told_nothing(scene, client_for, name):
    url = reverse(name, args=[scene.reply.pk])
    for persona in ("own_admin", "outsider"):
        assert client_for(persona).get(url).status_code == 404


def test_a_member_who_does_not_moderate_is_refused(scene, client_for):
    member = client_for("partner_staff")
    assert member.get(reverse("network:post-hide", args=[scene.reply.pk])).status_code == 403
    refused = member.post(reverse("network:post-hide", args=[scene.reply.pk]), {"reason": "x"})
    assert refused.status_code == 403
    assert member.get(reverse("network:thread-lock", args=[scene.thread.pk])).status_code == 403
    assert member.get(reverse("network:moderation")).status_code == 403
    log = reverse("network:space-moderation-log", args=[scene.space.pk])
    assert member.get(log).status_code == 403
    assert client_for("outsider").get(log).status_code == 404
    scene.reply.refresh_from_db()
    assert scene.reply.hidden_at is None


def test_a_missing_moderator_reason_is_named(scene, client_for):
    page = client_for("own_ld_lead").post(
        reverse("network:post-hide", args=[scene.reply.pk]), {"reason": ""}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "Enter why you are hiding this post" in text
    assert 'href="#id_reason"' in text
    assert not ModerationAction.objects.exists()


def test_hiding_a_hidden_post_says_so(world, scene, client_for):
    moderator = client_for("own_ld_lead")
    url = reverse("network:post-hide", args=[scene.reply.pk])
    moderator.post(url, {"reason": "Advert"})
    page = moderator.get(url).content.decode()
    assert "This post is already hidden." in page
    assert reverse("network:post-restore", args=[scene.reply.pk]) in page
    again = moderator.post(url, {"reason": "Again"})
    assert again.status_code == 200 and "This post is already hidden." in again.content.decode()
    assert ModerationAction.objects.count() == 1


def test_locking_and_unlocking_a_thread(world, scene, client_for):
    lead = client_for("partnership_lead")
    locked = lead.post(reverse("network:thread-lock", args=[scene.thread.pk]), {"reason": "Heated"})
    assert locked.status_code == 302
    scene.thread.refresh_from_db()
    assert scene.thread.locked_at is not None
    assert not access.may_reply(world.actor("partner_staff"), scene.thread)
    page = lead.get(reverse("network:thread-lock", args=[scene.thread.pk])).content.decode()
    assert "This thread is already locked." in page
    unlocked = lead.post(
        reverse("network:thread-unlock", args=[scene.thread.pk]), {"reason": "Calmer now"}
    )
    assert unlocked.status_code == 302
    scene.thread.refresh_from_db()
    assert access.may_reply(world.actor("partner_staff"), scene.thread)


def test_dismissing_a_report(world, scene, client_for):
    client_for("partner_staff").post(
        reverse("network:post-report", args=[scene.reply.pk]), {"reason": "off_topic"}
    )
    found = Report.objects.get()
    moderator = client_for("own_ld_lead")
    url = reverse("network:report-dismiss", args=[found.pk])
    assert "Off topic" in moderator.get(url).content.decode()
    # Reports are the moderators' alone: a reader (even the author) is told nothing of them.
    assert client_for("own_staff").get(url).status_code == 404
    assert moderator.post(url, {"reason": "It is on topic"}).status_code == 302
    found.refresh_from_db()
    assert found.status == ReportStatus.DISMISSED
    assert "already been decided" in moderator.get(url).content.decode()
    assert (
        "Buy cheap printer ink" not in moderator.get(reverse("network:moderation")).content.decode()
    )


def test_the_moderation_queue_is_for_moderators_and_the_lead(scene, client_for):
    assert client_for("partnership_lead").get(reverse("network:moderation")).status_code == 200
    assert client_for("own_ld_lead").get(reverse("network:moderation")).status_code == 200
    for persona in ("own_staff", "own_admin", "outsider"):
        assert client_for(persona).get(reverse("network:moderation")).status_code == 403


def test_the_queue_lists_oldest_reports_first_in_the_same_queries(world, scene, client_for):
    moderator = client_for("own_ld_lead")
    client_for("partner_staff").post(
        reverse("network:post-report", args=[scene.reply.pk]), {"reason": "spam"}
    )
    with CaptureQueriesContext(connection) as few:
        moderator.get(reverse("network:moderation"))
    newer = PostFactory(thread=scene.thread, body="A later reply that is also reported")
    for post in (newer, *PostFactory.create_batch(3, thread=scene.thread)):
        client_for("partner_staff").post(
            reverse("network:post-report", args=[post.pk]), {"reason": "abuse"}
        )
    with CaptureQueriesContext(connection) as many:
        page = moderator.get(reverse("network:moderation")).content.decode()
    assert len(many) == len(few)
    assert page.index("Buy cheap printer ink") < page.index("A later reply that is also reported")


def test_the_moderation_log_escapes_hostile_reasons(scene, client_for):
    moderator = client_for("own_ld_lead")
    moderator.post(
        reverse("network:post-hide", args=[scene.reply.pk]),
        {"reason": "<script>alert(1)</script> advert"},
    )
    page = moderator.get(reverse("network:space-moderation-log", args=[scene.space.pk]))
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    assert (
        client_for("partnership_lead")
        .get(reverse("network:space-moderation-log", args=[scene.space.pk]))
        .status_code
        == 200
    )


def test_the_code_of_conduct_is_for_everyone_signed_in(client_for):
    page = client_for("outsider").get(reverse("network:code-of-conduct"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "personal data" in text and "If your post is hidden" in text
    anonymous = client_for("anonymous").get(reverse("network:code-of-conduct"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_the_front_page_links_to_the_code_of_conduct_and_to_moderators_queue(scene, client_for):
    member = client_for("partner_staff").get(reverse("network:home")).content.decode()
    assert reverse("network:code-of-conduct") in member
    assert reverse("network:moderation") not in member
    moderator = client_for("own_ld_lead").get(reverse("network:home")).content.decode()
    assert reverse("network:moderation") in moderator


def test_the_thread_page_offers_moderators_their_actions(world, scene, client_for):
    url = reverse("network:thread", args=[scene.thread.pk])
    hide = reverse("network:post-hide", args=[scene.reply.pk])
    lock = reverse("network:thread-lock", args=[scene.thread.pk])
    member = client_for("partner_staff").get(url).content.decode()
    assert hide not in member and lock not in member
    moderator = client_for("partnership_lead")
    page = moderator.get(url).content.decode()
    assert hide in page and lock in page
    moderator.post(hide, {"reason": "Advert"})
    page = moderator.get(url).content.decode()
    assert reverse("network:post-restore", args=[scene.reply.pk]) in page
