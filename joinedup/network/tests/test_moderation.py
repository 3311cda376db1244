"""Moderation services: reporting, hiding and restoring posts, locking threads, dismissing
reports; who may do each, the e-mails they send, the moderation log and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.network import access, moderation
from joinedup.network.models import ModerationAction, ModerationKind, Report, ReportStatus
from joinedup.network.tests.factories import SpaceFactory
from joinedup.partnership.models import AuditEvent, NotificationPreference

from .moderation_data import build_scene


@pytest.fixture
def scene(world):
    return build_scene(world)


def _report(world, scene, persona="partner_staff", reason="spam", detail=""):
    return moderation.report(
        actor=world.actor(persona), post=scene.reply, reason=reason, detail=detail
    )


def test_hiding_a_reported_post_upholds_the_report_and_hides_it_from_readers(
    world, scene, mailoutbox, django_capture_on_commit_callbacks
):
    made = _report(world, scene)
    moderator = world.actor("own_ld_lead")
    with django_capture_on_commit_callbacks(execute=True):
        action = moderation.hide(actor=moderator, post=scene.reply, reason="Advertising")

    made.refresh_from_db()
    scene.reply.refresh_from_db()
    assert made.status == ReportStatus.UPHELD
    assert made.decided_by == world.own_ld_lead and made.decided_at is not None
    assert scene.reply.hidden_by == world.own_ld_lead and scene.reply.hidden_reason == "Advertising"
    assert action.kind == ModerationKind.HIDE and action.reason == "Advertising"
    assert action.space == scene.space and action.post == scene.reply
    for reader in ("partner_staff", "own_staff"):
        assert not access.visible_posts(world.actor(reader)).filter(pk=scene.reply.pk).exists()
        # The thread itself stays: only its opening post hides it.
        assert access.visible_threads(world.actor(reader)).filter(pk=scene.thread.pk).exists()
    for moderator_persona in ("own_ld_lead", "partnership_lead"):
        found = access.visible_posts(world.actor(moderator_persona))
        assert found.filter(pk=scene.reply.pk).exists()
    [mail] = [m for m in mailoutbox if m.to == [world.own_staff.email]]
    assert "hid your post" in mail.subject
    assert "Advertising" in mail.body and "Buy cheap printer ink" in mail.body


def test_restoring_shows_the_post_again_and_tells_the_author(
    world, scene, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = world.actor("own_ld_lead")
    moderation.hide(actor=moderator, post=scene.reply, reason="Advertising")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.restore(actor=moderator, post=scene.reply, reason="The link is a council page")
    scene.reply.refresh_from_db()
    assert scene.reply.hidden_at is None and scene.reply.hidden_by is None
    assert access.visible_posts(world.actor("partner_staff")).filter(pk=scene.reply.pk).exists()
    [mail] = mailoutbox
    assert mail.to == [world.own_staff.email] and "shown again" in mail.subject
    assert "The link is a council page" in mail.body
    kinds = list(ModerationAction.objects.values_list("kind", flat=True))
    assert kinds == [ModerationKind.RESTORE, ModerationKind.HIDE]


def test_hiding_the_opening_post_hides_the_thread_until_restored(world, scene):
    moderator = world.actor("partnership_lead")
    moderation.hide(actor=moderator, post=scene.opening, reason="Names a service user")
    scene.thread.refresh_from_db()
    assert scene.thread.hidden_at is not None
    reader = world.actor("partner_staff")
    assert not access.visible_threads(reader).filter(pk=scene.thread.pk).exists()
    assert not access.visible_posts(reader).filter(pk=scene.reply.pk).exists()
    assert not access.may_reply(world.actor("own_ld_lead"), scene.thread)
    assert access.visible_threads(world.actor("own_ld_lead")).filter(pk=scene.thread.pk).exists()

    moderation.restore(actor=moderator, post=scene.opening, reason="Details removed")
    scene.thread.refresh_from_db()
    assert scene.thread.hidden_at is None
    assert access.visible_threads(reader).filter(pk=scene.thread.pk).exists()


def test_hiding_a_hidden_post_is_a_clear_message(world, scene):
    moderator = world.actor("own_ld_lead")
    moderation.hide(actor=moderator, post=scene.reply, reason="Advertising")
    with pytest.raises(ValidationError, match="already hidden"):
        moderation.hide(actor=moderator, post=scene.reply, reason="Again")
    with pytest.raises(ValidationError, match="not hidden"):
        moderation.restore(actor=moderator, post=scene.opening, reason="Nothing to restore")
    assert ModerationAction.objects.count() == 1


def test_a_moderator_must_give_a_reason(world, scene):
    with pytest.raises(ValidationError) as refused:
        moderation.hide(actor=world.actor("own_ld_lead"), post=scene.reply, reason="   ")
    assert refused.value.message_dict == {"reason": ["Enter why you are hiding this post"]}
    with pytest.raises(ValidationError) as refused:
        moderation.lock(actor=world.actor("own_ld_lead"), thread=scene.thread, reason="")
    assert "reason" in refused.value.message_dict
    scene.reply.refresh_from_db()
    assert scene.reply.hidden_at is None and not ModerationAction.objects.exists()


@pytest.mark.parametrize("persona", ["own_staff", "partner_staff", "own_admin", "outsider"])
def test_only_moderators_and_the_lead_hide_lock_or_dismiss(world, scene, persona):
    made = _report(world, scene)
    actor = world.actor(persona)
    with pytest.raises(PermissionDenied):
        moderation.hide(actor=actor, post=scene.reply, reason="No")
    with pytest.raises(PermissionDenied):
        moderation.lock(actor=actor, thread=scene.thread, reason="No")
    with pytest.raises(PermissionDenied):
        moderation.dismiss(actor=actor, report=made, reason="No")
    assert not ModerationAction.objects.exists()


def test_locking_stops_replies_until_unlocked(
    world, scene, mailoutbox, django_capture_on_commit_callbacks
):
    member = world.actor("partner_staff")
    assert access.may_reply(member, scene.thread)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.lock(actor=world.actor("own_ld_lead"), thread=scene.thread, reason="Heated")
    scene.thread.refresh_from_db()
    assert scene.thread.locked_by == world.own_ld_lead and scene.thread.lock_reason == "Heated"
    assert not access.may_reply(member, scene.thread)
    with pytest.raises(ValidationError, match="already locked"):
        moderation.lock(actor=world.actor("partnership_lead"), thread=scene.thread, reason="x")
    [mail] = mailoutbox
    assert mail.to == [world.own_staff.email] and "locked your thread" in mail.subject
    assert "Heated" in mail.body

    moderation.unlock(actor=world.actor("partnership_lead"), thread=scene.thread, reason="Calm")
    scene.thread.refresh_from_db()
    assert scene.thread.locked_at is None and access.may_reply(member, scene.thread)
    with pytest.raises(ValidationError, match="not locked"):
        moderation.unlock(actor=world.actor("own_ld_lead"), thread=scene.thread, reason="x")


def test_each_action_is_audited_without_its_reason(world, scene):
    made = _report(world, scene)
    moderator = world.actor("own_ld_lead")
    moderation.dismiss(actor=moderator, report=made, reason="Fair comment")
    moderation.hide(actor=moderator, post=scene.reply, reason="Secret reason words")
    moderation.restore(actor=moderator, post=scene.reply, reason="Secret reason words")
    moderation.lock(actor=moderator, thread=scene.thread, reason="Secret reason words")
    moderation.unlock(actor=moderator, thread=scene.thread, reason="Secret reason words")
    events = AuditEvent.objects.filter(action__startswith="network.").order_by("pk")
    assert [event.action for event in events] == [
        "network.post_reported",
        "network.report_dismissed",
        "network.post_hidden",
        "network.post_restored",
        "network.thread_locked",
        "network.thread_unlocked",
    ]
    assert events[0].actor == world.partner_staff and events[0].acting_for == world.partner
    assert events[2].actor == world.own_ld_lead and events[2].partnership == world.partnership
    assert events[2].changes["space"] == scene.space.pk
    for event in events:
        assert "Secret" not in str(event.changes) and "Fair" not in str(event.changes)
    assert ModerationAction.objects.count() == 5


def test_a_second_open_report_by_the_same_person_is_refused_kindly(world, scene):
    _report(world, scene)
    with pytest.raises(ValidationError, match="already reported this post"):
        _report(world, scene, reason="abuse")
    # Another reader may still report it.
    _report(world, scene, persona="own_ld_lead")
    assert Report.objects.filter(post=scene.reply).count() == 2


def test_after_a_dismissal_the_reader_may_report_again(world, scene):
    first = _report(world, scene)
    moderation.dismiss(actor=world.actor("own_ld_lead"), report=first, reason="Fair comment")
    first.refresh_from_db()
    assert first.status == ReportStatus.DISMISSED and first.decided_by == world.own_ld_lead
    with pytest.raises(ValidationError, match="already been decided"):
        moderation.dismiss(actor=world.actor("own_ld_lead"), report=first, reason="Again")
    again = _report(world, scene, reason="abuse")
    assert again.status == ReportStatus.OPEN


def test_the_author_and_non_readers_cannot_report(world, scene):
    for persona in ("own_staff", "own_admin", "outsider"):
        with pytest.raises(PermissionDenied):
            _report(world, scene, persona=persona)
    assert not Report.objects.exists()


def test_a_report_needs_a_reason_and_something_else_needs_detail(world, scene):
    with pytest.raises(ValidationError) as refused:
        _report(world, scene, reason="")
    assert refused.value.message_dict == {"reason": ["Choose why you are reporting this post"]}
    with pytest.raises(ValidationError) as refused:
        _report(world, scene, reason="other", detail="  ")
    assert refused.value.message_dict == {"detail": ["Say what is wrong with the post"]}
    with pytest.raises(ValidationError) as refused:
        _report(world, scene, reason="other", detail="x" * (moderation.DETAIL_LIMIT + 1))
    assert "detail" in refused.value.message_dict
    assert not Report.objects.exists()


def test_a_hidden_post_cannot_be_reported(world, scene):
    moderation.hide(actor=world.actor("partnership_lead"), post=scene.reply, reason="Advert")
    # The named moderator still reads it, and is told it is already dealt with.
    with pytest.raises(ValidationError, match="already hidden"):
        _report(world, scene, persona="own_ld_lead")


def test_the_named_moderators_are_told_of_a_report_but_not_the_reporter(
    world, scene, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _report(world, scene)
    assert [mail.to for mail in mailoutbox] == [[world.own_ld_lead.email]]
    assert "reported" in mailoutbox[0].subject and "spam" in mailoutbox[0].body.lower()
    assert "/network/moderation/" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _report(world, scene, persona="own_ld_lead", reason="abuse")
    assert mailoutbox == []


def test_the_report_e_mail_is_optional(
    world, scene, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(person=world.own_ld_lead, email_optional=False)
    with django_capture_on_commit_callbacks(execute=True):
        _report(world, scene)
    assert mailoutbox == []


def test_a_space_without_named_moderators_tells_the_partnership_lead(world, scene):
    scene.space.members.filter(is_moderator=True).update(is_moderator=False)
    made = _report(world, scene)
    assert moderation.moderators_to_tell(made) == [world.partnership_lead]


def test_the_author_told_of_a_hidden_post_is_always_e_mailed(
    world, scene, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide(actor=world.actor("own_ld_lead"), post=scene.reply, reason="Advert")
    assert [mail.to for mail in mailoutbox] == [[world.own_staff.email]]


def test_a_moderator_of_one_space_moderates_no_other(world, scene):
    other = SpaceFactory(partnership=world.partnership, owner_organisation=world.partner)
    assert access.may_moderate(world.actor("own_ld_lead"), scene.space)
    assert not access.may_moderate(world.actor("own_ld_lead"), other)
    assert access.may_moderate(world.actor("partnership_lead"), other)
