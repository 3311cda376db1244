"""The materials benchmarks (issue 5): `python -m bench.materials pages ...` or `... upload`.

`pages`: the page scale test of DESIGN.md for the library search page against one database, run
by `python -m bench` once per dataset, each in its own process with its own DATABASE_URL, as
`bench/pages.py` is for the people pages. Seeds people in 40 organisations of the benchmark
partnership and 5 of another one (`joinedup generate`), then the materials below, unless the
database already holds exactly them; then times the library through Django's test client
against the real URL, seen by the L&D lead of the second-largest organisation (a partner of
nearly every material's owner). Prints one JSON object.

The materials are written set-based (COPY, ids chosen here, as `joinedup generate` does): each
with a title, summary, kind, licence, one to three topics, one file version whose extracted text
is 150 to 6,000 words (median about 550) of learning-and-development prose, and the search
document the services would keep (summary, topic names, text). Words follow a Zipf law over a
general vocabulary every material shares, so common words match most of the library as they
would; each topic brings its own words, common in its materials and absent elsewhere ("dementia"
is in the dementia materials); a few set phrases ("reflective supervision") recur. Licences:
40% partnership members only, 15% owner organisation only, the rest open (half of those
published openly); 2% are hidden; 10% belong to the other partnership's organisations.

`upload`: upload and text-extraction throughput for a 20 MB facilitator-guide PDF
(`bench/materials_files.py`): `lib.uploads.check_upload`, `store` and
`materials.extraction.extract_text` on the stored file, each timed, files written to a temporary
PRIVATE_FILES_ROOT. Needs no database. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode

from bench.pages import BENCH_DATABASE_PREFIX, MINIMAL, PageResult, measure, routed, url_of

OTHER_PARTNERSHIP = "Scale test elsewhere"
OTHER_ORGANISATIONS = 5
OTHER_SHARE = 0.10
SEED = 5
CHUNK = 10_000

TOPICS = (
    "Safeguarding adults",
    "Safeguarding children",
    "Mental health",
    "Dementia care",
    "Leadership",
    "Coaching and mentoring",
    "Equality, diversity and inclusion",
    "Health and safety",
    "Infection prevention",
    "Information governance",
    "Domestic abuse",
    "Trauma-informed practice",
    "Supervision",
    "Induction",
    "Customer service",
    "Digital skills",
    "Project management",
    "Finance for managers",
    "Wellbeing",
    "Apprenticeships",
    "Restorative practice",
    "Community engagement",
    "Quality improvement",
    "Housing and homelessness",
)
GENERAL = """
    session participants facilitator practice team care service people learning group support
    supervision reflection staff manager community partners training discussion activity example
    needs plan review case outcome feedback skills evidence approach conversation concern worker
    agency record policy procedure guidance objectives agenda break minutes handout slides workbook
    scenario role play exercise flipchart pairs small groups plenary log portfolio standard
    development change values behaviour respect listening resident family colleague organisation
    """
FUNCTION_WORDS = """
    the a of and to in for with on by as at from each every their our this that which will may
    can should must is are be was were have has it they we you who when where how why not all
    """
# Words that come with a topic: a material on dementia says "dementia" far more than others do.
TOPIC_WORDS = {
    "Safeguarding adults": "safeguarding abuse neglect referral concern disclosure capacity adult",
    "Safeguarding children": "safeguarding child children neglect referral school parents foster",
    "Mental health": "mental health anxiety depression crisis recovery wellbeing stigma",
    "Dementia care": "dementia memory carer confusion dignity reminiscence diagnosis",
    "Leadership": "leadership vision accountability delegation decision strategy influence",
    "Coaching and mentoring": "coaching mentoring goals questions listening mentee coachee",
    "Equality, diversity and inclusion": "equality diversity inclusion bias culture belonging",
    "Health and safety": "hazard risk assessment injury incident reporting equipment safety",
    "Infection prevention": "infection hygiene handwashing vaccination outbreak isolation",
    "Information governance": "information governance data protection consent confidentiality",
    "Domestic abuse": "domestic abuse coercive control victim perpetrator refuge disclosure",
    "Trauma-informed practice": "trauma informed adversity trust safety triggers compassion",
    "Supervision": "supervision reflective supervisee caseload wellbeing restorative",
    "Induction": "induction onboarding probation welcome buddy orientation checklist",
    "Customer service": "customer complaint compliment resolution apology satisfaction",
    "Digital skills": "digital email spreadsheet online platform password security video",
    "Project management": "project milestone deliverable stakeholder sponsor risk register",
    "Finance for managers": "finance budget invoice forecast variance overspend allocation",
    "Wellbeing": "wellbeing stress resilience burnout rest balance kindness",
    "Apprenticeships": "apprenticeship apprentice levy assessor portfolio gateway endpoint",
    "Restorative practice": "restorative relationships harm repair circles conference",
    "Community engagement": "community engagement residents voluntary outreach consultation",
    "Quality improvement": "quality improvement measurement cycle audit variation outcomes",
    "Housing and homelessness": "housing homelessness tenancy eviction rough sleeping hostel",
}
PHRASES = (
    "reflective supervision",
    "duty of candour",
    "making safeguarding personal",
    "trauma informed practice",
    "strengths based approach",
    "mental capacity assessment",
    "every door the family knocked on",
)
PREFIXES = (
    "Introduction to",
    "Refresher on",
    "Team workshop on",
    "Practice guide to",
    "Briefing on",
    "Reflective session on",
    "Masterclass in",
    "Getting started with",
    "Essentials of",
    "Case studies in",
)
AUDIENCES = ("", " for new starters", " for managers", " for frontline staff", " for volunteers")


class Prose:
    """Seeded learning-and-development prose, from pools of sentences: general ones any material
    has, and each topic's own, in which its words are common."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        general = list(dict.fromkeys(FUNCTION_WORDS.split() + GENERAL.split()))
        self.pool = [self._sentence(general, []) for _ in range(30_000)]
        self.topic_pools = {
            topic: [self._sentence(general, words.split()) for _ in range(2_000)]
            for topic, words in TOPIC_WORDS.items()
        }

    def _sentence(self, general: list[str], topical: list[str]) -> str:
        # Zipf: the n-th most common word is 1/n as likely as the first.
        words = general + topical
        weights = list(itertools.accumulate(1 / rank for rank in range(1, len(general) + 1)))
        # A topic's words are each about as common as the tenth most common general word.
        weights += [weights[-1] + (index + 1) / 10 for index in range(len(topical))]
        chosen = self.rng.choices(words, cum_weights=weights, k=self.rng.randint(8, 20))
        if self.rng.random() < 0.05:
            chosen.insert(self.rng.randrange(len(chosen)), self.rng.choice(PHRASES))
        return " ".join(chosen).capitalize() + "."

    def text(self, topics: list[str]) -> str:
        """A document of 150 to 6,000 words (median about 550) in paragraphs of 3-7 sentences,
        a third of its sentences from its topics' pools."""
        words = int(min(6000, max(150, self.rng.lognormvariate(6.3, 0.6))))
        count = max(words // 14, 1)
        sentences = self.rng.choices(self.pool, k=count - count // 3)
        for _ in range(count // 3):
            sentences.append(self.rng.choice(self.topic_pools[self.rng.choice(topics)]))
        self.rng.shuffle(sentences)
        paragraphs = []
        while sentences:
            size = self.rng.randint(3, 7)
            paragraphs.append(" ".join(sentences[:size]))
            sentences = sentences[size:]
        return "\n\n".join(paragraphs)

    def summary(self, topics: list[str]) -> str:
        return " ".join(self.rng.choice(self.topic_pools[topic]) for topic in topics[:2])


def generate_materials(count: int, *, seed: int = SEED) -> int:
    """Write `count` materials, each with one file version, topics and search document."""
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from joinedup.learning.models import Topic
    from joinedup.materials.models import ExtractionStatus, Licence, Material, MaterialKind
    from joinedup.materials.models import MaterialVersion as Version
    from joinedup.materials.services import search_document_of
    from joinedup.partnership.generate import SCALE_PARTNERSHIP, _next_id, _Writer
    from joinedup.partnership.models import Organisation

    rng = random.Random(seed)
    prose = Prose(rng)
    topics = {name: Topic.objects.get_or_create(name=name)[0].pk for name in TOPICS}
    ours = list(
        Organisation.objects.filter(memberships__partnership__name=SCALE_PARTNERSHIP)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    theirs = list(
        Organisation.objects.filter(memberships__partnership__name=OTHER_PARTNERSHIP)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    first_material, first_version = _next_id(Material), _next_id(Version)
    first_tag = _next_id(Material.topics.through)
    now = timezone.now()
    open_licences = (Licence.OGL_3, Licence.CC_BY_4, Licence.CC_BY_SA_4, Licence.CC_BY_NC_4)
    kinds = [kind for kind, _label in MaterialKind.choices]
    tagged = 0

    def rows(offsets: range) -> tuple[list[dict], list[dict], list[dict]]:
        nonlocal tagged
        materials, versions, tags = [], [], []
        for offset in offsets:
            pk, version = first_material + offset, first_version + offset
            chosen = rng.sample(TOPICS, rng.randint(1, 3))
            kind = rng.choice(kinds)
            share = rng.random()
            licence = (
                Licence.PARTNERSHIP
                if share < 0.40
                else Licence.OWNER_ONLY
                if share < 0.55
                else rng.choice(open_licences)
            )
            published = licence in open_licences and rng.random() < 0.5
            owner = rng.choice(theirs if theirs and rng.random() < OTHER_SHARE else ours)
            title = (
                f"{rng.choice(PREFIXES)} {chosen[0].lower()}{rng.choice(AUDIENCES)}: "
                f"{MaterialKind(kind).label.lower()}"
            )
            summary, text = prose.summary(chosen), prose.text(chosen)
            created = now - dt.timedelta(days=rng.randrange(1, 1500))
            materials.append(
                {
                    "id": pk,
                    "owner_id": owner,
                    "title": title,
                    "summary": summary,
                    "kind": kind,
                    "licence": licence,
                    "current_version_id": version,
                    "family_root_id": pk,
                    "published_openly_at": created if published else None,
                    "hidden_at": now if rng.random() < 0.02 else None,
                    "created_at": created,
                    "updated_at": created,
                    "search_document": search_document_of(summary, sorted(chosen), text),
                }
            )
            versions.append(
                {
                    "id": version,
                    "material_id": pk,
                    "number": 1,
                    "change_note": "First version.",
                    "file_name": f"guide-{pk}.pdf",
                    "storage_name": f"bench/{pk:08d}",
                    "content_type": "application/pdf",
                    "size_bytes": len(text) * 4,
                    "extracted_text": text,
                    "extraction_status": ExtractionStatus.DONE,
                    "created_at": created,
                }
            )
            for name in chosen:
                tags.append({"id": first_tag + tagged, "material_id": pk, "topic_id": topics[name]})
                tagged += 1
        return materials, versions, tags

    # In chunks, so the text of 100,000 materials is never all in memory at once.
    with transaction.atomic(), tqdm(total=count, desc="Materials", unit=" materials") as bar:
        writer = _Writer(tqdm(disable=True))
        for start in range(0, count, CHUNK):
            materials, versions, tags = rows(range(start, min(start + CHUNK, count)))
            writer.write(Material, materials)
            writer.write(Version, versions)
            writer.write(Material.topics.through, tags)
            bar.update(len(materials))
        writer.reset_sequences(Material, Version, Material.topics.through)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Writing the topics made the database write every material again (its topic ids,
            # migration 0004): compact the table, as a library built up over time would be.
            cursor.execute("VACUUM (FULL, ANALYZE) materials_material")
            # The ranked postings (migration 0006) are read by index alone once vacuumed.
            cursor.execute("VACUUM ANALYZE")
    return count


# --- The page scale test ------------------------------------------------------------------------


def seed(args: argparse.Namespace) -> str:
    """People, organisations and materials unless the database already holds exactly them."""
    from django.core.management import call_command

    from joinedup.materials.models import Material
    from joinedup.partnership.generate import generate
    from joinedup.partnership.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        if Material.objects.count() == args.materials:
            return "reused"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(f"Seeding {args.materials:,} materials ...", file=sys.stderr)
    generate(people=args.people, organisations=args.organisations, largest=args.largest)
    generate(
        people=OTHER_ORGANISATIONS * 10,
        organisations=OTHER_ORGANISATIONS,
        partnership_name=OTHER_PARTNERSHIP,
        seed=2,
    )
    generate_materials(args.materials)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def pages(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client

    from joinedup.learning.models import Topic
    from joinedup.materials.models import Licence, Material, MaterialKind
    from joinedup.partnership.generate import SCALE_PARTNERSHIP
    from joinedup.partnership.models import Organisation, OrganisationRole, OrganisationRoleGrant

    dataset = seed(args)
    partner = (
        Organisation.objects.filter(memberships__partnership__name=SCALE_PARTNERSHIP)
        .order_by("-headcount", "pk")[1:2]
        .get()
    )
    viewer = OrganisationRoleGrant.objects.get(
        organisation=partner, role=OrganisationRole.LD_LEAD
    ).person
    client = Client()
    client.force_login(viewer, backend="joinedup.partnership.auth.EmailBackend")
    library = url_of("materials:library")
    topic = Topic.objects.get(name="Safeguarding adults")
    searches = {
        "Library, first page": {},
        "Library, 'safeguarding supervision', facilitator guides, topic": {
            "q": "safeguarding supervision",
            "kind": MaterialKind.FACILITATOR_GUIDE,
            "topic": topic.pk,
        },
        'Library, phrase "reflective supervision", CC BY 4.0': {
            "q": '"reflective supervision"',
            "licence": Licence.CC_BY_4,
        },
        "Library, 'dementia', second page": {"q": "dementia", "page": 2},
        "Library, slide decks of one owner, no words": {
            "kind": MaterialKind.SLIDE_DECK,
            "owner": partner.pk,
        },
    }
    who = f"partner L&D lead ({partner.name})"
    cases = [PageResult("Minimal view (/healthz)", who, MINIMAL)]
    for name, params in searches.items():
        url = f"{library}?{urlencode(params)}" if params and library else library
        cases.append(PageResult(name, who, url))
    for result in cases:
        if not result.url or not routed(result.url):
            result.skipped = "no such page yet"
        else:
            measure(result, client, args.repeats, args.explain)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
    return {
        "size": args.size,
        "materials": Material.objects.count(),
        "dataset": dataset,
        "database": server,
        "pages": [asdict(result) for result in cases],
    }


# --- Upload and extraction throughput -----------------------------------------------------------


def upload(args: argparse.Namespace) -> dict:
    """Time check_upload, store and extract_text on a 20 MB PDF, `args.runs` times each."""
    from django.core.files.uploadedfile import UploadedFile

    from bench.materials_files import FIRST_PHRASE, LAST_PHRASE, write_guide_pdf
    from joinedup.lib.uploads import check_upload, delete_stored, open_stored, store
    from joinedup.materials.extraction import extract_text

    load_before = os.getloadavg()[0]
    folder = Path(os.environ["PRIVATE_FILES_ROOT"])
    started = time.perf_counter()
    guide = write_guide_pdf(folder / "guide.pdf", target_bytes=args.megabytes * 1_000_000)
    written_s = time.perf_counter() - started
    stages: dict[str, list[float]] = {"check_upload": [], "store": [], "extract_text": []}
    characters = 0
    for _ in range(args.runs):
        with guide.path.open("rb") as source:
            uploaded = UploadedFile(
                source, name="Facilitator guide.pdf", content_type="application/pdf",
                size=guide.size,
            )  # fmt: skip
            began = time.perf_counter()
            checked = check_upload(uploaded)
            checked_at = time.perf_counter()
            storage_name = store(checked)
            stored_at = time.perf_counter()
        with open_stored(storage_name) as stream:
            text = extract_text(stream, checked.content_type)
        extracted_at = time.perf_counter()
        delete_stored(storage_name)
        if FIRST_PHRASE not in text or LAST_PHRASE not in text:
            raise SystemExit("The extracted text lacks the guide's first or last phrase.")
        characters = len(text)
        stages["check_upload"].append(checked_at - began)
        stages["store"].append(stored_at - checked_at)
        stages["extract_text"].append(extracted_at - stored_at)
    medians = {stage: statistics.median(times) for stage, times in stages.items()}
    total = sum(medians.values())
    return {
        "file_bytes": guide.size,
        "text_pages": guide.text_pages,
        "images": guide.images,
        "characters": characters,
        "runs": args.runs,
        "written_s": round(written_s, 1),
        "median_s": {stage: round(seconds, 3) for stage, seconds in medians.items()},
        "total_s": round(total, 3),
        "megabytes_per_second": round(guide.size / 1_000_000 / total, 1),
        "load_1min_before_after": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.materials")
    commands = parser.add_subparsers(dest="command", required=True)
    timed = commands.add_parser("pages", help="The library page scale test on one database.")
    timed.add_argument("--size", required=True)
    timed.add_argument("--people", type=int, default=500)
    timed.add_argument("--organisations", type=int, default=40)
    timed.add_argument("--largest", type=int, default=50)
    timed.add_argument("--materials", type=int, required=True)
    timed.add_argument("--repeats", type=int, default=30)
    timed.add_argument("--explain", action="store_true")
    uploaded = commands.add_parser("upload", help="Upload and extraction of a 20 MB PDF.")
    uploaded.add_argument("--runs", type=int, default=3)
    uploaded.add_argument("--megabytes", type=int, default=20)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    if args.command == "upload":
        with tempfile.TemporaryDirectory(prefix="bench-uploads-") as folder:
            os.environ["PRIVATE_FILES_ROOT"] = folder
            import django

            django.setup()
            print(json.dumps(upload(args)))
        return 0
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
