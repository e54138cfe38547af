"""Benchmark ``cochairs_compile``: the first draft of a Co-Chairs' Summary compiled from an
event of 500 submitted session summaries holding 2,000 recommendations.

    .venv/bin/python bench/cochairs.py                         # SQLite and PostgreSQL
    .venv/bin/python bench/cochairs.py --db sqlite             # one database
    .venv/bin/python bench/cochairs.py --sessions 100 --recommendations 400   # a quick run
    .venv/bin/python bench/cochairs.py --no-cold               # skip the cold run (minutes)

Prints one JSON object a line on stdout (progress on stderr):

- ``{"bench": "cochairs_compile", "metric": "seconds", ...}``: ``compile_draft`` (permission,
  reads, de-attribution, clustering, the new version and its audit entry) with the vectors
  stored as they are after submission (the background indexing embedded each recommendation
  when its summary was submitted); the median of ``--repeat`` runs (each adds a version), the
  runs in ``"runs"``.  Target: 10 s.
- ``{"bench": "cochairs_compile_cold", ...}``: the same with no vector stored (every
  recommendation embedded on the spot by the offline model, about 30 a second on this
  machine, and stored): what the first compile costs if the background indexing never ran.

The data (generated, deterministic for ``--seed``): one event of three days; 500 sessions of
every kind (plenaries, the four SDG action segments, breakouts, side events, fireside chats,
pitches) with themes and SDGs, one or two organisers each, two to four speakers with
affiliations, organising organisations; a submitted summary for each with two to four key
messages, four recommendations on average (100-300 characters; about a fifth restate a
recommendation made elsewhere in other words, from the labelled pairs of
tests/forum/data/recommendation_pairs.csv, so that merges happen) and an announced commitment
in one summary of three; statements, side-event proposals, and a consultation with 300
responses and 12 themes.  Names of speakers and organisations appear in some texts, so that
de-attribution works.

Its databases are its own (``var/bench/cochairs.sqlite3``; ``pledgebook_bench_cochairs`` on
PostgreSQL, or ``BENCH_COCHAIRS_POSTGRES_URL``), rebuilt at each run (a few seconds); the
embeddings of the generated texts are kept in ``var/bench/cochairs-vectors.npz`` so that only
the first run on a machine embeds them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

SQLITE_PATH = BASE_DIR / "var" / "bench" / "cochairs.sqlite3"
VECTOR_CACHE = BASE_DIR / "var" / "bench" / "cochairs-vectors.npz"
DATABASES = {
    "sqlite": f"sqlite:///{SQLITE_PATH}",
    "postgresql": os.environ.get(
        "BENCH_COCHAIRS_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/pledgebook_bench_cochairs",
    ),
}
TARGET_SECONDS = 10.0

FIRST = [
    "Amina",
    "Lucía",
    "Mele",
    "Tupou",
    "Ana",
    "Art",
    "Sam",
    "Grace",
    "Kofi",
    "Priya",
    "Mateus",
    "Ngozi",
    "Hiroshi",
    "Olga",
    "Rangi",
]
LAST = [
    "Okafor",
    "Pérez",
    "Tawhiri",
    "Lima",
    "Chen",
    "Haddad",
    "Mensah",
    "Kowalski",
    "Nguyen",
    "Silva",
    "Tāufa",
    "Rahman",
]
ORG_WORDS = [
    "Ocean",
    "Blue",
    "Coastal",
    "Women's",
    "Future",
    "Youth",
    "Health",
    "Green",
    "Pacific",
    "Andean",
    "Sahel",
    "Island",
    "Equity",
    "Finance",
    "Data",
    "Rural",
    "Urban",
    "Indigenous",
    "Community",
    "Climate",
]
ORG_KINDS = [
    "Alliance",
    "Foundation",
    "Network",
    "Institute",
    "Trust",
    "Collective",
    "Fund",
    "Council",
    "Initiative",
]
SEGMENTS = [
    ("plenary", "Opening plenary"),
    ("plenary", "Closing plenary"),
    ("sdg_segment", "SDG Action Segment: Goal 4"),
    ("sdg_segment", "SDG Action Segment: Goal 5"),
    ("sdg_segment", "SDG Action Segment: Goal 14"),
    ("sdg_segment", "SDG Action Segment: Goal 17"),
    ("breakout", ""),
    ("side_event", ""),
    ("fireside", ""),
    ("pitch", ""),
]
SEGMENT_WEIGHTS = [2, 2, 6, 6, 6, 6, 20, 40, 6, 6]
ACTORS = [
    "Governments",
    "Member States",
    "Multilateral development banks",
    "Donors and philanthropic foundations",
    "The private sector",
    "Local authorities",
    "UN entities",
    "Partnerships launched at the Forum",
    "National statistical offices",
    "Regional development banks",
]
ASKS = [
    "scale up concessional finance for {topic}",
    "publish open data on {topic} every year",
    "involve {group} in the design and monitoring of programmes on {topic}",
    "set time-bound national targets for {topic}",
    "support the capacity of {group} to take part in decisions on {topic}",
    "remove the legal barriers that keep {group} from {topic}",
    "pool procurement and share technology for {topic}",
    "report on their commitments to {topic} through the registry",
    "create regional centres of excellence on {topic}",
    "integrate {topic} into national development plans and budgets",
]
TOPICS = [
    "the protection of coral reefs",
    "sustainable small-scale fisheries",
    "girls' secondary education",
    "women's access to land and credit",
    "primary health care in rural districts",
    "clean cooking in informal settlements",
    "climate adaptation of coastal cities",
    "debt relief for climate-vulnerable States",
    "digital public infrastructure",
    "the reduction of plastic pollution",
    "safe drinking water in schools",
    "early warning systems for floods",
    "social protection for informal workers",
    "the restoration of mangroves",
    "vaccine manufacturing in Africa",
]
GROUPS = [
    "young people",
    "Indigenous Peoples",
    "women's organisations",
    "persons with disabilities",
    "small island developing States",
    "smallholder farmers",
    "local communities",
    "grassroots organisations",
]
QUALIFIERS = [
    "by 2030",
    "within two years of the Forum",
    "with a public dashboard of progress",
    "in line with the 2030 Agenda",
    "drawing on the lessons of the pilot programmes presented at the session",
    "with particular attention to the least developed countries",
    "",
]


def log(message: str) -> None:
    print(f"[bench cochairs] {message}", file=sys.stderr, flush=True)


def recommendation_text(rng: random.Random, paraphrases: list[str], names: list[str]) -> str:
    if rng.random() < 0.2:
        return rng.choice(paraphrases)
    text = f"{rng.choice(ACTORS)} should " + rng.choice(ASKS).format(
        topic=rng.choice(TOPICS), group=rng.choice(GROUPS)
    )
    qualifier = rng.choice(QUALIFIERS)
    if qualifier:
        text += f" {qualifier}"
    if rng.random() < 0.3:
        text += f", building on {rng.choice(TOPICS)} and the experience of {rng.choice(GROUPS)}"
    if rng.random() < 0.15:
        text += f", as proposed by {rng.choice(names)}"
    return text + "."


def generate(sessions: int, recommendations: int, seed: int) -> dict:
    """Fill the empty database; return the event's id and counts."""
    import csv

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from pledgebook.forum.models import (
        AnnouncedCommitment,
        Consultation,
        ConsultationResponse,
        ConsultationTheme,
        Event,
        Recommendation,
        Session,
        SessionSummary,
        SideEventProposal,
        Speaker,
        Statement,
    )
    from pledgebook.organisations.models import Category, Organisation
    from pledgebook.programmes.models import Programme, ProgrammeRole, Theme
    from pledgebook.reference.models import Country, Goal

    rng = random.Random(seed)
    with (BASE_DIR / "tests" / "forum" / "data" / "recommendation_pairs.csv").open() as handle:
        paraphrases = [
            row[side]
            for row in csv.DictReader(handle)
            if row["merge"] == "1"
            for side in ("text_a", "text_b")
        ]
    User = get_user_model()
    with transaction.atomic():
        programme = Programme.objects.create(
            slug="bench-forum", name="Bench forum", kind="partnership_forum", is_published=True
        )
        themes = [
            Theme.objects.create(programme=programme, slug=f"theme-{i}", name=name, position=i)
            for i, name in enumerate(
                ["Ocean action", "Gender equality", "Health for all", "Finance", "Partnerships"]
            )
        ]
        editor = User.objects.create(username="editor@example.org", email="editor@example.org")
        ProgrammeRole.objects.create(programme=programme, user=editor, role="secretariat")
        event = Event.objects.create(
            programme=programme,
            slug="forum-2025",
            name="Partnership Forum 2025",
            starts_on=dt.date(2025, 1, 28),
            ends_on=dt.date(2025, 1, 30),
            time_zone="America/New_York",
            is_published=True,
        )
        kenya = Country.objects.get(iso2="KE")
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)} {i}",
                slug=f"bench-org-{i}",
                category=Category.CIVIL_SOCIETY,
                country=kenya,
            )
            for i in range(300)
        )
        org_names = [o.name for o in organisations]
        users = User.objects.bulk_create(
            User(
                username=f"organiser{i}@example.org",
                email=f"organiser{i}@example.org",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
            )
            for i in range(600)
        )
        person_names = [f"{u.first_name} {u.last_name}" for u in users]
        goals = list(Goal.objects.all())
        start = dt.datetime(2025, 1, 28, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=5)
        made = Session.objects.bulk_create(
            Session(
                event=event,
                kind=kind,
                segment=segment,
                title=f"Session {i}",
                starts_at=start + dt.timedelta(days=i % 3, minutes=15 * (i // 3 % 36)),
                ends_at=start + dt.timedelta(days=i % 3, minutes=15 * (i // 3 % 36) + 75),
            )
            for i, (kind, segment) in enumerate(
                rng.choices(SEGMENTS, weights=SEGMENT_WEIGHTS, k=sessions)
            )
        )
        Session.themes.through.objects.bulk_create(
            Session.themes.through(session_id=s.pk, theme_id=rng.choice(themes).pk)
            for s in made
            if rng.random() < 0.6
        )
        Session.goals.through.objects.bulk_create(
            Session.goals.through(session_id=s.pk, goal_id=rng.choice(goals).pk) for s in made
        )
        Session.organisers.through.objects.bulk_create(
            Session.organisers.through(session_id=s.pk, user_id=u.pk)
            for s in made
            for u in rng.sample(users, rng.randint(1, 2))
        )
        Session.organisations.through.objects.bulk_create(
            Session.organisations.through(session_id=s.pk, organisation_id=o.pk)
            for s in made
            for o in rng.sample(organisations, rng.randint(1, 3))
        )
        Speaker.objects.bulk_create(
            Speaker(
                session=s,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                affiliation=rng.choice(org_names) if rng.random() < 0.5 else "",
                organisation=rng.choice(organisations) if rng.random() < 0.5 else None,
                position=p,
            )
            for s in made
            for p in range(rng.randint(2, 4))
        )
        plenaries = [s for s in made if s.kind == "plenary"] or made[:1]
        Statement.objects.bulk_create(
            Statement(
                session=rng.choice(plenaries),
                organisation=rng.choice(organisations),
                title=f"Statement {i}",
                text="We call for action.",
            )
            for i in range(60)
        )
        SideEventProposal.objects.bulk_create(
            SideEventProposal(
                event=event,
                organisation=rng.choice(organisations),
                title=f"Proposal {i}",
                description="A side event.",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                expected_participants=50,
            )
            for i in range(40)
        )
        summaries = SessionSummary.objects.bulk_create(
            SessionSummary(
                session=s,
                status=SessionSummary.Status.SUBMITTED,
                due_at=s.ends_at + dt.timedelta(days=14),
                submitted_at=s.ends_at + dt.timedelta(days=3),
                key_messages="\n".join(
                    f"- {rng.choice(ACTORS)} stressed the urgency of {rng.choice(TOPICS)}"
                    + (f", as {rng.choice(person_names)} said" if rng.random() < 0.2 else "")
                    + "."
                    for _ in range(rng.randint(2, 4))
                ),
            )
            for s in made
        )
        names = person_names + org_names
        counts = [1] * len(summaries)
        for _ in range(recommendations - len(summaries)):
            counts[rng.randrange(len(summaries))] += 1
        Recommendation.objects.bulk_create(
            Recommendation(
                summary=summary,
                text=recommendation_text(rng, paraphrases, names),
                position=p,
            )
            for summary, count in zip(summaries, counts, strict=True)
            for p in range(count)
        )
        AnnouncedCommitment.objects.bulk_create(
            AnnouncedCommitment(
                summary=summary,
                title=f"{rng.choice(ORG_KINDS)} for {rng.choice(TOPICS)}",
                maker=rng.choice(org_names),
                amount=Decimal(rng.randrange(10, 5000) * 10_000) if rng.random() < 0.6 else None,
                currency=rng.choice(["USD", "USD", "EUR", "GBP"]),
            )
            for summary in summaries
            if rng.random() < 0.33
        )
        consultation = Consultation.objects.create(
            programme=programme,
            event=event,
            slug="global-consultation",
            title="Global consultation",
            opens_at=start - dt.timedelta(days=60),
            closes_at=start - dt.timedelta(days=10),
        )
        ConsultationResponse.objects.bulk_create(
            ConsultationResponse(
                consultation=consultation,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                organisation_name=rng.choice(org_names),
            )
            for _ in range(300)
        )
        ConsultationTheme.objects.bulk_create(
            ConsultationTheme(
                consultation=consultation,
                label=topic[0].upper() + topic[1:],
                count=rng.randint(5, 60),
                quotes=[f"We need progress on {topic} in our region."],
                position=i,
            )
            for i, topic in enumerate(TOPICS[:12])
        )
    return {"event": event.pk, "editor": editor.pk}


def store_vectors() -> None:
    """Vectors as the background indexing leaves them after submission; the embeddings of the
    generated texts cached on disk between runs and databases."""
    import numpy as np

    from pledgebook.forum.models import Recommendation
    from pledgebook.forum.similar import RECOMMENDATION_KIND
    from pledgebook.similarity import embedding
    from pledgebook.similarity.engine import digest
    from pledgebook.similarity.models import Vector

    rows = list(Recommendation.objects.values_list("pk", "text"))
    cache: dict[str, np.ndarray] = {}
    model = embedding.model_id()
    if VECTOR_CACHE.exists():
        saved = np.load(VECTOR_CACHE, allow_pickle=False)
        if str(saved["model"]) == model:
            cache = dict(zip(saved["digests"].tolist(), saved["vectors"], strict=True))
    missing = sorted({text for _, text in rows if digest(text) not in cache})
    if missing:
        log(f"embedding {len(missing)} texts not in {VECTOR_CACHE.name} (about 30 a second)")
        started = time.perf_counter()
        for text, vector in zip(missing, embedding.embed(missing), strict=True):
            cache[digest(text)] = vector
        log(f"embedded in {time.perf_counter() - started:.1f}s")
        VECTOR_CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            VECTOR_CACHE,
            model=np.array(model),
            digests=np.array(list(cache)),
            vectors=np.stack(list(cache.values())),
        )
    Vector.objects.bulk_create(
        (
            Vector(
                kind=RECOMMENDATION_KIND,
                object_id=pk,
                model_id=model,
                text_digest=digest(text),
                dim=embedding.DIM,
                data=embedding.to_bytes(cache[digest(text)]),
            )
            for pk, text in rows
        ),
        batch_size=500,
    )


def reset_database() -> None:
    """Drop this benchmark's database and create it empty (never another bench's)."""
    from bench.worker import drop_and_create

    drop_and_create()


def worker(argv: list[str]) -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--recommendations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20250128)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.worker import db_label, emit, ensure_database, migrate
    from pledgebook.forum.domain.compile import compile_draft
    from pledgebook.forum.models import Event
    from pledgebook.forum.similar import RECOMMENDATION_KIND
    from pledgebook.similarity import embedding
    from pledgebook.similarity.models import Vector

    ensure_database()
    reset_database()
    migrate()
    started = time.perf_counter()
    ids = generate(args.sessions, args.recommendations, args.seed)
    generated = time.perf_counter() - started
    store_vectors()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    db = db_label()
    n = args.recommendations
    emit("cochairs_generate", db, n, "seconds", round(generated, 2), sessions=args.sessions)
    event = Event.objects.get(pk=ids["event"])
    editor = get_user_model().objects.get(pk=ids["editor"])
    embedding.embed(["warm up"])  # the model's load is the process's, not the compile's

    runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        version = compile_draft(actor=editor, event=event)
        runs.append(time.perf_counter() - t)
        log(f"compiled version {version.number} in {runs[-1]:.2f}s")
    compiled = version.content["compiled_from"]
    emit(
        "cochairs_compile",
        db,
        n,
        "seconds",
        round(statistics.median(runs), 3),
        runs=[round(r, 3) for r in runs],
        target=TARGET_SECONDS,
        sessions=compiled["summaries"],
        recommendations=compiled["recommendations"],
        merged_points=compiled["merged_points"],
        points=sum(len(s["points"]) for s in version.content["sections"]),
        sections=len(version.content["sections"]),
        load=[round(x, 2) for x in os.getloadavg()],
    )
    if not args.no_cold:
        Vector.objects.filter(kind=RECOMMENDATION_KIND).delete()
        t = time.perf_counter()
        compile_draft(actor=editor, event=event)
        cold = time.perf_counter() - t
        emit(
            "cochairs_compile_cold",
            db,
            n,
            "seconds",
            round(cold, 2),
            embedded=n,
            threads=embedding.threads(),
            load=[round(x, 2) for x in os.getloadavg()],
        )


def main(argv: list[str] | None = None) -> int:
    from bench.run import environment

    parser = argparse.ArgumentParser(prog="bench/cochairs.py", description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--recommendations", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="timed compiles (median)")
    parser.add_argument("--no-cold", action="store_true", help="skip the run without vectors")
    args = parser.parse_args(argv)
    common = [
        "--sessions",
        str(args.sessions),
        "--recommendations",
        str(args.recommendations),
        "--repeat",
        str(args.repeat),
    ]
    if args.no_cold:
        common.append("--no-cold")
    failed = []
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "worker", *common]
        result = subprocess.run(cmd, cwd=BASE_DIR, env=environment(DATABASES[db]), check=False)
        if result.returncode != 0:
            log(f"{db} failed ({result.returncode})")
            failed.append(db)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        sys.exit(main())
