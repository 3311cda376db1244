"""The materials API: list, search, detail, versions and their files, lineage and reuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, TopicFactory
from joinedup.lib.uploads import check_upload, store
from joinedup.materials.models import Licence, MaterialKind, Reuse
from joinedup.materials.tests.factories import (
    FileVersionFactory,
    MaterialAuthorFactory,
    MaterialFactory,
    MaterialVersionFactory,
    ReuseFactory,
)
from joinedup.materials.tests.service_helpers import private_folder, text_file
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)
from joinedup.partnership.tests.factories import OrganisationFactory

MATERIALS = f"{API}/materials"


def _material(owner, *, title: str = "Reflective supervision guide", **fields):
    """A material of `owner` with one link version (partnership-licensed unless given)."""
    fields.setdefault("licence", Licence.PARTNERSHIP)
    material = MaterialFactory(owner=owner, title=title, **fields)
    MaterialVersionFactory(material=material, number=1)
    return material


def _walk(client, url: str, params: dict | None = None) -> list[int]:
    """Every id of a list, following the `next` cursors."""
    seen, cursor = [], None
    for _ in range(50):
        response = client.get(url, {**(params or {}), **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        seen += ids(response)
        cursor = response.json()["next"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ran out")


@pytest.fixture
def files_root(settings, tmp_path):
    return private_folder(settings, tmp_path)


# --- Listing ------------------------------------------------------------------------------------


def test_list_shows_what_the_caller_may_read_by_licence_and_publication(world):
    own = _material(world.own, title="Own owner-only", licence=Licence.OWNER_ONLY)
    shared = _material(world.partner, title="Partner shared")
    kept = _material(world.partner, title="Partner kept", licence=Licence.OWNER_ONLY)
    hidden = _material(world.partner, title="Partner hidden", hidden_at=timezone.now())
    published = _material(
        world.outsider_org,
        title="Outsider published",
        licence=Licence.CC_BY_4,
        published_openly_at=timezone.now(),
    )
    unpublished = _material(world.outsider_org, title="Outsider open", licence=Licence.CC_BY_4)
    listed = _walk(api_client(world, "own_staff"), MATERIALS)
    assert listed == [published.pk, own.pk, shared.pk]
    assert kept.pk not in listed and hidden.pk not in listed and unpublished.pk not in listed


def test_list_shows_hidden_materials_to_their_keepers_only(world):
    hidden = _material(world.own, hidden_at=timezone.now(), hidden_reason="Out of date")
    assert ids(api_client(world, "own_ld_lead").get(MATERIALS)) == [hidden.pk]
    assert ids(api_client(world, "own_staff").get(MATERIALS)) == []
    assert ids(api_client(world, "partnership_lead").get(MATERIALS)) == [hidden.pk]


def test_list_items_carry_licence_owner_topics_and_current_version(world):
    topic = TopicFactory(name="Supervision")
    material = _material(world.partner, kind=MaterialKind.WORKBOOK, licence=Licence.CC_BY_SA_4)
    material.topics.add(topic)
    (item,) = api_client(world, "own_staff").get(MATERIALS).json()["items"]
    assert item["id"] == material.pk
    assert item["kind"] == "workbook"
    assert item["licence"] == {
        "code": "cc-by-sa-4",
        "label": "CC BY-SA 4.0",
        "is_open": True,
        "url": item["licence"]["url"],
    }
    assert item["licence"]["url"].startswith("https://creativecommons.org/")
    assert item["owner"] == {"id": world.partner.pk, "name": world.partner.name}
    assert item["topics"] == [{"id": topic.pk, "name": "Supervision"}]
    version = item["current_version"]
    assert version["number"] == 1
    assert version["is_link"] is True
    assert version["download"].endswith(
        f"/api/v1/materials/versions/{material.current_version_id}/download"
    )
    assert item["published_openly"] is False and item["hidden"] is False


def test_list_filters_by_kind_licence_owner_and_topic(world):
    topic = TopicFactory(name="Trauma-informed practice")
    wanted = _material(world.partner, kind=MaterialKind.HANDOUT, licence=Licence.OGL_3)
    wanted.topics.add(topic)
    _material(world.partner, kind=MaterialKind.HANDOUT)
    _material(world.own, kind=MaterialKind.HANDOUT, licence=Licence.OGL_3)
    other_kind = _material(world.partner, kind=MaterialKind.VIDEO, licence=Licence.OGL_3)
    other_kind.topics.add(topic)
    client = api_client(world, "own_staff")
    params = {"kind": "handout", "licence": "ogl-3", "owner": world.partner.pk}
    assert ids(client.get(MATERIALS, params)) == [wanted.pk]
    assert ids(client.get(MATERIALS, {"topic": topic.pk, "kind": "handout"})) == [wanted.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "poster"}, "kind (query)"),
        ({"licence": "all-rights-reserved"}, "licence (query)"),
        ({"owner": "0"}, "owner (query)"),
        ({"topic": "x"}, "topic (query)"),
        ({"cursor": "not-a-cursor"}, "cursor (query)"),
        ({"limit": "201"}, "limit (query)"),
    ],
)
def test_list_refuses_bad_filters_naming_the_field(world, params, field):
    response = api_client(world, "own_staff").get(MATERIALS, params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field)


def test_list_pages_by_title_with_cursors(world):
    made = [_material(world.own, title=f"Guide {n:02}").pk for n in range(7)]
    client = api_client(world, "own_staff")
    first = client.get(MATERIALS, {"limit": 3}).json()
    assert [item["id"] for item in first["items"]] == made[:3]
    assert _walk(client, MATERIALS, {"limit": 3}) == made


def test_list_query_count_does_not_grow_with_the_materials(world):
    topic = TopicFactory(name="Coaching")
    client = api_client(world, "partner_staff")
    for n in range(2):
        _material(world.own, title=f"Small {n}").topics.add(topic)
    few = api_queries(client, MATERIALS)
    for n in range(25):
        material = _material(world.own, title=f"Large {n}")
        material.topics.add(topic, TopicFactory(name=f"Topic {n}"))
    assert api_queries(client, MATERIALS) == few


@pytest.mark.parametrize("path", ["", "/search?q=coaching"])
def test_lists_never_read_the_text_inside_files(world, path):
    _material(world.own, title="Coaching", search_document="coaching " * 1000)
    client = api_client(world, "own_staff")
    client.get(f"{MATERIALS}{path}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{MATERIALS}{path}")
    assert len(response.json()["items"]) == 1
    assert not any("extracted_text" in query["sql"] for query in captured.captured_queries)


def test_anonymous_callers_are_asked_to_authenticate_even_for_openly_published_materials(world):
    published = _material(world.own, licence=Licence.OGL_3, published_openly_at=timezone.now())
    client = api_client(world, "anonymous")
    for url in (MATERIALS, f"{MATERIALS}/{published.pk}", f"{MATERIALS}/search"):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_organisation_token_reads_its_organisation_and_partners_materials(world):
    own = _material(world.own, title="Own")
    partner = _material(world.partner, title="Partner")
    outsider = _material(world.outsider_org, title="Outsider")
    client = organisation_client(world, "own_admin")
    assert ids(client.get(MATERIALS)) == [own.pk, partner.pk]
    assert client.get(f"{MATERIALS}/{outsider.pk}").status_code == 404


# --- Search -------------------------------------------------------------------------------------


def test_search_finds_words_inside_files_and_ranks_the_title_first(world):
    in_text = _material(
        world.partner,
        title="Session plans",
        search_document="Appendix: a facilitator guide for reflective supervision groups.",
    )
    in_title = _material(world.partner, title="Reflective supervision", search_document="Plans.")
    _material(world.partner, title="Budgeting", search_document="Spreadsheets.")
    body = (
        api_client(world, "own_ld_lead")
        .get(f"{MATERIALS}/search", {"q": "reflective supervision"})
        .json()
    )
    assert [hit["material"]["id"] for hit in body["items"]] == [in_title.pk, in_text.pk]
    assert body["items"][0]["rank"] > body["items"][1]["rank"] > 0
    marked = [piece["text"] for piece in body["items"][1]["snippet"] if piece["marked"]]
    assert [text.lower() for text in marked] == ["reflective", "supervision"]
    assert body["page"] == 1 and body["next_page"] is None and body["capped"] is False


def test_search_keeps_to_what_the_caller_may_read_and_to_the_filters(world):
    words = {"search_document": "Trauma informed practice for social workers."}
    wanted = _material(world.partner, kind=MaterialKind.TOOLKIT, **words)
    _material(world.partner, kind=MaterialKind.VIDEO, **words)
    _material(world.partner, licence=Licence.OWNER_ONLY, kind=MaterialKind.TOOLKIT, **words)
    _material(world.outsider_org, kind=MaterialKind.TOOLKIT, **words)
    response = api_client(world, "own_staff").get(
        f"{MATERIALS}/search", {"q": "trauma", "kind": "toolkit", "owner": world.partner.pk}
    )
    assert [hit["material"]["id"] for hit in response.json()["items"]] == [wanted.pk]


def test_search_without_words_lists_by_title_with_summaries(world):
    second = _material(world.own, title="Beta", summary="The second one.")
    first = _material(world.own, title="Alpha", summary="The first one.")
    items = api_client(world, "own_staff").get(f"{MATERIALS}/search").json()["items"]
    assert [hit["material"]["id"] for hit in items] == [first.pk, second.pk]
    assert items[0]["snippet"] == [{"text": "The first one.", "marked": False}]
    assert items[0]["rank"] == 0


def test_search_pages_are_numbered_and_the_next_one_is_given(world):
    for n in range(25):
        _material(world.own, title=f"Coaching guide {n:02}")
    client = api_client(world, "own_staff")
    first = client.get(f"{MATERIALS}/search", {"q": "coaching"}).json()
    assert len(first["items"]) == 20 and first["next_page"] == 2
    second = client.get(f"{MATERIALS}/search", {"q": "coaching", "page": 2}).json()
    assert len(second["items"]) == 5 and second["next_page"] is None
    seen = {hit["material"]["id"] for hit in first["items"] + second["items"]}
    assert len(seen) == 25


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "26"}, "page (query)"), ({"page": "0"}, "page (query)"), ({"q": "x" * 1001}, "q")],
)
def test_search_refuses_bad_input_naming_the_field(world, params, field):
    response = api_client(world, "own_staff").get(f"{MATERIALS}/search", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field)


def test_search_of_no_words_finds_nothing_and_control_characters_are_ignored(world):
    material = _material(world.own, title="Coaching conversations")
    client = api_client(world, "own_staff")
    nothing = client.get(f"{MATERIALS}/search", {"q": '"" - or'})
    assert nothing.status_code == 200
    assert nothing.json()["items"] == []
    for query in ("q=%00coaching%01", "q=coaching%20%ED%A0%80"):
        response = client.get(f"{MATERIALS}/search?{query}")
        assert response.status_code == 200, response.content
        assert [hit["material"]["id"] for hit in response.json()["items"]] == [material.pk]


def test_search_query_count_does_not_grow_with_the_results(world):
    client = api_client(world, "partner_ld_lead")
    topic = TopicFactory(name="Coaching")
    for n in range(2):
        _material(world.own, title=f"Coaching {n}").topics.add(topic)
    few = api_queries(client, f"{MATERIALS}/search?q=coaching")
    for n in range(20):
        _material(world.own, title=f"Coaching more {n}").topics.add(topic)
    assert api_queries(client, f"{MATERIALS}/search?q=coaching") == few


# --- Detail -------------------------------------------------------------------------------------


def test_detail_is_404_for_a_material_the_caller_may_not_read(world):
    kept = _material(world.partner, licence=Licence.OWNER_ONLY)
    outsider = _material(world.outsider_org)
    client = api_client(world, "own_ld_lead")
    for material in (kept, outsider):
        response = client.get(f"{MATERIALS}/{material.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No such material"}
    assert client.get(f"{MATERIALS}/{2**63 - 1}").status_code == 404
    assert client.get(f"{MATERIALS}/{2**63}").status_code == 422


def test_detail_credits_authors_by_their_choice_outside_the_owner(world):
    material = _material(world.own)
    MaterialAuthorFactory(material=material, person=world.own_staff, show_name_publicly=True)
    MaterialAuthorFactory(material=material, person=world.own_ld_lead, position=1)
    own = api_client(world, "own_admin").get(f"{MATERIALS}/{material.pk}").json()
    assert [a["family_name"] for a in own["authors"]] == ["Staff", "Learning"]
    assert own["organisation_credited"] is False
    partner = api_client(world, "partner_staff").get(f"{MATERIALS}/{material.pk}").json()
    assert partner["authors"] == [{"given_name": "Sam", "family_name": "Staff"}]
    assert partner["organisation_credited"] is True


def test_detail_says_what_the_caller_may_do(world):
    material = _material(world.own, licence=Licence.OGL_3)
    allowed = api_client(world, "own_ld_lead").get(f"{MATERIALS}/{material.pk}").json()["allowed"]
    assert allowed == {
        "edit": True,
        "adapt": True,
        "record_reuse": False,
        "report": True,
        "hide": True,
        "publish_openly": True,
    }
    partner = api_client(world, "partner_ld_lead").get(f"{MATERIALS}/{material.pk}").json()
    assert partner["allowed"] == {
        "edit": False,
        "adapt": True,
        "record_reuse": True,
        "report": True,
        "hide": False,
        "publish_openly": False,
    }
    token = organisation_client(world, "partner_admin").get(f"{MATERIALS}/{material.pk}").json()
    assert not any(token["allowed"].values())


def test_detail_offers_no_adapting_without_a_current_version(world):
    material = MaterialFactory(owner=world.partner, licence=Licence.CC_BY_4)
    client = api_client(world, "own_ld_lead")
    allowed = client.get(f"{MATERIALS}/{material.pk}").json()["allowed"]
    assert allowed["adapt"] is False
    assert allowed["record_reuse"] is True
    MaterialVersionFactory(material=material)
    assert client.get(f"{MATERIALS}/{material.pk}").json()["allowed"]["adapt"] is True


def test_detail_shows_the_hiding_reason_only_to_who_may_hide(world):
    material = _material(world.own, hidden_at=timezone.now(), hidden_reason="Wrong contact")
    lead = api_client(world, "partnership_lead").get(f"{MATERIALS}/{material.pk}").json()
    assert lead["hidden"] is True and lead["hidden_reason"] == "Wrong contact"
    keeper = api_client(world, "own_admin").get(f"{MATERIALS}/{material.pk}").json()
    assert keeper["hidden_reason"] == "Wrong contact"
    assert api_client(world, "own_staff").get(f"{MATERIALS}/{material.pk}").status_code == 404


def test_detail_lists_only_programmes_the_caller_can_see(world):
    material = _material(world.own)
    shared = ProgrammeFactory(host=world.own, title="Shared programme")
    material.programmes.add(shared)
    body = api_client(world, "partner_staff").get(f"{MATERIALS}/{material.pk}").json()
    assert body["programmes"] == [{"id": shared.pk, "title": "Shared programme"}]


def test_detail_credits_the_source_even_when_the_caller_cannot_open_it(world):
    source = _material(world.partner, title="Trust original", licence=Licence.CC_BY_4)
    adaptation = _material(
        world.own,
        title="Council adaptation",
        licence=Licence.CC_BY_4,
        adapted_from=source.current_version,
        family_root=source,
        published_openly_at=timezone.now(),
    )
    partner_view = api_client(world, "own_staff").get(f"{MATERIALS}/{adaptation.pk}").json()
    assert partner_view["adapted_from"] == {
        "material": source.pk,
        "title": "Trust original",
        "owner": {"id": world.partner.pk, "name": world.partner.name},
        "version_number": 1,
    }
    outsider_view = api_client(world, "outsider").get(f"{MATERIALS}/{adaptation.pk}").json()
    assert outsider_view["adapted_from"]["material"] is None
    assert outsider_view["adapted_from"]["title"] == "Trust original"


# --- Versions and files -------------------------------------------------------------------------


def test_versions_are_listed_newest_first_and_paged(world):
    material = _material(world.own)
    MaterialVersionFactory(material=material, number=2, change_note="Second")
    latest = MaterialVersionFactory(material=material, number=3, change_note="Third")
    client = api_client(world, "partner_staff")
    body = client.get(f"{MATERIALS}/{material.pk}/versions", {"limit": 2}).json()
    assert [v["number"] for v in body["items"]] == [3, 2]
    assert body["items"][0]["id"] == latest.pk
    assert body["items"][0]["change_note"] == "Third"
    rest = client.get(f"{MATERIALS}/{material.pk}/versions", {"cursor": body["next"]}).json()
    assert [v["number"] for v in rest["items"]] == [1]
    kept = _material(world.own, licence=Licence.OWNER_ONLY)
    assert client.get(f"{MATERIALS}/{kept.pk}/versions").status_code == 404


def test_versions_query_count_does_not_grow_with_the_versions(world):
    material = _material(world.own)
    client = api_client(world, "partner_staff")
    url = f"{MATERIALS}/{material.pk}/versions"
    few = api_queries(client, url)
    for number in range(2, 30):
        MaterialVersionFactory(material=material, number=number)
    assert api_queries(client, url) == few


def test_a_file_version_downloads_as_an_attachment_never_inline(world, files_root):
    checked = check_upload(text_file("Session one: check in."))
    material = _material(world.own)
    version = FileVersionFactory(
        material=material,
        number=2,
        storage_name=store(checked),
        file_name="plan <script>.html",
        content_type="text/html",
    )
    response = api_client(world, "partner_staff").get(f"{MATERIALS}/versions/{version.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Session one: check in."
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"


def test_an_earlier_version_stays_downloadable_and_a_link_redirects(world):
    material = _material(world.own)
    first = material.current_version
    MaterialVersionFactory(material=material, number=2)
    response = api_client(world, "partner_staff").get(f"{MATERIALS}/versions/{first.pk}/download")
    assert response.status_code == 302
    assert response["Location"] == first.external_url


def test_a_download_is_404_when_the_material_is_unseen_or_the_file_is_gone(world, files_root):
    kept = _material(world.partner, licence=Licence.OWNER_ONLY)
    gone = FileVersionFactory(material=_material(world.own), number=2)
    client = api_client(world, "own_staff")
    unseen = client.get(f"{MATERIALS}/versions/{kept.current_version_id}/download")
    assert unseen.status_code == 404
    missing = client.get(f"{MATERIALS}/versions/{gone.pk}/download")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "This version's file is missing"}


# --- Lineage ------------------------------------------------------------------------------------


def test_lineage_is_the_family_tree_from_the_original_with_version_numbers(world):
    original = _material(world.partner, title="Trust original", licence=Licence.CC_BY_4)
    MaterialAuthorFactory(material=original, person=world.partner_staff, show_name_publicly=True)
    MaterialVersionFactory(material=original, number=2)
    first = original.versions.get(number=1)
    council = _material(
        world.own,
        title="Council adaptation",
        licence=Licence.CC_BY_4,
        adapted_from=first,
        family_root=original,
    )
    _material(
        world.outsider_org,
        title="Manchester adaptation",
        licence=Licence.CC_BY_4,
        adapted_from=council.current_version,
        family_root=original,
    )
    tree = api_client(world, "own_staff").get(f"{MATERIALS}/{council.pk}/lineage").json()
    assert tree["material"] == original.pk
    assert tree["is_original_of_this"] is True and tree["is_this"] is False
    assert tree["credited_authors"] == [{"given_name": "Pat", "family_name": "Staff"}]
    (child,) = tree["children"]
    assert child["material"] == council.pk and child["is_this"] is True
    assert child["adapted_from_version_number"] == 1
    # The outsider's adaptation is not visible and leads to nothing visible: left out.
    assert child["children"] == []


def test_lineage_credits_an_original_the_caller_cannot_open_by_title_only(world):
    original = _material(world.partner, title="Trust original", licence=Licence.OWNER_ONLY)
    adaptation = _material(
        world.own,
        title="Council version",
        licence=Licence.OGL_3,
        adapted_from=original.current_version,
        family_root=original,
    )
    tree = api_client(world, "own_staff").get(f"{MATERIALS}/{adaptation.pk}/lineage").json()
    assert tree["material"] is None
    assert tree["title"] == "Trust original"
    assert tree["owner"]["id"] == world.partner.pk
    assert tree["children"][0]["material"] == adaptation.pk


# --- Reuse --------------------------------------------------------------------------------------


def test_reuse_totals_show_to_readers_and_who_reused_to_the_owner_and_lead(world):
    material = _material(world.own)
    ReuseFactory(material=material, organisation=world.partner, cost_saved=Decimal("100.00"))
    ReuseFactory(material=material, organisation=world.partner, cost_saved=Decimal("50.50"))
    ReuseFactory(material=material, organisation=world.icb, cost_saved=Decimal("400.00"))
    url = f"{MATERIALS}/{material.pk}/reuse"
    partner = api_client(world, "partner_staff").get(url).json()
    assert partner["totals"] == {
        "reuses": 3,
        "organisations": 2,
        "learners": 36,
        "hours_saved": "22.5",
        "cost_saved": "550.50",
    }
    assert partner["by_organisation"] is None
    for who in ("own_staff", "partnership_lead"):
        rows = api_client(world, who).get(url).json()["by_organisation"]
        assert [(row["organisation"]["id"], row["reuses"], row["cost_saved"]) for row in rows] == [
            (world.icb.pk, 1, "400.00"),
            (world.partner.pk, 2, "150.50"),
        ]
    owner_token = organisation_client(world, "own_admin").get(url).json()
    assert len(owner_token["by_organisation"]) == 2


def _reuse_body(**fields) -> dict:
    body = {
        "used_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "context": "Induction for newly qualified social workers",
        "learners_reached": 18,
        "hours_saved": "12.5",
        "cost_saved": "640.00",
    }
    return {**body, **fields}


def test_a_partners_ld_lead_records_a_reuse_which_the_owner_then_sees(world):
    material = _material(world.own)
    client = api_client(world, "partner_ld_lead")
    response = client.post(
        f"{MATERIALS}/{material.pk}/reuse", _reuse_body(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == {"id": world.partner.pk, "name": world.partner.name}
    assert body["version"] == material.current_version_id
    assert body["cost_saved"] == "640.00" and body["hours_saved"] == "12.5"
    reuse = Reuse.objects.get(pk=body["id"])
    assert reuse.recorded_by == world.partner_ld_lead
    assert AuditEvent.objects.filter(action="material.reuse_recorded").count() == 1
    owner = api_client(world, "own_ld_lead").get(f"{MATERIALS}/{material.pk}/reuse").json()
    assert owner["totals"]["cost_saved"] == "640.00"
    assert owner["by_organisation"][0]["organisation"]["id"] == world.partner.pk


def test_a_reuse_on_a_run_the_caller_can_see(world):
    material = _material(world.own)
    run = RunFactory(programme=ProgrammeFactory(host=world.partner))
    response = api_client(world, "partner_ld_lead").post(
        f"{MATERIALS}/{material.pk}/reuse",
        _reuse_body(context="", run=run.pk),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["run"] == run.pk


def test_recording_a_reuse_needs_a_personal_token_and_a_role(world):
    material = _material(world.own)
    url = f"{MATERIALS}/{material.pk}/reuse"
    token = organisation_client(world, "partner_admin").post(
        url, _reuse_body(), content_type="application/json"
    )
    assert token.status_code == 403
    assert token.json()["detail"].startswith("An organisation token acts for its organisation")
    staff = api_client(world, "partner_staff").post(
        url, _reuse_body(), content_type="application/json"
    )
    assert staff.status_code == 403
    unseen = api_client(world, "outsider").post(url, _reuse_body(), content_type="application/json")
    assert unseen.status_code == 404
    assert not Reuse.objects.exists()


def test_recording_a_reuse_of_your_own_material_is_refused_by_the_rules(world):
    material = _material(world.own)
    response = api_client(world, "own_ld_lead").post(
        f"{MATERIALS}/{material.pk}/reuse", _reuse_body(), content_type="application/json"
    )
    assert response.status_code == 409
    assert "own material" in response.json()["detail"]
    assert not Reuse.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"used_on": "2999-01-01"}, "used_on (body): The date you used it must be today"),
        ({"used_on": "1999-12-31"}, "used_on (body): The date you used it must be in 2000"),
        ({"used_on": "yesterday"}, "used_on (body)"),
        ({"learners_reached": -1}, "learners_reached (body)"),
        ({"learners_reached": 10**12}, "learners_reached (body)"),
        ({"learners_reached": 200_000}, "learners_reached (body): Learners reached must be"),
        ({"hours_saved": "1.25"}, "hours_saved (body)"),
        ({"cost_saved": "-1"}, "cost_saved (body)"),
        ({"cost_saved": "NaN"}, "cost_saved (body)"),
        ({"cost_saved": "99999999.00"}, "cost_saved (body): Cost saved must be"),
        ({"context": ""}, "context (body): Choose the run you used it on"),
        ({"context": "x" * 301}, "context (body)"),
        ({"context": "nul\x00"}, "context (body)"),
        ({"run": 2**31}, "run (body): choose a run your organisation can see"),
    ],
)
def test_bad_reuse_input_is_refused_naming_the_field(world, fields, field):
    material = _material(world.own)
    response = api_client(world, "partner_ld_lead").post(
        f"{MATERIALS}/{material.pk}/reuse", _reuse_body(**fields), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith(field)
    assert not Reuse.objects.exists()


def test_a_reuse_on_a_run_the_caller_cannot_see_is_refused(world):
    material = _material(world.own)
    elsewhere = RunFactory(programme=ProgrammeFactory(host=OrganisationFactory()))
    response = api_client(world, "partner_ld_lead").post(
        f"{MATERIALS}/{material.pk}/reuse",
        _reuse_body(run=elsewhere.pk),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("run (body)")


def test_a_browser_session_reads_but_cannot_record_a_reuse(world, client_for):
    material = _material(world.own)
    client = client_for("partner_ld_lead")
    assert client.get(f"{MATERIALS}/{material.pk}").status_code == 200
    response = client.post(
        f"{MATERIALS}/{material.pk}/reuse", _reuse_body(), content_type="application/json"
    )
    assert response.status_code == 401


# --- The OpenAPI document -----------------------------------------------------------------------


def test_every_materials_operation_is_in_the_openapi_document(world):
    paths = api_client(world, "anonymous").get(f"{API}/openapi.json").json()["paths"]
    operations = {
        f"{method.upper()} {path}"
        for path, methods in paths.items()
        if path.startswith("/api/v1/materials")
        for method in methods
    }
    assert operations == {
        "GET /api/v1/materials",
        "GET /api/v1/materials/search",
        "GET /api/v1/materials/{pk}",
        "GET /api/v1/materials/{pk}/versions",
        "GET /api/v1/materials/versions/{pk}/download",
        "GET /api/v1/materials/{pk}/lineage",
        "GET /api/v1/materials/{pk}/reuse",
        "POST /api/v1/materials/{pk}/reuse",
    }
    download = paths["/api/v1/materials/versions/{pk}/download"]["get"]["responses"]
    assert {"200", "302", "404"} <= set(download)
