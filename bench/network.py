"""The discussion spaces benchmark (issue 8): `python -m bench.network --size ... --spaces ...`.

The page scale test of DESIGN.md for the discussion pages against one database, run by
`python -m bench` once per dataset, each in its own process with its own DATABASE_URL, as
`bench/pages.py` is for the people pages. Seeds people in 40 organisations of the benchmark
partnership (`joinedup generate`), then the spaces below (posts written with COPY), unless the
database already holds exactly them; then times each page through Django's test client against
the real URL, signed in as the member. Prints one JSON object.

The member (a member of staff of the largest organisation) belongs to every space. One space,
"the large space", holds `--posts` posts in threads of 1 to 99 posts (50 on average); the
thread timed has 50 posts at both sizes. Every other space holds two threads of 25 posts. Posts
are 20 to 60 words of a synthetic vocabulary; a tenth have the common word ("supervision") and
a twelfth the phrase ("reflective practice"); one in a hundred is hidden and one in two hundred
deleted. Large: 200 spaces, 100,000 posts in the large space (about 110,000 in all); small: 10
spaces, 300 posts in the large space (about 750 in all).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import random
import sys
import time
import warnings
from dataclasses import asdict
from urllib.parse import urlencode

from bench.pages import BENCH_DATABASE_PREFIX, MINIMAL, PageResult, measure, url_of

SEED = 8
AUTHORS = 50
THREAD_POSTS = 50  # the timed thread's posts, at both sizes
OTHER_THREADS, OTHER_THREAD_POSTS = 2, 25
COMMON_WORD = "supervision"
PHRASE = "reflective practice"
COMMON_SHARE, PHRASE_SHARE = 0.10, 1 / 12
HIDDEN_SHARE, DELETED_SHARE = 0.01, 0.005
VOCABULARY = 3_000
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def words(rng: random.Random) -> tuple[list[str], list[float]]:
    """A synthetic vocabulary of pronounceable words, with Zipf-like cumulative weights."""
    syllables = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"]
    found: set[str] = set()
    while len(found) < VOCABULARY:
        found.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    vocabulary = sorted(found)
    rng.shuffle(vocabulary)
    total, cumulative = 0.0, []
    for rank in range(1, VOCABULARY + 1):
        total += 1 / rank
        cumulative.append(total)
    return vocabulary, cumulative


def body(rng: random.Random, vocabulary: list[str], cumulative: list[float]) -> str:
    said = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(20, 60))
    if rng.random() < COMMON_SHARE:
        said.insert(rng.randrange(len(said)), COMMON_WORD)
    if rng.random() < PHRASE_SHARE:
        said.insert(rng.randrange(len(said)), PHRASE)
    return " ".join(said).capitalize() + "."


def thread_sizes(rng: random.Random, posts: int) -> list[int]:
    """Threads of 1 to 99 posts adding up to `posts`, the first of exactly THREAD_POSTS."""
    sizes, left = [THREAD_POSTS], posts - THREAD_POSTS
    while left > 0:
        size = min(rng.randint(1, 99), left)
        sizes.append(size)
        left -= size
    return sizes


def generate_spaces(spaces: int, posts: int, *, seed: int = SEED) -> None:
    """The spaces, members, threads and posts of the module's docstring."""
    from django.db import connection, transaction

    from joinedup.network.models import Post, Space, SpaceKind, SpaceMember, Thread
    from joinedup.partnership.generate import SCALE_PARTNERSHIP
    from joinedup.partnership.models import Employment, Organisation, Partnership

    rng = random.Random(seed)
    vocabulary, cumulative = words(rng)
    partnership = Partnership.objects.get(name=SCALE_PARTNERSHIP)
    organisations = Organisation.objects.filter(memberships__partnership=partnership)
    largest = organisations.order_by("-headcount", "pk").first()
    staff = list(
        Employment.objects.current()
        .filter(organisation__in=organisations)
        .order_by("person_id")
        .values_list("person_id", "organisation_id")
    )
    member = next((p, o) for p, o in staff if o == largest.pk)
    authors = [member, *rng.sample([row for row in staff if row[0] != member[0]], AUTHORS - 1)]
    with transaction.atomic():
        made = Space.objects.bulk_create(
            Space(
                partnership=partnership,
                kind=SpaceKind.COMMUNITY,
                title=f"Community of practice {number:03d}",
                description="Practice, questions and what works.",
                owner_organisation_id=largest.pk,
                owner_id=member[0],
            )
            for number in range(1, spaces + 1)
        )
        SpaceMember.objects.bulk_create(
            SpaceMember(space=space, person_id=person, organisation_id=organisation)
            for space in made
            for person, organisation in authors
        )
        plan = [(made[0], size) for size in thread_sizes(rng, posts)]
        plan += [(space, OTHER_THREAD_POSTS) for space in made[1:] for _ in range(OTHER_THREADS)]
        # Each thread starts at its own time; its posts follow it, an hour or so apart.
        threads, rows = [], []
        for number, (space, size) in enumerate(plan):
            author = rng.choice(authors)
            opened = START + dt.timedelta(minutes=10 * number)
            times = [opened]
            for _ in range(size - 1):
                times.append(times[-1] + dt.timedelta(minutes=rng.randint(5, 120)))
            threads.append(
                Thread(
                    space=space,
                    title=" ".join(rng.choices(vocabulary, k=5)).capitalize(),
                    author_id=author[0],
                    author_organisation_id=author[1],
                    created_at=opened,
                    last_post_at=times[-1],
                    reply_count=size - 1,
                )
            )
            for position, at in enumerate(times):
                rows.append((number, position == 0, at))
        Thread.objects.bulk_create(threads, batch_size=5_000)
        rows.sort(key=lambda row: row[2])
        columns = (
            "thread_id, space_id, is_opening, author_id, author_organisation_id, body, "
            "body_html, created_at, deleted_at, hidden_at, hidden_reason"
        )
        sql = f"COPY {Post._meta.db_table} ({columns}) FROM STDIN"  # noqa: S608
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for number, opening, at in rows:
                thread = threads[number]
                author = rng.choice(authors) if not opening else (thread.author_id, None)
                organisation = author[1] or thread.author_organisation_id
                text = body(rng, vocabulary, cumulative)
                deleted = not opening and rng.random() < DELETED_SHARE
                hidden = not opening and not deleted and rng.random() < HIDDEN_SHARE
                copy.write_row(
                    [
                        thread.pk,
                        thread.space_id,
                        opening,
                        author[0],
                        organisation,
                        "" if deleted else text,
                        "" if deleted else f"<p>{html.escape(text)}</p>",
                        at,
                        at if deleted else None,
                        at if hidden else None,
                        "Off topic" if hidden else "",
                    ]
                )
        for space in made:
            mine = [thread for thread in threads if thread.space_id == space.pk]
            Space.objects.filter(pk=space.pk).update(
                thread_count=len(mine), last_post_at=max(t.last_post_at for t in mine)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed(args: argparse.Namespace) -> str:
    """People, organisations and the spaces unless the database already holds exactly them."""
    from django.core.management import call_command

    from joinedup.network.models import Space
    from joinedup.partnership.generate import generate
    from joinedup.partnership.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        big = Space.objects.order_by("pk").first()
        if Space.objects.count() == args.spaces and big and big.posts.count() == args.posts:
            return "reused"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(f"Seeding {args.spaces:,} spaces, {args.posts:,} posts in one ...", file=sys.stderr)
    generate(people=args.people, organisations=args.organisations, largest=args.largest)
    generate_spaces(args.spaces, args.posts)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def pages(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client

    from joinedup.network.models import Post, Space, SpaceMember
    from joinedup.partnership.models import Person

    dataset = seed(args)
    big = Space.objects.order_by("pk").first()
    thread = big.threads.order_by("created_at", "pk").first()
    member = Person.objects.get(pk=big.owner_id)
    spaces = SpaceMember.objects.filter(person=member).count()
    client = Client()
    client.force_login(member, backend="joinedup.partnership.auth.EmailBackend")
    search = url_of("network:search")

    def searched(**params) -> str:
        return f"{search}?{urlencode(params)}" if search else ""

    who = f"member of {spaces} spaces"
    cases = [
        PageResult("Minimal view (/healthz)", who, MINIMAL),
        PageResult("Thread list of the large space", who, url_of("network:space", big.pk)),
        PageResult(f"Thread page ({THREAD_POSTS} posts)", who, url_of("network:thread", thread.pk)),
        PageResult("My discussions", who, url_of("network:mine")),
        PageResult(f"Search, common word ({COMMON_WORD})", who, searched(q=COMMON_WORD)),
        PageResult(f'Search, phrase ("{PHRASE}")', who, searched(q=f'"{PHRASE}"')),
        PageResult(
            f"Search within the large space ({COMMON_WORD})",
            who,
            searched(q=COMMON_WORD, space=big.pk),
        ),
        PageResult(
            f"Search, common word ({COMMON_WORD}), page 2", who, searched(q=COMMON_WORD, page=2)
        ),
    ]
    for result in cases:
        if not result.url:
            result.skipped = "no such page yet (another area of issue 8)"
        else:
            measure(result, client, args.repeats, args.explain)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
    return {
        "size": args.size,
        "people": Person.objects.count(),
        "spaces": Space.objects.count(),
        "posts": Post.objects.count(),
        "large_space_posts": big.posts.count(),
        "dataset": dataset,
        "database": server,
        "pages": [asdict(result) for result in cases],
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.network")
    parser.add_argument("--size", required=True)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--organisations", type=int, default=40)
    parser.add_argument("--largest", type=int, default=50)
    parser.add_argument("--spaces", type=int, required=True)
    parser.add_argument("--posts", type=int, required=True, help="Posts in the large space.")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not database.startswith(BENCH_DATABASE_PREFIX):
        raise SystemExit(f"Refusing to seed or time {database!r}: not a bench database.")
    print(json.dumps(pages(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
