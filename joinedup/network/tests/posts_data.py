"""The scene the thread and post tests share: a community of the standing partnership owned by
own staff, with partner staff a member (shown with their trust) and the space moderator persona
named moderator. Own admin is in the partnership but no member; the partnership lead reads and
moderates without being a member; the outsider sees nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.network.models import Space
from joinedup.network.tests.factories import SpaceFactory, SpaceMemberFactory
from joinedup.partnership.tests.world import World


def community(world: World) -> Space:
    space = SpaceFactory(
        partnership=world.partnership,
        owner_organisation=world.own,
        owner=world.own_staff,
        title="Social work practice",
    )
    SpaceMemberFactory(space=space, person=world.own_staff, organisation=world.own)
    SpaceMemberFactory(space=space, person=world.partner_staff, organisation=world.partner)
    SpaceMemberFactory(
        space=space, person=world.space_moderator, organisation=world.partner, is_moderator=True
    )
    return space


def text_file(name: str = "notes.txt", content: bytes = b"Notes from the session.\n"):
    return SimpleUploadedFile(name, content, content_type="text/plain")
