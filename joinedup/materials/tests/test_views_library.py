"""The library search page (materials:library): searching and filtering what the person may read,
through HTTP, with its query count fixed whatever the library's size."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning.tests.factories import TopicFactory
from joinedup.materials import search
from joinedup.materials.models import Licence, Material, MaterialKind
from joinedup.materials.tests.factories import MaterialFactory

pytestmark = pytest.mark.django_db

URL = "/materials/"


def material(owner, title, *, text="", topics=(), **fields) -> Material:
    """A material whose search document is made as the services make it."""
    made = MaterialFactory(owner=owner, title=title, **fields)
    made.topics.set(topics)
    document = "\n".join(p for p in (made.summary, *(t.name for t in topics), text) if p)
    Material.objects.filter(pk=made.pk).update(search_document=document)
    return made


def page(client, **params) -> str:
    response = client.get(f"{URL}?{urlencode(params)}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_library_is_at_materials():
    assert reverse("materials:library") == URL


def test_a_partner_finds_a_facilitator_guide_by_a_phrase_inside_it(world, client_for):
    guide = material(
        world.own,
        "Working with families",
        kind=MaterialKind.FACILITATOR_GUIDE,
        licence=Licence.CC_BY_SA_4,
        text="Ask the group to map every door the family knocked on before the break.",
    )
    material(world.own, "Working with families (other)", text="The family knocked; every door.")

    html = page(client_for("partner_ld_lead"), q='"every door the family knocked"')

    assert f'href="{reverse("materials:material", args=[guide.pk])}"' in html
    assert "Working with families (other)" not in html
    assert "Facilitator guide from London Borough of Barnet, CC BY-SA 4.0" in html
    # FTS5 marks the phrase as a whole, PostgreSQL each of its words.
    assert re.search(r"<mark>[^<]*knocked</mark>", html)
    assert "1 to 1</span>" in html


def test_materials_the_person_may_not_read_are_never_found(world, client_for):
    material(world.own, "Barnet private handbook", licence=Licence.OWNER_ONLY)
    material(world.outsider_org, "Manchester shared handbook", licence=Licence.PARTNERSHIP)
    material(world.own, "Barnet hidden handbook", hidden_at=timezone.now())
    material(world.own, "Barnet shared handbook")

    html = page(client_for("partner_staff"), q="handbook")

    assert "Barnet shared handbook" in html
    for unseen in ("private", "Manchester", "hidden"):
        assert f"{unseen} handbook" not in html


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    response = client_for("anonymous").get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_filters_are_applied_and_kept_in_the_form(world, client_for):
    topic = TopicFactory(name="Leadership")
    material(world.own, "Handbook one", kind=MaterialKind.TOOLKIT, topics=[topic])
    material(world.own, "Handbook two", kind=MaterialKind.TOOLKIT)
    material(world.partner, "Handbook three", kind=MaterialKind.TOOLKIT, topics=[topic])

    html = page(
        client_for("own_staff"),
        q="handbook",
        kind=MaterialKind.TOOLKIT,
        owner=world.own.pk,
        topic=topic.pk,
        licence=Licence.PARTNERSHIP,
    )

    assert "Handbook one" in html
    assert "Handbook two" not in html and "Handbook three" not in html
    assert '<option value="toolkit" selected>' in html
    assert f'<option value="{topic.pk}" selected>' in html
    assert "Clear search and filters" in html


def test_a_filter_value_not_in_the_list_is_named_not_a_500(world, client_for):
    material(world.own, "Handbook")

    html = page(client_for("own_staff"), kind="spreadsheet", owner="x", topic="99999")

    assert "There is a problem" in html
    assert "Choose a kind of material from the list" in html
    assert "Choose an owner organisation from the list" in html
    assert "Choose a topic from the list" in html
    assert "Handbook" in html


def test_a_search_too_long_is_named(world, client_for):
    html = page(client_for("own_staff"), q="x" * (search.MAX_QUERY_CHARS + 1))

    assert f"Search must be {search.MAX_QUERY_CHARS} characters or fewer" in html


@pytest.mark.parametrize(
    "query", ["q=%22", "q=AND+(", "q=NEAR(", "q=-", "q=%00", "q=*", "q=%27;+--", "q=%ED%A0%80"]
)
def test_hostile_searches_answer_with_a_page(world, client_for, query):
    material(world.own, "Handbook")

    response = client_for("own_staff").get(URL, QUERY_STRING=query)

    assert response.status_code == 200


def test_text_from_files_is_escaped_in_snippets(world, client_for):
    material(world.own, "Guide", text="Click <script>alert(1)</script> to continue the exercise.")

    html = page(client_for("own_staff"), q="exercise")

    # Escaped on SQLite; PostgreSQL's headline leaves out what its parser reads as tags.
    assert "<script>alert(1)" not in html
    assert "alert(1)" in html


def test_pages_link_on_with_the_search_kept_and_say_more_than(world, client_for, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    for number in range(3):
        material(world.own, f"Induction {number}")
    client = client_for("own_staff")

    first = page(client, q="induction")
    second = page(client, q="induction", page=2)

    assert "1 to 2 of more than 2" in first
    assert 'href="?q=induction&amp;page=2"' in first
    assert "3 to 3</span>" in second
    assert 'href="?q=induction&amp;page=1"' in second
    assert "1 to 2 of more than 2" in page(client, q="induction", page="two")


def test_nothing_found_says_so(world, client_for):
    html = page(client_for("own_staff"), q="zebra")

    assert "No materials match your search and filters." in html


@pytest.mark.parametrize("params", [{"q": "handbook", "kind": MaterialKind.TOOLKIT}, {}])
def test_the_query_count_does_not_grow_with_the_library(world, client_for, params):
    topic = TopicFactory(name="Leadership")
    client = client_for("partner_ld_lead")
    url = f"{URL}?{urlencode({**params, 'topic': topic.pk})}"

    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    material(world.own, "Handbook 0", kind=MaterialKind.TOOLKIT, topics=[topic])
    few = counted()
    for number in range(1, 25):
        owner = (world.own, world.partner, world.icb)[number % 3]
        material(owner, f"Handbook {number}", kind=MaterialKind.TOOLKIT, topics=[topic])
    many = counted()

    assert few == many
    assert many <= 12
