"""Releasing runs at their cut-off at scale: `python -m bench.release` (one process, one database).

Run by `python -m bench` against a fresh copy of a seeded database (`CREATE DATABASE ... TEMPLATE`),
because releasing changes it. The seed: 20,000 people in 40 organisations, 1,000 programmes and
10,000 runs past their cut-off and not yet released, each with 20 places of which 10 to 18 are
taken (six to 16 by the host's staff, two by one partner under its share) and 20 waiting
requests (two from the host's staff, 18 from partners'): 200,000 waiting in all. A fifth of the
runs offer places rather than confirming them; a third have a cap of three per partner.

The timing is of the real job, `learning.jobs.release_due_runs`, as the scheduler calls it: the
runs in batches of `learning.release.BATCH_SIZE`, each batch in one transaction (a run the batch
cannot take in its own), the audit entries written, the e-mails queued as background tasks
(django-tasks' database backend; one task per event and batch) and not sent. Afterwards it checks
that every run is released, no run holds more than its capacity, each run's counter equals its
held places, and each share is within its cap. Prints one JSON object, with the job's CPU time
(this process) beside its wall-clock time, since other work on the machine slows the wall clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import warnings

from bench.pages import BENCH_DATABASE_PREFIX

RUNS = 10_000
WAITING_PER_RUN = 20
PROGRAMMES = 1_000
PEOPLE = 20_000
ORGANISATIONS = 40
CAPACITY = 20


def seed() -> dict:
    """People, then programmes, runs, sessions, bookings and shares, written by COPY."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from joinedup.learning.generate import scale_organisations
    from joinedup.learning.models import (
        Booking,
        BookingStatus,
        DeliveryMode,
        Programme,
        ProgrammeKind,
        ReleaseMode,
        Run,
        RunOrganisationShare,
        Session,
        SharingPolicy,
    )
    from joinedup.partnership.generate import _next_id, _Writer, generate
    from joinedup.partnership.models import Employment

    call_command("migrate", verbosity=0)
    generate(people=PEOPLE, organisations=ORGANISATIONS, largest=2_000, progress=False)
    rng = random.Random(7)
    organisations = scale_organisations()
    staff = {
        o.pk: list(
            Employment.objects.current().filter(organisation=o).values_list("person_id", flat=True)
        )
        for o in organisations
    }
    now = timezone.now()
    first = {model: _next_id(model) for model in (Programme, Run, Session, Booking)}
    hosts = {}
    programmes = []
    for offset in range(PROGRAMMES):
        host = organisations[offset % len(organisations)]
        pk = first[Programme] + offset
        hosts[pk] = host
        programmes.append(
            {
                "id": pk,
                "host_id": host.pk,
                "title": f"Release bench programme {pk}",
                "kind": ProgrammeKind.COURSE,
                "delivery_mode": DeliveryMode.IN_PERSON,
                "sharing_policy": SharingPolicy.PARTNERS_FROM_START
                if offset % 3 == 0
                else SharingPolicy.OWN_THEN_PARTNERS,
                "created_at": now,
            }
        )
    runs, sessions, bookings, shares = [], [], [], []

    def book(run: int, person: int, organisation: int, status: str) -> None:
        bookings.append(
            {
                "id": first[Booking] + len(bookings),
                "run_id": run,
                "person_id": person,
                "organisation_id": organisation,
                "status": status,
                "requested_at": now - dt.timedelta(minutes=rng.randrange(60, 40_000)),
                "confirmed_at": now - dt.timedelta(days=30) if status == "confirmed" else None,
            }
        )

    for offset in range(RUNS):
        pk = first[Run] + offset
        programme = first[Programme] + offset % PROGRAMMES
        host = hosts[programme]
        partners = [o for o in organisations if o.pk != host.pk]
        capped = offset % 3 == 0
        taken_by_host = rng.randrange(6, 17)
        holder = rng.choice(partners)
        day = timezone.localdate() + dt.timedelta(days=20)
        runs.append(
            {
                "id": pk,
                "programme_id": programme,
                "capacity": CAPACITY,
                "places_taken": taken_by_host + 2,
                "cut_off_at": now - dt.timedelta(minutes=rng.randrange(1, 600)),
                "partner_cap": 3 if capped else None,
                "release_mode": ReleaseMode.OFFER if offset % 5 == 0 else ReleaseMode.CONFIRM,
                "created_at": now,
            }
        )
        sessions.append(
            {
                "id": first[Session] + offset,
                "run_id": pk,
                "date": day,
                "starts_at": dt.time(9, 30),
                "ends_at": dt.time(16, 30),
            }
        )
        host_people = rng.sample(staff[host.pk], taken_by_host + 2)
        for person in host_people[:taken_by_host]:
            book(pk, person, host.pk, BookingStatus.CONFIRMED)
        for person in host_people[taken_by_host:]:
            book(pk, person, host.pk, BookingStatus.WAITING)
        holders = rng.sample(staff[holder.pk], 2)
        for person in holders:
            book(pk, person, holder.pk, BookingStatus.CONFIRMED)
        shares.append(
            {
                "run_id": pk,
                "organisation_id": holder.pk,
                "cap": 3 if capped else None,
                "places_taken": 2,
            }
        )
        for _ in range(WAITING_PER_RUN - 2):
            partner = rng.choice(partners)
            person = rng.choice(staff[partner.pk])
            while person in holders:
                person = rng.choice(staff[partner.pk])
            holders.append(person)
            book(pk, person, partner.pk, BookingStatus.WAITING)
    first_share = _next_id(RunOrganisationShare)
    for number, share in enumerate(shares):
        share["id"] = first_share + number
    with transaction.atomic(), tqdm(disable=True) as bar:
        writer = _Writer(bar)
        writer.write(Programme, programmes)
        writer.write(Run, runs)
        writer.write(Session, sessions)
        writer.write(Booking, bookings)
        writer.write(RunOrganisationShare, shares)
        writer.reset_sequences(Programme, Run, Session, Booking, RunOrganisationShare)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    waiting = sum(1 for booking in bookings if booking["status"] == BookingStatus.WAITING)
    return {"runs": len(runs), "waiting": waiting}


