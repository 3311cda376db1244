"""The standards pages: the searchable list with paging, a standard with its KSBs by kind and the
programmes that use it, editing its details and KSBs, and the KSB import page (every problem by
line, nothing saved; or everything saved at once). The outsider reads standards too: they are
reference data; only programme leaders and L&D leads edit them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.apprenticeships.models import Ksb, KsbKind, Standard
from joinedup.apprenticeships.tests.factories import ProgrammeFactory
from joinedup.partnership.models import AuditEvent

GOOD = b"code,type,description\nK1,knowledge,Strategy\nS1,skill,Change\nB1,behaviour,Integrity\n"


@pytest.fixture
def standard(db) -> Standard:
    made = Standard.objects.create(reference_code="ZZ0201", title="Zebra keeping", level=4)
    Ksb.objects.create(
        standard=made, code="S2", kind=KsbKind.SKILL, number=2, description="Feed the zebras"
    )
    Ksb.objects.create(
        standard=made,
        code="K1",
        kind=KsbKind.KNOWLEDGE,
        number=1,
        description="Zebra anatomy",
        illustrative=True,
    )
    return made


def detail_url(standard: Standard) -> str:
    return reverse("apprenticeships:standard", args=[standard.pk])


def test_the_list_searches_by_code(client_for):
    response = client_for("own_staff").get(reverse("apprenticeships:standards"), {"q": "st0480"})

    assert response.status_code == 200
    assert [s.reference_code for s in response.context["page"].items] == ["ST0480"]


def test_the_list_searches_by_title_words_and_filters_by_level(client_for):
    response = client_for("outsider").get(
        reverse("apprenticeships:standards"), {"q": "leader senior", "level": "7"}
    )

    items = response.context["page"].items
    assert "ST0480" in {s.reference_code for s in items}
    assert {s.level for s in items} == {7}


def test_the_list_pages_through_every_standard_in_few_queries(
    client_for, django_assert_max_num_queries
):
    client = client_for("own_staff")
    url = reverse("apprenticeships:standards")
    client.get(url)
    with django_assert_max_num_queries(12):
        first = client.get(url)
    second = client.get(url + first.context["links"]["next"])

    assert len(first.context["page"].items) == 25
    assert not {s.pk for s in first.context["page"].items} & {
        s.pk for s in second.context["page"].items
    }


def test_no_match_says_so(client_for):
    response = client_for("own_staff").get(reverse("apprenticeships:standards"), {"q": "qwxz"})

    assert b'id="no-match"' in response.content


def test_a_bad_level_is_an_error_not_a_crash(client_for):
    response = client_for("own_staff").get(reverse("apprenticeships:standards"), {"level": "9"})

    assert response.status_code == 200
    assert "Choose a level from 2 to 7, or any level" in response.content.decode()


def test_the_standard_page_groups_ksbs_by_kind_with_the_illustrative_tag(client_for, standard):
    response = client_for("outsider").get(detail_url(standard))

    page = response.content.decode()
    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert [k.code for k in groups["Knowledge"]] == ["K1"]
    assert [k.code for k in groups["Skills"]] == ["S2"]
    assert groups["Behaviours"] == []
    assert page.count("govuk-tag--grey") == 1
    assert "Change the details" not in page


def test_the_standard_page_lists_the_programmes_of_the_partnership_that_use_it(
    world, client_for, standard
):
    ours = ProgrammeFactory(
        partnership=world.partnership, provider=world.partner, standard=standard, title="Ours"
    )
    ProgrammeFactory(
        partnership=world.other_partnership,
        provider=world.outsider_org,
        standard=standard,
        title="Theirs",
    )

    response = client_for("own_staff").get(detail_url(standard))

    assert response.context["programmes"] == [ours]
    assert "Theirs" not in response.content.decode()


def test_editors_see_the_edit_links(client_for, standard):
    page = client_for("own_ld_lead").get(detail_url(standard)).content.decode()

    assert reverse("apprenticeships:standard_edit", args=[standard.pk]) in page
    assert reverse("apprenticeships:ksb_import", args=[standard.pk]) in page


def test_an_ld_lead_edits_the_details(client_for, standard):
    url = reverse("apprenticeships:standard_edit", args=[standard.pk])
    form = {
        "level": "5",
        "version": "2.0",
        "typical_duration_months": "18",
        "funding_band": "£9,000",
        "off_the_job_hours": "300",
        "assessment_methods": "Observation",
        "grades": "pass, distinction",
        "source": "Test",
    }

    response = client_for("own_ld_lead").post(url, form)

    assert response.status_code == 302
    standard.refresh_from_db()
    assert (standard.level, standard.funding_band, standard.version) == (5, 9000, "2.0")


def test_a_bad_funding_band_is_shown_on_its_field(client_for, standard):
    url = reverse("apprenticeships:standard_edit", args=[standard.pk])

    response = client_for("own_ld_lead").post(url, {"version": "1.0", "funding_band": "0"})

    assert response.status_code == 200
    assert response.context["form"].errors["funding_band"] == ["Funding band must be more than £0"]
    assert "Error: " in response.content.decode()


def test_someone_without_the_role_may_not_edit(client_for, standard):
    url = reverse("apprenticeships:standard_edit", args=[standard.pk])

    assert client_for("own_staff").get(url).status_code == 403
    assert client_for("outsider").post(url, {"version": "9"}).status_code == 403


def test_adding_a_ksb_with_a_taken_code_shows_the_error(client_for, standard):
    url = reverse("apprenticeships:ksb_add", args=[standard.pk])

    response = client_for("partner_ld_lead").post(url, {"code": "k1", "description": "Again"})

    assert response.context["form"].errors["code"] == [
        "ZZ0201 already has a K1: choose another code"
    ]


def test_adding_changing_and_removing_a_ksb(client_for, standard):
    client = client_for("own_ld_lead")
    added = client.post(
        reverse("apprenticeships:ksb_add", args=[standard.pk]),
        {"code": "B1", "description": "Kind to zebras", "illustrative": "on"},
    )
    assert added.status_code == 302
    ksb = standard.ksbs.get(code="B1")
    assert ksb.illustrative and ksb.kind == KsbKind.BEHAVIOUR

    changed = client.post(
        reverse("apprenticeships:ksb_edit", args=[standard.pk, ksb.pk]),
        {"code": "B3", "description": "Kind to all animals"},
    )
    assert changed.status_code == 302
    ksb.refresh_from_db()
    assert (ksb.code, ksb.number, ksb.illustrative) == ("B3", 3, False)

    removed = client.post(reverse("apprenticeships:ksb_delete", args=[standard.pk, ksb.pk]))
    assert removed.status_code == 302
    assert not standard.ksbs.filter(code="B3").exists()


def test_a_ksb_of_another_standard_is_not_found(client_for, standard):
    other = Standard.objects.create(reference_code="ZZ0202", title="Other")
    ksb = standard.ksbs.get(code="K1")

    response = client_for("own_ld_lead").get(
        reverse("apprenticeships:ksb_edit", args=[other.pk, ksb.pk])
    )

    assert response.status_code == 404


def test_importing_a_good_file_saves_everything_and_says_what_changed(client_for, standard):
    url = reverse("apprenticeships:ksb_import", args=[standard.pk])
    upload = SimpleUploadedFile("ksbs.csv", GOOD, content_type="text/csv")

    response = client_for("own_ld_lead").post(url, {"file": upload}, follow=True)

    assert response.redirect_chain[-1][0] == detail_url(standard)
    assert "KSBs imported: 2 added, 1 updated, 0 unchanged" in response.content.decode()
    assert standard.ksbs.get(code="K1").description == "Strategy"
    assert AuditEvent.objects.filter(object_kind="apprenticeship_ksb").count() == 3


def test_importing_a_bad_file_lists_every_problem_by_line_and_saves_nothing(client_for, standard):
    url = reverse("apprenticeships:ksb_import", args=[standard.pk])
    bad = b"code,type,description\nK1,K,Changed\nQ9,K,Bad\nS3,knowledge,Disagrees\n"

    response = client_for("own_ld_lead").post(
        url, {"file": SimpleUploadedFile("ksbs.csv", bad, content_type="text/csv")}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 2 problems" in page
    assert "Line 3, code: “Q9” is not a KSB code" in page
    assert "Line 4, type: S3 is a skill code but the type says knowledge" in page
    assert "Nothing has been saved" in page
    assert standard.ksbs.get(code="K1").description == "Zebra anatomy"


def test_a_file_that_cannot_be_read_is_an_error_on_the_file_field(client_for, standard):
    url = reverse("apprenticeships:ksb_import", args=[standard.pk])
    upload = SimpleUploadedFile("ksbs.csv", b"K1,K,No headings\n", content_type="text/csv")

    response = client_for("own_ld_lead").post(url, {"file": upload})

    assert "Line 1 must be the column headings" in response.context["form"].errors["file"][0]


def test_no_file_is_an_error(client_for, standard):
    url = reverse("apprenticeships:ksb_import", args=[standard.pk])

    response = client_for("own_ld_lead").post(url, {})

    assert response.context["form"].errors["file"] == ["Select a CSV file of KSBs"]


def test_the_template_downloads_with_the_headings(client_for, standard):
    url = reverse("apprenticeships:ksb_import_template", args=[standard.pk])

    response = client_for("own_ld_lead").get(url)

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").splitlines()[0] == "code,type,description"


def test_the_front_page_links_to_the_standards(client_for):
    page = client_for("own_staff").get(reverse("apprenticeships:home"))

    assert reverse("apprenticeships:standards") in page.content.decode()
