"""The figures' reads over the standing world: translators by organisation, snapshots, moves
between partners and leakage."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.partnership.models import Destination, Sector
from joinedup.partnership.tests.factories import EmploymentFactory
from joinedup.talent import figures, leakage, translators
from joinedup.talent.models import RoundStatus, TranslatorSnapshot

from .figures_data import days_ago, leave, place, prior, second


def rows_by_label(rows):
    return {row.label: row for row in rows}


def members(world):
    return [world.icb, world.partner, world.own]


def test_the_sectors_are_the_vocabulary_of_design_md():
    assert set(translators.SECTORS) == set(Sector.values)
    assert set(leakage.DESTINATIONS) == set(Destination.values)


def test_a_secondment_counts_at_home_and_host_once_it_has_lasted_91_days(world):
    # Started 89 days ago: today is its 90th day, tomorrow its 91st.
    second(world, "own_staff", world.partner, started_days_ago=89)
    today = timezone.localdate()

    before = rows_by_label(figures.translator_figures(members(world), today))
    assert before[world.own.name].staff.translators == 0

    later = rows_by_label(figures.translator_figures(members(world), today + dt.timedelta(days=1)))
    own, partner = later[world.own.name], later[world.partner.name]
    assert (own.staff.translators, own.staff.people) == (1, 6)
    # The secondee is staff of the host too.
    assert (partner.staff.translators, partner.staff.people) == (1, 7)
    total = later["All members (each person once)"]
    assert (total.staff.translators, total.staff.people) == (1, 14)


def test_senior_staff_are_at_seniority_7_and_above(world):
    manager = world.employments["own_line_manager"]
    manager.seniority = 7
    manager.save()
    world.employments["own_admin"].seniority = 6
    world.employments["own_admin"].save()
    prior(world, "own_line_manager", Sector.PRIVATE, "2.0")
    prior(world, "own_admin", Sector.HEALTH, "3.0")

    own = figures.translator_figures([world.own], timezone.localdate(), with_total=False)[0]
    assert (own.senior.translators, own.senior.people) == (1, 1)
    assert (own.staff.translators, own.staff.people) == (2, 6)


def test_a_placement_counts_once_its_round_is_published(world):
    start, end = days_ago(200), days_ago(10)
    placement = place(world, "own_staff", world.icb, start, end, RoundStatus.MATCHED)
    today = timezone.localdate()
    assert figures.translator_figures([world.own], today)[0].staff.translators == 0
    placement.round.status = RoundStatus.PUBLISHED
    placement.round.save()
    assert figures.translator_figures([world.own], today)[0].staff.translators == 1


def test_snapshots_are_kept_for_the_last_12_months_once(world, django_assert_max_num_queries):
    today = timezone.localdate()
    added = figures.take_translator_snapshots(today)
    # Three members of the standing partnership and the outsider's organisation, 12 months each.
    assert added == 4 * 12
    assert figures.take_translator_snapshots(today) == 0
    last = TranslatorSnapshot.objects.get(
        organisation=world.own, month=figures.months_before(today.replace(day=1), 1)[0]
    )
    assert (last.staff, last.translators) == (6, 0)


def test_the_over_time_view_ends_with_the_live_month(world):
    today = timezone.localdate()
    figures.take_translator_snapshots(today)
    second(world, "own_staff", world.partner, started_days_ago=400)
    live = figures.translator_figures(members(world), today)
    months = figures.translators_over_time(members(world), live, today)
    assert len(months) == 13
    assert months[-1].live and months[-1].month == today.replace(day=1)
    assert months[-1].shares[world.own.pk][0].translators == 1
    # Snapshots keep what was worked out then.
    assert months[-2].shares[world.own.pk][0].translators == 0


def test_moves_between_partners_count_named_destinations_new_jobs_and_secondments(world):
    start, end = figures.last_twelve_months(timezone.localdate())
    leave(world, "own_admin", Destination.PARTNER, to=world.partner, left_days_ago=30)
    leave(world, "own_levy_officer", Destination.UNKNOWN, left_days_ago=30)
    EmploymentFactory(
        person=world.person("own_levy_officer"), organisation=world.icb, start_date=days_ago(20)
    )
    second(world, "own_staff", world.partner, started_days_ago=5)
    # Outside the partnership: no move.
    leave(world, "outsider", Destination.PARTNER, to=world.own, left_days_ago=30)

    moves = figures.partner_moves(
        frozenset({world.own.pk, world.partner.pk, world.icb.pk}), start, end, members(world)
    )
    table = figures.moves_table(moves)
    assert [(row.source, row.destination, row.moves, row.secondments) for row in table] == [
        (world.own.name, world.partner.name, 1, 1),
        (world.own.name, world.icb.name, 1, 0),
    ]


def test_leakage_buckets_by_organisation_band_and_month(world):
    ids = frozenset({world.own.pk, world.partner.pk, world.icb.pk})
    world.employments["own_admin"].seniority = 8
    leave(world, "own_admin", Destination.VOLUNTARY, to=world.icb)  # a member: retained
    leave(world, "own_levy_officer", Destination.PRIVATE)
    leave(world, "own_ld_lead", Destination.RETIRED)
    leave(world, "partner_staff", Destination.OTHER_PUBLIC)
    # A change of job at the same organisation is no leaver; nor is a secondment ending.
    leave(world, "partner_admin", "")
    EmploymentFactory(
        person=world.person("partner_admin"), organisation=world.partner, start_date=days_ago(5)
    )
    secondment = second(world, "own_staff", world.icb, started_days_ago=200)
    secondment.end_date = days_ago(3)
    secondment.save()
    # Before the period: left out.
    leave(world, "partner_ld_lead", Destination.PRIVATE, left_days_ago=400)

    start, end = figures.last_twelve_months(timezone.localdate())
    found = figures.leakage_figures(members(world), ids, start, end)

    assert found.total.counts == {
        leakage.RETAINED: 1,
        leakage.OTHER_PUBLIC: 1,
        leakage.LEFT_PUBLIC: 1,
        leakage.RETIRED: 1,
        leakage.UNKNOWN: 0,
    }
    assert found.total.share_of_known(leakage.RETAINED) == translators.fraction(1, 3)
    by_org = {row.label: row.figures for row in found.by_organisation}
    assert by_org[world.own.name].leavers == 3
    assert by_org[world.partner.name].counts[leakage.OTHER_PUBLIC] == 1
    assert by_org[world.icb.name].leavers == 0
    by_band = {row.label: row.figures for row in found.by_band}
    assert by_band["Senior (7-9)"].counts[leakage.RETAINED] == 1
    assert by_band["Not recorded"].leavers == 3
    assert [row.figures.leavers for row in found.by_month] == [4]


def test_a_move_to_an_organisation_that_left_the_partnership_is_not_retained(world):
    leave(world, "own_admin", Destination.PARTNER, to=world.outsider_org)
    start, end = figures.last_twelve_months(timezone.localdate())
    ids = frozenset({world.own.pk, world.partner.pk, world.icb.pk})
    found = figures.leakage_figures([world.own], ids, start, end)
    assert found.total.counts[leakage.RETAINED] == 0
    assert found.total.counts[leakage.OTHER_PUBLIC] == 1


def test_the_default_period_is_the_last_12_months():
    assert figures.last_twelve_months(dt.date(2026, 11, 30)) == (
        dt.date(2025, 12, 1),
        dt.date(2026, 11, 30),
    )
    assert figures.last_twelve_months(dt.date(2028, 2, 29)) == (
        dt.date(2027, 3, 1),
        dt.date(2028, 2, 29),
    )


def test_the_snapshot_job_is_registered_daily():
    from joinedup.partnership.scheduler import JOBS
    from joinedup.talent import figures_jobs

    job = JOBS["talent-translator-snapshots"]
    assert job.function is figures_jobs.take_translator_snapshots
    assert job.every == dt.timedelta(days=1)
