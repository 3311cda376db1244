"""Design once at 50,000 programmes, through the real request path: `python -m bench.design_once`.

Run by `python -m bench --only design-once` with DATABASE_URL naming `joinedup_bench_design_once`
(PostgreSQL), or on its own the same way. Seeds the database unless it already holds the
programmes: one partnership of 40 organisations, an L&D lead and the partnership lead, and
50,000 programmes whose titles, summaries (cut to the 300 characters a summary holds) and topics
come from `bench/similarity.py`'s generator, 2% of them near-copies of another; each copy and its
original get a run with places taken in the last year, so merging them shows a saving.

Timed, in this one process as a server's would be:
- cold build: the first question to the process's similarity index (`learning.similar`), which
  reads every programme and open plan from the database and indexes them;
- similar items for one new plan (each repeat a different plan: a programme's title with half its
  summary shuffled): the L&D lead POSTs the plan form, and the redirect's plan page is fetched,
  which applies the plan's change-log row to the warm index and renders its similar programmes
  and plans. Both requests together (and the plan page alone), through Django's test client
  against the real URLs; the page must show the programme the plan was copied from;
- the near-duplicate report at 0.80 over all 50,000 programmes through the task (django-tasks'
  immediate backend: `near_duplicates.request_report` queues it and it runs at commit), counting
  the planted copies found. The task reads the process's similarity index, warm here as in a
  worker that has built it once; a worker's first report also pays the cold build above.
Prints one JSON object whose "result" is FAIL when a target is missed (median new-plan request
under 200 ms, the report under 60 s); `python -m bench --only design-once` then exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import warnings

SIMILAR_LIMIT_MS = 200.0
REPORT_LIMIT_S = 60.0
ORGANISATIONS = 40
PARTNERSHIP = "Design once bench"
SUMMARY_LENGTH = 300
BENCH_DATABASE_PREFIX = "joinedup_bench"


def _summary(text: str) -> str:
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]


def seed(count: int) -> str:
    """Programmes, organisations and the two leads, unless the database already holds them."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from bench.similarity import programmes
    from joinedup.learning import similar
    from joinedup.learning.models import DeliveryMode, Programme, ProgrammeKind, Run, Session, Topic
    from joinedup.partnership.models import OrganisationRole, PartnershipRole
    from joinedup.partnership.tests.factories import (
        EmploymentFactory,
        MembershipFactory,
        OrganisationFactory,
        OrganisationRoleFactory,
        PartnershipFactory,
        PartnershipRoleFactory,
    )

    call_command("migrate", verbosity=0)
    if Programme.objects.count() == count:
        return "reused"
    if Programme.objects.exists():
        raise SystemExit("The bench database holds other data: drop joinedup_bench_design_once.")
    started = time.perf_counter()
    partnership = PartnershipFactory(name=PARTNERSHIP)
    organisations = [
        OrganisationFactory(name=f"Bench organisation {number:02d}", headcount=1_000)
        for number in range(ORGANISATIONS)
    ]
    for organisation in organisations:
        MembershipFactory(partnership=partnership, organisation=organisation)
    lead = EmploymentFactory(organisation=organisations[0], person__email="ld.lead@bench.test")
    OrganisationRoleFactory(
        person=lead.person, organisation=organisations[0], role=OrganisationRole.LD_LEAD
    )
    boss = EmploymentFactory(organisation=organisations[1], person__email="partnership@bench.test")
    PartnershipRoleFactory(
        person=boss.person, partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    )
    items, planted = programmes(count)
    topics = {}
    for item in items:
        for name in item.topics:
            topics.setdefault(name, None)
    Topic.objects.bulk_create([Topic(name=name) for name in topics], ignore_conflicts=True)
    topic_ids = dict(Topic.objects.filter(name__in=list(topics)).values_list("name", "pk"))
    rng = random.Random(6)
    rows = [
        Programme(
            host=organisations[number % ORGANISATIONS],
            title=item.title[:200],
            summary=_summary(item.summary),
            kind=ProgrammeKind.COURSE,
            delivery_mode=DeliveryMode.ONLINE,
            cost_per_place=rng.randrange(50, 400),
        )
        for number, item in enumerate(items)
    ]
    Programme.objects.bulk_create(rows, batch_size=5_000)
    pk_of = {item.id: row.pk for item, row in zip(items, rows, strict=True)}
    links = [
        Programme.topics.through(programme_id=pk_of[item.id], topic_id=topic_ids[name])
        for item in items
        for name in item.topics
    ]
    Programme.topics.through.objects.bulk_create(links, batch_size=10_000)
    copied = sorted({pk_of[item_id] for pair in planted for item_id in pair})
    runs = Run.objects.bulk_create(
        Run(
            programme_id=pk,
            capacity=20,
            places_taken=rng.randrange(5, 20),
            cut_off_at=timezone.now() - dt.timedelta(days=60),
        )
        for pk in copied
    )
    Session.objects.bulk_create(
        Session(
            run=run,
            date=timezone.localdate() - dt.timedelta(days=50),
            starts_at=dt.time(9, 30),
            ends_at=dt.time(16, 30),
        )
        for run in runs
    )
    similar.record_rebuild()
    took = time.perf_counter() - started
    print(f"Seeded {count:,} programmes in {took:.0f} s.", file=sys.stderr)
    return "seeded"


