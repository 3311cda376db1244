"""The own, partner's and outsider's space, thread, post and attachment for the thread and post
routes (see network_scene.py: each made anew, written by the object's staff persona)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.lib import uploads
from joinedup.network.models import Attachment
from joinedup.partnership.tests.world import World

from . import network_scene
from .objects import Kwargs


def space(world: World, which: str) -> Kwargs:
    return {"space_pk": network_scene.space(world, which).pk}


def thread(world: World, which: str) -> Kwargs:
    return {"pk": network_scene.thread(world, which).pk}


def post(world: World, which: str) -> Kwargs:
    return {"pk": network_scene.post(world, which).pk}


def attachment(world: World, which: str) -> Kwargs:
    """A small text file on a reply, stored by the upload service."""
    reply = network_scene.post(world, which)
    checked = uploads.check_upload(SimpleUploadedFile("notes.txt", b"Notes from the session.\n"))
    made = Attachment.objects.create(
        post=reply,
        storage_name=uploads.store(checked),
        file_name=checked.file_name,
        content_type=checked.content_type,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
    )
    return {"pk": made.pk}


RESOLVERS = {
    "network:thread-new": space,
    "network:thread": thread,
    "network:thread-reply": thread,
    "network:post-edit": post,
    "network:post-delete": post,
    "network:attachment": attachment,
}
