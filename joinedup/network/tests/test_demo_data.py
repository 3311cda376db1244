"""The demo's learning together story, loaded by `joinedup demo` through the app demo hook."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from joinedup.network import access
from joinedup.network.demo_data import ADOPTER_LABEL, BOARD_ID, BOARD_KIND, BOARD_TITLE, load
from joinedup.network.models import (
    Initiative,
    LearningReview,
    Post,
    Report,
    ReportStatus,
    Space,
    SpaceKind,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import Employment, Person


def login_of(demo, label: str) -> Person:
    email = next(login.email for login in demo.logins if login.persona == label)
    return Person.objects.get(email=email)


def actor_of(person: Person) -> Actor:
    job = Employment.objects.current().filter(person=person).select_related("organisation").first()
    return Actor(person=person, organisation=job.organisation)


def test_apprentices_of_a_council_and_a_trust_discuss_their_module_together(demo, db):
    board = Space.objects.get(context_kind=BOARD_KIND, context_id=BOARD_ID)
    assert (board.kind, board.title) == (SpaceKind.CONTEXT, BOARD_TITLE)
    sam, pat = login_of(demo, "Own-organisation staff"), login_of(demo, "Partner staff")
    authors = {
        post.author_organisation.official_code: post.author
        for post in Post.objects.filter(space=board).select_related("author_organisation")
    }
    assert authors["E09000003"] == sam and authors["R1K"] == pat
    # Each reads the other's posts; someone outside the board reads none of them.
    for person in (sam, pat):
        assert access.visible_posts(actor_of(person)).filter(space=board).count() >= 3
    outsider = login_of(demo, "Outsider (another partnership)")
    assert not access.visible_posts(actor_of(outsider)).filter(space=board).exists()


def test_a_reported_post_waits_for_the_partnership_lead(demo, db):
    report = Report.objects.get(status=ReportStatus.OPEN)
    lead = actor_of(login_of(demo, "Partnership lead"))
    assert access.may_moderate(lead, report.post.space)
    client = Client()
    client.force_login(lead.person, backend="joinedup.partnership.auth.EmailBackend")
    page = client.get(reverse("network:moderation"))
    assert page.status_code == 200
    assert "Acacia Road" in page.content.decode()


def test_the_register_holds_public_initiatives_with_reviews_and_an_adoption(demo, db):
    public = Initiative.objects.filter(is_public=True)
    assert public.count() == 2
    assert LearningReview.objects.filter(initiative__in=public).count() == 2
    discharge = Initiative.objects.get(title__startswith="Discharge to assess")
    assert discharge.reviews.get().measures.count() == 2
    assert not discharge.adoptions.exists()
    # Brent's L&D lead, a printed demo login, may mark it adopted; the sign-in works.
    adopter = login_of(demo, ADOPTER_LABEL)
    assert access.may_adopt(actor_of(adopter), discharge)
    assert adopter.check_password(DEMO_PASSWORD)


def test_loading_again_changes_nothing(demo, db):
    assert load() == {}