def new_plan_form(rng: random.Random, programme) -> dict[str, str]:
    """A plan like one programme: its title, and half its summary's words shuffled."""
    words = programme.summary.split()
    rng.shuffle(words)
    return {
        "title": f"{programme.title} (plan)"[:200],
        "need": " ".join(words[: max(len(words) // 2, 1)]),
        "audience": "Frontline staff",
        "topics": ", ".join(programme.topics.values_list("name", flat=True)),
        "estimated_design_cost": "12000",
        "delivery_cost_per_place": "80",
        "expected_learners": "50",
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.design_once")
    parser.add_argument("--programmes", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    warnings.filterwarnings("ignore")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from joinedup.learning import near_duplicates, similar
    from joinedup.learning.models import CommissioningPlan, NearDuplicateReport, Programme
    from joinedup.partnership.actor import Actor
    from joinedup.partnership.models import Person

    database = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or not str(database).startswith(BENCH_DATABASE_PREFIX):
        raise SystemExit("Run against a PostgreSQL database named joinedup_bench_...")
    settings.ALLOWED_HOSTS = ["*"]
    dataset = seed(args.programmes)
    CommissioningPlan.objects.all().delete()
    NearDuplicateReport.objects.all().delete()
    lead = Person.objects.get(email="ld.lead@bench.test")
    boss = Person.objects.get(email="partnership@bench.test")
    load_before = os.getloadavg()[0]

    similar.reset_for_tests()
    started = time.perf_counter()
    index = similar.live_index()
    cold_build_s = time.perf_counter() - started

    client = Client()
    client.force_login(lead, backend="joinedup.partnership.auth.EmailBackend")
    client.get(reverse("learning:plans"))
    rng = random.Random(7)
    pks = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    times_ms, page_ms, found = [], [], 0
    for repeat in range(args.repeats + 3):
        programme = Programme.objects.get(pk=rng.choice(pks))
        form = new_plan_form(rng, programme)
        started = time.perf_counter()
        saved = client.post(reverse("learning:plan-new"), form)
        shown = time.perf_counter()
        page = client.get(saved["Location"])
        took = (time.perf_counter() - started) * 1000
        page_took = (time.perf_counter() - shown) * 1000
        if saved.status_code != 302 or page.status_code != 200:
            raise SystemExit(f"The plan pages answered {saved.status_code}, {page.status_code}")
        if repeat < 3:
            continue  # warm-up: the first requests also load templates and the session
        times_ms.append(took)
        page_ms.append(page_took)
        found += programme.title in page.content.decode()
    median_ms = statistics.median(times_ms)
    p95_ms = sorted(times_ms)[min(int(len(times_ms) * 0.95), len(times_ms) - 1)]

    organisation = boss.employments.first().organisation
    started = time.perf_counter()
    report = near_duplicates.request_report(actor=Actor(person=boss, organisation=organisation))
    report_s = time.perf_counter() - started
    report.refresh_from_db()
    from bench.similarity import programmes

    _, planted = programmes(args.programmes)
    similar_ok = median_ms < SIMILAR_LIMIT_MS
    report_ok = report_s < REPORT_LIMIT_S and report.status == "done"
    result = {
        "dataset": dataset,
        "programmes": args.programmes,
        "indexed_items": len(index),
        "load_1min_before_after": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cold_build_s": round(cold_build_s, 2),
        "new_plan": {
            "repeats": len(times_ms),
            "median_ms": round(median_ms, 1),
            "p95_ms": round(p95_ms, 1),
            "max_ms": round(max(times_ms), 1),
            "plan_page_median_ms": round(statistics.median(page_ms), 1),
            "source_programme_shown": found,
            "limit_ms": SIMILAR_LIMIT_MS,
        },
        "report": {
            "seconds": round(report_s, 1),
            "status": report.status,
            "programmes_compared": report.programmes_compared,
            "pairs_found": report.pairs_found,
            "planted_copies": len(planted),
            "estimated_saving": str(report.estimated_saving),
            "limit_s": REPORT_LIMIT_S,
        },
        "result": "PASS" if similar_ok and report_ok else "FAIL",
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
