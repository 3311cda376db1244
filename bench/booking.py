"""Confirmed bookings per second through `learning.services.book_place`: `python -m bench.booking`.

Run by `python -m bench` against a fresh copy of the release bench's seeded database (20,000
people in 40 organisations). It adds 400 runs of 30 places open to partners from the start and
two "hot" runs of 5 places, then starts CLIENTS processes at once (each its own connection), each
booking its own people one after another: nine in ten on a random run, one in ten on a hot run,
so some runs fill while clients still book them. Each booking is the real service call (the
access check, the refusal rules, the conditional claim, the audit entry and the queued e-mail).

Reported: confirmed bookings per second over the wall-clock time of all clients, all attempts per
second, the CPU time per booking of the clients and of their PostgreSQL backends (read from
/proc when the server runs on this machine, else null), and the over-booking check: for every
run, `places_taken` equals its confirmed bookings and is within its capacity (and the same for
partners' shares). Prints one JSON object.

On a machine shared with other work the wall-clock rate says little; the CPU per booking does:
with clients and server on the same N cores and nothing else running, N cores divided by the
client and server CPU of one booking is the most bookings a second they can give.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import sys
import time
import warnings

from bench.pages import BENCH_DATABASE_PREFIX

CLIENTS = 8
BOOKINGS_PER_CLIENT = 1_000
RUNS = 400
PLACES = 30
HOT_RUNS = 2
HOT_PLACES = 5
HOT_SHARE = 0.1


def _setup() -> None:
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()


def prepare() -> tuple[list[int], list[int], list[list[tuple[int, int]]]]:
    """The runs to book (ordinary, hot) and each client's people (person, organisation)."""
    from django.utils import timezone

    from joinedup.learning.generate import scale_organisations
    from joinedup.learning.models import (
        DeliveryMode,
        Programme,
        ProgrammeKind,
        Run,
        Session,
        SharingPolicy,
    )
    from joinedup.partnership.models import Employment

    organisations = scale_organisations()
    host = organisations[0]
    programme = Programme.objects.create(
        host=host,
        title="Booking bench programme",
        kind=ProgrammeKind.COURSE,
        delivery_mode=DeliveryMode.ONLINE,
        sharing_policy=SharingPolicy.PARTNERS_FROM_START,
    )
    now = timezone.now()
    runs = Run.objects.bulk_create(
        [
            Run(
                programme=programme,
                capacity=HOT_PLACES if number < HOT_RUNS else PLACES,
                cut_off_at=now + dt.timedelta(days=20),
                partner_cap=4 if number % 2 else None,
            )
            for number in range(RUNS + HOT_RUNS)
        ]
    )
    day = timezone.localdate() + dt.timedelta(days=41)
    Session.objects.bulk_create(
        [Session(run=run, date=day, starts_at="09:30", ends_at="12:30") for run in runs]
    )
    # People with their current job (the generator gives each person one at a time).
    employments = list(
        Employment.objects.current()
        .order_by("person_id")
        .values_list("person_id", "organisation_id")[: CLIENTS * BOOKINGS_PER_CLIENT * 2]
    )
    seen: set[int] = set()
    people = [(p, o) for p, o in employments if not (p in seen or seen.add(p))]
    random.Random(3).shuffle(people)
    share = len(people) // CLIENTS
    ids = [run.pk for run in runs]
    return (
        ids[HOT_RUNS:],
        ids[:HOT_RUNS],
        [people[i * share : (i + 1) * share] for i in range(CLIENTS)],
    )


