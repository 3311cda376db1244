"""The own, partner's and outsider's commitment statement for the statement pages: version 1,
unsigned, of a new enrolment of the object's organisation (apprenticeships_scene.statement)."""

from __future__ import annotations

from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs


def statement(world: World, which: str) -> Kwargs:
    return {"pk": apprenticeships_scene.statement(world, which).pk}


RESOLVERS = {
    "apprenticeships:statement": statement,
    "apprenticeships:sign_statement": statement,
    "apprenticeships:statement_html": statement,
    "apprenticeships:statement_pdf": statement,
}
