"""The demo's materials library, loaded by `joinedup demo` through the app demo hook: the issue's
journey can be tried on it by the Barnet and trust L&D lead personas."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from joinedup.materials import access, demo_data, queries, search
from joinedup.materials.demo_data import (
    CHECKLIST_TITLE,
    GUIDE_PHRASE,
    GUIDE_TITLE,
    SLIDES_TITLE,
    load,
)
from joinedup.materials.models import (
    ExtractionStatus,
    Licence,
    Material,
    MaterialReport,
    MaterialVersion,
    Reuse,
)
from joinedup.partnership.actor import ANONYMOUS, Actor
from joinedup.partnership.demo import build_demo
from joinedup.partnership.models import (
    AuditEvent,
    Employment,
    OrganisationRole,
    OrganisationRoleGrant,
    Person,
)

BACKEND = "joinedup.partnership.auth.EmailBackend"


def persona(demo, label: str) -> Actor:
    """The persona (by the label `joinedup demo` prints) acting for their organisation."""
    email = next(login.email for login in demo.logins if login.persona == label)
    person = Person.objects.get(email=email)
    employment = Employment.objects.current().filter(person=person).select_related("organisation")
    return Actor(person=person, organisation=employment.first().organisation)


def test_the_demo_adds_materials_reuse_and_a_report_through_the_services(demo, db):
    assert demo.created["materials"] == len(demo_data.MATERIALS) == 7
    assert demo.created["material reuses"] == len(demo_data.REUSES) == 5
    assert demo.created["material reports"] == 1
    assert AuditEvent.objects.filter(action="material.created").count() == 5
    assert AuditEvent.objects.filter(action="material.adapted").count() == 2
    assert AuditEvent.objects.filter(action="material.reuse_recorded").count() == 5


def test_every_file_is_real_and_its_text_is_read_without_a_worker(demo, db):
    versions = MaterialVersion.objects.exclude(storage_name="")
    assert versions.count() == 7  # six uploads; Ealing's adaptation shares Barnet's file
    kinds = set(versions.values_list("content_type", flat=True))
    assert {"application/pdf", "application/vnd.oasis.opendocument.text"} <= kinds
    assert any("wordprocessingml" in kind for kind in kinds)
    assert any("presentationml" in kind for kind in kinds)
    assert set(versions.values_list("extraction_status", flat=True)) == {ExtractionStatus.DONE}


def test_the_barnet_ld_lead_finds_the_trusts_guide_by_a_phrase_inside_it(demo, db):
    lee = persona(demo, "Own L&D lead")
    guide = Material.objects.get(title=GUIDE_TITLE)
    assert guide.owner.official_code == demo_data.TRUST
    assert guide.licence == Licence.PARTNERSHIP
    assert GUIDE_PHRASE not in f"{guide.title} {guide.summary}".lower()
    assert GUIDE_PHRASE in guide.current_version.extracted_text.lower()
    results = search.search_materials(
        access.visible_materials(lee), text=f'"{GUIDE_PHRASE}"', page=1
    )
    assert [hit.material.pk for hit in results.hits] == [guide.pk]
    assert access.may_adapt(lee, guide) and access.may_record_reuse(lee, guide)


def test_on_the_pages_the_guide_is_found_by_the_phrase_and_only_the_slides_are_public(demo, db):
    guide = Material.objects.get(title=GUIDE_TITLE)
    lee = Client()
    lee.force_login(persona(demo, "Own L&D lead").person, backend=BACKEND)
    found = lee.get(reverse("materials:library"), {"q": f'"{GUIDE_PHRASE}"'}).content.decode()
    assert reverse("materials:material", args=[guide.pk]) in found
    listed = Client().get(reverse("materials:open-list")).content.decode()
    assert SLIDES_TITLE in listed and GUIDE_TITLE not in listed


def test_every_demo_material_page_opens_for_its_owners_ld_lead(demo, db):
    leads = {
        grant.organisation_id: grant.person
        for grant in OrganisationRoleGrant.objects.filter(role=OrganisationRole.LD_LEAD)
    }
    for material in Material.objects.all():
        client = Client()
        client.force_login(leads[material.owner_id], backend=BACKEND)
        page = client.get(reverse("materials:material", args=[material.pk]))
        assert page.status_code == 200, material.title
        if material.adapted_from_id:
            source = material.adapted_from.material
            assert f"{source.title}, by {source.owner.name}" in page.content.decode()


def test_the_trusts_ld_lead_sees_who_reused_the_guide_and_what_it_saved(demo, db):
    pia = persona(demo, "Partner L&D lead")
    guide = Material.objects.get(title=GUIDE_TITLE)
    assert guide.owner == pia.organisation
    assert access.sees_who_reused(pia, guide)
    totals = queries.reuse_totals(guide)
    assert (totals.reuses, totals.organisations, totals.learners) == (2, 2, 30)
    assert (totals.hours_saved, totals.cost_saved) == (Decimal("14.5"), Decimal("1170.00"))


def test_an_anonymous_visitor_reads_only_the_openly_published_slide_deck(demo, db):
    assert list(access.visible_materials(ANONYMOUS).values_list("title", flat=True)) == [
        SLIDES_TITLE
    ]
    slides = Material.objects.get(title=SLIDES_TITLE)
    assert slides.licence == Licence.OGL_3 and slides.is_published_openly


def test_the_owner_only_checklist_stays_inside_the_trust(demo, db):
    checklist = Material.objects.get(title=CHECKLIST_TITLE)
    assert checklist.licence == Licence.OWNER_ONLY
    lee = persona(demo, "Own L&D lead")
    pia = persona(demo, "Partner L&D lead")
    assert not access.visible_materials(lee).filter(pk=checklist.pk).exists()
    assert access.visible_materials(pia).filter(pk=checklist.pk).exists()


def test_adaptations_by_other_organisations_credit_their_exact_source(demo, db):
    for title, source in (
        (demo_data.BRENT_TITLE, demo_data.CAMDEN_TITLE),
        (demo_data.EALING_TITLE, demo_data.BARNET_TITLE),
    ):
        adaptation = Material.objects.get(title=title)
        original = Material.objects.get(title=source)
        assert adaptation.owner != original.owner
        assert adaptation.adapted_from == original.current_version
        assert adaptation.family_root == original
    ealing = Material.objects.get(title=demo_data.EALING_TITLE)
    assert ealing.licence == Licence.CC_BY_SA_4  # ShareAlike stays
    assert ealing.current_version.storage_name == ealing.adapted_from.storage_name


def test_one_reuse_was_on_a_run_and_the_report_is_open(demo, db):
    assert Reuse.objects.filter(run__isnull=False).count() == 1
    report = MaterialReport.objects.get()
    assert report.material.title == demo_data.CAMDEN_TITLE
    assert report.status == "open"


def test_the_logins_include_both_ld_leads_of_the_journey(demo, db):
    by_persona = {login.persona: login for login in demo.logins}
    assert by_persona["Own L&D lead"].organisation == "London Borough of Barnet"
    assert by_persona["Partner L&D lead"].organisation == (
        "London North West University Healthcare NHS Trust"
    )


def test_running_the_demo_again_changes_nothing_in_the_library(demo, db):
    before = {model: model.objects.count() for model in (Material, MaterialVersion, Reuse)}
    assert load() == {}
    again = build_demo()
    assert not any(again.created.get(name) for name in ("materials", "material reuses"))
    assert {model: model.objects.count() for model in before} == before
