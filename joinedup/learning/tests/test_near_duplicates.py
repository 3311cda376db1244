"""The partnership's near-duplicate report: the task, the saving of merging, the pages and the
CSV export (learning/near_duplicates.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import near_duplicates, similar
from joinedup.learning.models import NearDuplicateReport, ReportStatus
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory

TITLE = "Trauma-informed practice for frontline housing officers"
SUMMARY = "How housing officers respond to residents after trauma"


@pytest.fixture(autouse=True)
def _fresh_index():
    similar.reset_for_tests()
    yield
    similar.reset_for_tests()


def near_copies(world):
    """The same programme at the own and partner organisations, one dearer and run this year; an
    identical one at the outsider (another partnership) and a second copy at the own host."""
    cheap = ProgrammeFactory(
        host=world.own, title=TITLE, summary=SUMMARY, cost_per_place=Decimal("100")
    )
    dear = ProgrammeFactory(
        host=world.partner, title=TITLE, summary=SUMMARY, cost_per_place=Decimal("250")
    )
    run = RunFactory(programme=dear, capacity=20, places_taken=12)
    SessionFactory(run=run, date=timezone.localdate() - dt.timedelta(days=30))
    old = RunFactory(programme=dear, capacity=40, places_taken=40)
    SessionFactory(run=old, date=timezone.localdate() - dt.timedelta(days=400))
    ProgrammeFactory(host=world.outsider_org, title=TITLE, summary=SUMMARY)
    ProgrammeFactory(host=world.own, title=TITLE, summary=SUMMARY, cost_per_place=Decimal("90"))
    ProgrammeFactory(host=world.partner, title="Budget basics", summary="Reading a budget")
    return cheap, dear


def test_report_pairs_programmes_of_different_hosts_in_the_partnership_with_the_saving(
    world, django_capture_on_commit_callbacks
):
    cheap, dear = near_copies(world)

    with django_capture_on_commit_callbacks(execute=True):
        report = near_duplicates.request_report(actor=world.actor("partnership_lead"))

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.programmes_compared == 4
    pairs = list(report.pairs.all())
    assert len(pairs) == report.pairs_found == 2  # each own copy with the partner's
    assert {pair.first_id for pair in pairs} | {pair.second_id for pair in pairs} >= {
        cheap.pk,
        dear.pk,
    }
    saving = {frozenset((p.first_id, p.second_id)): p.estimated_saving for p in pairs}
    # 12 places this year on the dearer programme, at 250 - 100 (the 40 last year do not count).
    assert saving[frozenset((cheap.pk, dear.pk))] == Decimal("1800.00")
    assert report.estimated_saving == Decimal("1800.00") + Decimal("12") * 160
    assert "trauma" in pairs[0].shared_terms


def test_only_a_partnership_lead_asks_for_a_report(world):
    with pytest.raises(PermissionDenied):
        near_duplicates.request_report(actor=world.actor("own_ld_lead"))


@pytest.mark.parametrize("threshold", ["0.4", "1.01", "0.805", "much", "NaN", ""])
def test_a_threshold_out_of_range_is_refused(world, threshold):
    with pytest.raises(ValidationError):
        near_duplicates.request_report(actor=world.actor("partnership_lead"), threshold=threshold)


def test_lead_builds_reads_and_exports_a_report(
    world, client_for, django_capture_on_commit_callbacks
):
    near_copies(world)
    client = client_for("partnership_lead")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:near-duplicates"), {"threshold": "0.9"})
    response = client.get(
        reverse("learning:near-duplicate-report", args=[NearDuplicateReport.objects.get().pk])
    )
    report = NearDuplicateReport.objects.get()
    exported = client.get(reverse("learning:near-duplicate-csv", args=[report.pk]))
    partial = client.get(
        reverse("learning:near-duplicate-report", args=[report.pk]), HTTP_HX_REQUEST="true"
    )

    assert TITLE in response.content.decode() and "£3,720" in response.content.decode()
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "First programme" and len(rows) == 3
    assert "see the result" in partial.content.decode()


def test_a_report_in_progress_refreshes_itself(world, client_for):
    report = NearDuplicateReport.objects.create(
        partnership=world.partnership, status=ReportStatus.RUNNING, progress=40
    )
    page = client_for("partnership_lead").get(
        reverse("learning:near-duplicate-report", args=[report.pk])
    )
    assert 'hx-trigger="every 2s"' in page.content.decode() and "40% done" in page.content.decode()


def test_a_junk_threshold_on_the_page_names_the_field(world, client_for):
    response = client_for("partnership_lead").post(
        reverse("learning:near-duplicates"), {"threshold": "lots"}
    )
    assert response.status_code == 200
    assert "Threshold must be a number from 0.50 to 1.00" in response.content.decode()