def release(sample: int | None = None) -> dict:
    """Time the real job over every due run, then check the invariants.

    With `sample`, only that many runs are left due (the others' cut-offs move a year ahead), for
    a quick look at the rate on a busy machine; the full benchmark releases all 10,000.
    """
    from django.db.models import Count, F, Q, Sum
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from joinedup.learning.jobs import release_due_runs
    from joinedup.learning.models import (
        HOLDING_STATUSES,
        Booking,
        BookingStatus,
        Run,
        RunOrganisationShare,
    )
    from joinedup.partnership.models import AuditEvent

    def taken() -> int:
        return Run.objects.aggregate(taken=Sum("places_taken"))["taken"] or 0

    if sample is not None:
        later = Run.objects.order_by("pk").values_list("pk", flat=True)[sample:]
        Run.objects.filter(pk__in=list(later)).update(
            cut_off_at=F("cut_off_at") + dt.timedelta(days=365)
        )
    due_runs = Run.objects.filter(released_at__isnull=True, cut_off_at__lte=timezone.now())
    waiting = Booking.objects.filter(status=BookingStatus.WAITING, run__in=due_runs).count()
    due = due_runs.count()
    taken_before = taken()
    audit_before, tasks_before = AuditEvent.objects.count(), DBTaskResult.objects.count()
    started, cpu_started = time.perf_counter(), time.process_time()
    released = release_due_runs()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    held = Count("bookings", filter=Q(bookings__status__in=HOLDING_STATUSES))
    return {
        "runs_due": due,
        "waiting_before": waiting,
        "released": released,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "runs_left_unreleased": due_runs.count(),
        "places_given": taken() - taken_before,
        "audit_entries": AuditEvent.objects.count() - audit_before,
        "tasks_queued": DBTaskResult.objects.count() - tasks_before,
        "runs_over_capacity": Run.objects.filter(places_taken__gt=F("capacity")).count(),
        "runs_counter_not_bookings": Run.objects.annotate(held=held)
        .exclude(places_taken=F("held"))
        .count(),
        "shares_over_cap": RunOrganisationShare.objects.filter(
            cap__isnull=False, places_taken__gt=F("cap")
        ).count(),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.release")
    parser.add_argument("action", choices=("seed", "release"))
    parser.add_argument("--sample", type=int, help="Release only this many runs (a quick look).")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not database.startswith(BENCH_DATABASE_PREFIX):
        raise SystemExit(f"Refusing to seed or time {database!r}: not a bench database.")
    print(json.dumps(seed() if args.action == "seed" else release(args.sample)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
