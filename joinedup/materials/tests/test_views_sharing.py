"""Adapting a material, recording that it was used, publishing it openly and withdrawing it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from joinedup.materials.models import Licence, Material, Reuse
from joinedup.materials.tests.page_helpers import linked_material


def _adaptation(**changes) -> dict:
    return {
        "title": "Council supervision guide",
        "summary": "Adapted for social work teams.",
        "kind": "facilitator_guide",
        "licence": Licence.CC_BY_SA_4,
        "topics": "Supervision",
        "authors": "",
        **changes,
    }


# --- Adapting -----------------------------------------------------------------------------------


def test_a_share_alike_source_offers_only_share_alike_with_the_reason(world, client_for):
    source = linked_material(world.partner, licence=Licence.CC_BY_SA_4)
    page = client_for("own_ld_lead").get(reverse("materials:adapt", args=[source.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="cc-by-sa-4"' in text
    assert 'value="ogl-3"' not in text
    assert 'value="partnership"' not in text
    assert "its ShareAlike term" in text


def test_choosing_a_licence_the_source_refuses_shows_the_reason_and_adds_nothing(world, client_for):
    source = linked_material(world.partner, licence=Licence.CC_BY_NC_4)
    response = client_for("own_ld_lead").post(
        reverse("materials:adapt", args=[source.pk]), _adaptation(licence=Licence.CC_BY_4)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "must keep its non-commercial term" in text
    assert Material.objects.count() == 1


def test_adapting_without_a_new_file_starts_from_the_exact_source_version(world, client_for):
    source = linked_material(world.partner, licence=Licence.CC_BY_SA_4, title="Trust guide")
    response = client_for("own_ld_lead").post(
        reverse("materials:adapt", args=[source.pk]), _adaptation()
    )
    adapted = Material.objects.get(title="Council supervision guide")
    assert response["Location"] == reverse("materials:material", args=[adapted.pk])
    assert adapted.owner == world.own
    assert adapted.adapted_from == source.current_version
    assert adapted.current_version.external_url == source.current_version.external_url
    page = client_for("own_staff").get(response["Location"]).content.decode()
    assert "Version 1 of Trust guide, by London North West University Healthcare NHS Trust" in page


def test_staff_without_a_lead_role_may_not_adapt_and_outsiders_do_not_see_it(world, client_for):
    source = linked_material(world.partner, licence=Licence.PARTNERSHIP)
    url = reverse("materials:adapt", args=[source.pk])
    assert client_for("own_staff").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


# --- We used this -------------------------------------------------------------------------------


def _reuse(**changes) -> dict:
    return {
        "used_on_day": "1",
        "used_on_month": "10",
        "used_on_year": "2026",
        "context": "Induction for new social workers",
        "learners_reached": "12",
        "hours_saved": "7.5",
        "cost_saved": "450.00",
        **changes,
    }


def test_a_partners_ld_lead_records_a_reuse_and_the_owner_sees_the_saving(world, client_for):
    material = linked_material(world.own)
    response = client_for("partner_ld_lead").post(
        reverse("materials:record-reuse", args=[material.pk]), _reuse()
    )
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    reuse = Reuse.objects.get()
    assert reuse.organisation == world.partner
    assert str(reuse.cost_saved) == "450.00"
    owner = client_for("own_staff").get(response["Location"]).content.decode()
    assert "£450.00" in owner
    assert "Induction for new social workers" in owner


def test_bad_numbers_are_refused_naming_the_field(world, client_for):
    material = linked_material(world.own)
    response = client_for("partner_ld_lead").post(
        reverse("materials:record-reuse", args=[material.pk]),
        _reuse(hours_saved="-1", cost_saved="12.345", learners_reached="lots"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hours saved must be 0 or more" in text
    assert "Cost saved in pounds must have at most 2 decimal places" in text
    assert "Learners reached must be a whole number" in text
    assert not Reuse.objects.exists()


def test_a_reuse_needs_a_run_or_a_context(world, client_for):
    material = linked_material(world.own)
    response = client_for("partner_ld_lead").post(
        reverse("materials:record-reuse", args=[material.pk]), _reuse(context="")
    )
    assert "Choose a run or say where you used it" in response.content.decode()


def test_the_owner_is_told_reuse_is_recorded_by_the_organisations_that_use_it(world, client_for):
    material = linked_material(world.own)
    response = client_for("own_ld_lead").post(
        reverse("materials:record-reuse", args=[material.pk]), _reuse()
    )
    assert "recorded by the organisations that use it" in response.content.decode()
    assert not Reuse.objects.exists()


# --- Publishing openly --------------------------------------------------------------------------


def test_publishing_needs_both_confirmations(world, client_for):
    material = linked_material(world.own, licence=Licence.OGL_3)
    response = client_for("own_ld_lead").post(
        reverse("materials:publish", args=[material.pk]), {"licence_confirmed": "on"}
    )
    assert "Confirm that it holds no personal data" in response.content.decode()
    material.refresh_from_db()
    assert not material.is_published_openly


def test_once_published_anonymous_visitors_read_it_and_after_withdrawal_they_do_not(
    world, client_for
):
    material = linked_material(world.own, licence=Licence.OGL_3, title="Open deck")
    lead = client_for("own_ld_lead")
    public_url = reverse("materials:open-material", args=[material.pk])
    assert client_for("anonymous").get(public_url).status_code == 404
    response = lead.post(
        reverse("materials:publish", args=[material.pk]),
        {"licence_confirmed": "on", "content_confirmed": "on"},
    )
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    assert "Open deck" in client_for("anonymous").get(public_url).content.decode()
    lead.post(reverse("materials:withdraw", args=[material.pk]))
    assert client_for("anonymous").get(public_url).status_code == 404


def test_a_members_only_material_cannot_be_published(world, client_for):
    material = linked_material(world.own, licence=Licence.PARTNERSHIP)
    assert (
        client_for("own_ld_lead").get(reverse("materials:publish", args=[material.pk])).status_code
        == 403
    )


def test_the_admin_may_not_publish_only_the_ld_lead(world, client_for):
    material = linked_material(world.own, licence=Licence.OGL_3)
    url = reverse("materials:publish", args=[material.pk])
    assert client_for("own_admin").get(url).status_code == 403
    assert client_for("partner_ld_lead").get(url).status_code == 403


def test_withdrawing_what_is_not_published_is_refused_on_the_page(world, client_for):
    material = linked_material(world.own, licence=Licence.CC_BY_4)
    response = client_for("own_ld_lead").post(reverse("materials:withdraw", args=[material.pk]))
    assert response.status_code == 200
    assert "not published openly" in response.content.decode()


def test_withdrawing_keeps_it_inside(world, client_for):
    material = linked_material(
        world.own, licence=Licence.CC_BY_4, published_openly_at=timezone.now()
    )
    client_for("own_ld_lead").post(reverse("materials:withdraw", args=[material.pk]))
    assert (
        client_for("partner_staff")
        .get(reverse("materials:material", args=[material.pk]))
        .status_code
        == 200
    )