def backend_cpu_seconds(connection) -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, if it runs on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of stat(5), counted after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(number: int, people: list, ordinary: list, hot: list, barrier, results) -> None:
    """One client: book each of its people on a run, as themselves, counting what happened."""
    from django.db import connection

    from joinedup.learning import services
    from joinedup.learning.models import BookingStatus, Run
    from joinedup.partnership.actor import Actor
    from joinedup.partnership.models import Organisation, Person

    connection.close()  # never share the parent's connection
    rng = random.Random(number)
    runs = {run.pk: run for run in Run.objects.select_related("programme__host")}
    organisations = {o.pk: o for o in Organisation.objects.all()}
    persons = Person.objects.in_bulk([person for person, _ in people])
    counts = {"confirmed": 0, "waiting": 0, "other": 0, "refused": 0}
    server = backend_cpu_seconds(connection)
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for person_id, organisation_id in people[:BOOKINGS_PER_CLIENT]:
        person = persons[person_id]
        run = runs[rng.choice(hot if rng.random() < HOT_SHARE else ordinary)]
        actor = Actor(person=person, organisation=organisations[organisation_id])
        try:
            booking = services.book_place(actor=actor, run=run, person=person)
        except services.BookingRefused:
            counts["refused"] += 1
            continue
        if booking.status == BookingStatus.CONFIRMED:
            counts["confirmed"] += 1
        elif booking.status == BookingStatus.WAITING:
            counts["waiting"] += 1
        else:
            counts["other"] += 1
    ended, cpu = time.perf_counter(), time.process_time() - cpu
    after = backend_cpu_seconds(connection)
    server = None if server is None or after is None else after - server
    results.put({"started": started, "ended": ended, "cpu": cpu, "server": server, **counts})
    connection.close()


def check(runs: list[int]) -> dict:
    """Over-booking: each run's counter against its confirmed bookings and its capacity."""
    from django.db.models import Count, F, Q

    from joinedup.learning.models import Booking, BookingStatus, Run, RunOrganisationShare

    confirmed = Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED))
    checked = Run.objects.filter(pk__in=runs).annotate(confirmed=confirmed)
    shares = RunOrganisationShare.objects.filter(run__in=runs)
    share_counts = {
        (row["run_id"], row["organisation_id"]): row["n"]
        for row in Booking.objects.filter(run__in=runs, status=BookingStatus.CONFIRMED)
        .values("run_id", "organisation_id")
        .annotate(n=Count("id"))
    }
    return {
        "runs_counter_not_confirmed": checked.exclude(places_taken=F("confirmed")).count(),
        "runs_over_capacity": checked.filter(confirmed__gt=F("capacity")).count(),
        "shares_not_confirmed": sum(
            1
            for share in shares
            if share.places_taken != share_counts.get((share.run_id, share.organisation_id), 0)
        ),
        "shares_over_cap": shares.filter(cap__isnull=False, places_taken__gt=F("cap")).count(),
        "hot_runs_full": Run.objects.filter(
            pk__in=runs, capacity=HOT_PLACES, places_taken=HOT_PLACES
        ).count(),
    }


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="python -m bench.booking").parse_args(argv)
    _setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not database.startswith(BENCH_DATABASE_PREFIX):
        raise SystemExit(f"Refusing to time {database!r}: not a bench database.")
    ordinary, hot, people = prepare()
    connection.close()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(CLIENTS), context.Queue()
    workers = [
        context.Process(target=client, args=(n, people[n], ordinary, hot, barrier, results))
        for n in range(CLIENTS)
    ]
    for worker in workers:
        worker.start()
    done = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    seconds = max(d["ended"] for d in done) - min(d["started"] for d in done)
    totals = {
        key: sum(d[key] for d in done) for key in ("confirmed", "waiting", "other", "refused")
    }
    attempts = sum(totals.values())
    client_ms = 1000 * sum(d["cpu"] for d in done) / max(attempts, 1)
    servers = [d["server"] for d in done]
    server_ms = None if None in servers else 1000 * sum(servers) / max(attempts, 1)
    cores = os.cpu_count() or 1
    print(
        json.dumps(
            {
                "clients": CLIENTS,
                "attempts": attempts,
                **totals,
                "seconds": round(seconds, 2),
                "confirmed_per_second": round(totals["confirmed"] / seconds, 1),
                "attempts_per_second": round(attempts / seconds, 1),
                # CPU time per booking, the clients' and their backends': on a machine shared
                # with other work, the cost that load does not hide.
                "client_cpu_ms_per_booking": round(client_ms, 2),
                "server_cpu_ms_per_booking": None if server_ms is None else round(server_ms, 2),
                # What this machine's cores could give with nothing else running (the server on
                # the same cores): cores / CPU per booking, in bookings and in confirmed ones.
                "cores": cores,
                "quiet_ceiling_per_second": None
                if server_ms is None
                else round(1000 * cores / (client_ms + server_ms), 1),
                "quiet_ceiling_confirmed_per_second": None
                if server_ms is None
                else round(
                    1000 * cores / (client_ms + server_ms) * totals["confirmed"] / attempts, 1
                ),
                **check(ordinary + hot),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
