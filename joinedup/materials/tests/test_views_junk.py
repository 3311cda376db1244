"""Junk sent to every materials form and page (odd text, wrong types, lists where one value is
expected, search syntax) is answered with a page or a refusal, never a server error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from joinedup.materials.models import Licence, Material, MaterialReport, Reuse
from joinedup.materials.tests.page_helpers import linked_material, open_material
from joinedup.partnership.forms import DateInputField

JUNK_TEXT = ["\x00", "x" * 100_000, "'; DROP TABLE x; --", "<script>alert(1)</script>", "💥 \u202e"]
JUNK_NUMBERS = ["-1", "1e400", "NaN", "Infinity", "9" * 40, "0x10", "1,5", "abc", ""]


def _junk_posts(fields: list[str]) -> list[dict]:
    posts = [{}]
    for field in fields:
        posts += [{field: value} for value in JUNK_TEXT + JUNK_NUMBERS]
        posts.append({field: ["1", "2", "zz"]})
    return posts


MATERIAL_FIELDS = [
    "title", "summary", "kind", "licence", "topics", "programmes", "authors", "show_my_name",
    "external_url", "change_note",
]  # fmt: skip
REUSE_FIELDS = ["used_on_day", "used_on_month", "used_on_year", "used_on", "context", "run",
                "learners_reached", "hours_saved", "cost_saved"]  # fmt: skip


def _no_server_error(client, url: str, posts: list[dict], base: dict) -> None:
    for post in posts:
        response = client.post(url, {**base, **post})
        assert response.status_code in (200, 302, 400), (url, post, response.status_code)


@pytest.fixture
def partners_material(world) -> Material:
    return linked_material(world.partner, licence=Licence.CC_BY_SA_4)


def test_junk_on_the_material_forms_is_refused_not_a_server_error(world, client_for):
    own = linked_material(world.own, licence=Licence.CC_BY_4)
    client = client_for("own_ld_lead")
    base = {
        "title": "A title", "kind": "handout", "licence": Licence.CC_BY_4,
        "external_url": "https://example.org/a", "change_note": "First.",
    }  # fmt: skip
    posts = _junk_posts(MATERIAL_FIELDS)
    posts.append({"external_url": "javascript:alert(1)"})
    for url in (
        reverse("materials:create"),
        reverse("materials:edit", args=[own.pk]),
        reverse("materials:new-version", args=[own.pk]),
    ):
        _no_server_error(client, url, posts, base)
    # A NUL byte is refused with the field named; nothing holding one is stored.
    assert not any("\x00" in m.title + m.summary for m in Material.objects.all())


def test_junk_on_adapting_and_reuse_is_refused_not_a_server_error(
    world, client_for, partners_material
):
    client = client_for("own_ld_lead")
    adapt = {"title": "Adapted", "kind": "handout", "licence": Licence.CC_BY_SA_4}
    _no_server_error(
        client,
        reverse("materials:adapt", args=[partners_material.pk]),
        _junk_posts(MATERIAL_FIELDS),
        adapt,
    )
    reuse = {
        "used_on_day": "1", "used_on_month": "2", "used_on_year": "2026",
        "learners_reached": "3", "hours_saved": "1", "cost_saved": "1", "context": "A course",
    }  # fmt: skip
    _no_server_error(
        client,
        reverse("materials:record-reuse", args=[partners_material.pk]),
        _junk_posts(REUSE_FIELDS) + [{"used_on_year": "99999"}, {"used_on_month": "13"}],
        reuse,
    )
    # Only posts whose figures and date were sensible were kept: none with a junk one.
    kept = Reuse.objects.values_list("learners_reached", "hours_saved", "cost_saved", "used_on")
    assert kept and {row[:3] for row in kept} == {(3, 1, 1)}
    assert {row[3].isoformat() for row in kept} == {"2026-02-01"}


def test_junk_on_publishing_reporting_and_hiding_is_refused_not_a_server_error(
    world, client_for, partners_material
):
    own = linked_material(world.own, licence=Licence.OGL_3)
    lead = client_for("own_ld_lead")
    posts = _junk_posts(["licence_confirmed", "content_confirmed", "reason", "details", "note"])
    _no_server_error(lead, reverse("materials:publish", args=[own.pk]), posts, {})
    _no_server_error(
        lead, reverse("materials:report", args=[partners_material.pk]), posts, {"reason": "error"}
    )
    _no_server_error(lead, reverse("materials:hide", args=[own.pk]), posts, {})
    report = MaterialReport.objects.filter(material=partners_material).first()
    assert report is not None  # the posts whose details were sensible text were kept
    partner = client_for("partner_ld_lead")
    _no_server_error(partner, reverse("materials:report-dismiss", args=[report.pk]), posts, {})
    _no_server_error(partner, reverse("materials:report-hide", args=[report.pk]), posts, {})


@pytest.mark.parametrize(
    "query",
    [
        {"q": '"'}, {"q": "NEAR(a b)"}, {"q": "a AND OR NOT"}, {"q": "*"}, {"q": "title:x"},
        {"q": "-"}, {"q": "^a"}, {"q": "a:b:c"}, {"q": "()"}, {"q": "\x00"}, {"q": "x" * 5000},
        {"q": "!&|<->"}, {"q": "'"}, {"q": "\\"}, {"kind": "zz"}, {"licence": "zz"},
        {"owner": "abc"}, {"owner": "99999999999999999999999"}, {"topic": "-1"},
        {"page": "-1"}, {"page": "abc"}, {"page": "99999999999999999999"}, {"page": "0"},
        {"q": ["a", "b"]},
    ],
)  # fmt: skip
def test_junk_searches_and_pages_answer_without_a_server_error(world, client_for, query):
    open_material(world.own, title="Open one", summary="kitchen table debrief")
    client = client_for("partner_ld_lead")
    response = client.get(reverse("materials:library"), query)
    assert response.status_code in (200, 400), (query, response.status_code)
    for name in ("materials:mine", "materials:reports", "materials:open-list"):
        junk = {"after": query.get("q", "zz"), "before": "!!"}
        assert client.get(reverse(name), junk).status_code in (200, 400), name


@pytest.mark.parametrize("parts", [["9" * 40, "1", "2026"], ["1", "9" * 25, "2026"]])
def test_a_day_or_month_of_many_digits_is_not_a_real_date(parts):
    with pytest.raises(ValidationError, match="Date you used it must be a real date"):
        DateInputField(label="Date you used it").clean(parts)


def test_text_of_only_spaces_is_refused_as_missing_naming_the_field(
    world, client_for, partners_material
):
    own = linked_material(world.own, licence=Licence.CC_BY_4)
    lead = client_for("own_ld_lead")
    spaces = " \t\n\u3000 "
    posted = {
        reverse("materials:create"): (
            {
                "title": spaces,
                "kind": "handout",
                "licence": Licence.CC_BY_4,
                "external_url": "https://example.org/a",
            },  # fmt: skip
            "Enter the material&#x27;s title",
        ),
        reverse("materials:report", args=[partners_material.pk]): (
            {"reason": "error", "details": spaces},
            "Give the details of what is wrong",
        ),
        reverse("materials:hide", args=[own.pk]): (
            {"reason": spaces},
            "Give the reason for hiding it",
        ),
        reverse("materials:record-reuse", args=[partners_material.pk]): (
            {
                "used_on_day": "1",
                "used_on_month": "2",
                "used_on_year": "2026",
                "learners_reached": "3",
                "hours_saved": "1",
                "cost_saved": "1",
                "context": spaces,
            },  # fmt: skip
            "govuk-error-summary",
        ),
    }
    for url, (data, message) in posted.items():
        response = lead.post(url, data)
        assert response.status_code == 200, url
        assert message in response.content.decode(), url
    assert Material.objects.count() == 2
    assert not MaterialReport.objects.exists()
    assert not Reuse.objects.exists()
