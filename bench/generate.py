"""Generate a benchmark programme: N commitments from N/5 organisations, with bulk_create.

Runs inside a configured Django process (see ``bench/worker.py``), against an empty, migrated
database.  Deterministic for a given seed.
"""

import datetime as dt
import json
import os
import random
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils.text import slugify

from bench.vocabulary import THEMES, Picker, TextMaker, words_of
from pledgebook.commitments.models import CoMaker, Commitment, EndorsementLevel, GeographicScope
from pledgebook.organisations.models import Category, Organisation
from pledgebook.programmes.models import Action, CommitmentType, Programme, Theme
from pledgebook.reference.models import Country, Currency, Goal, Region, Target

PROGRAMME_SLUG = "bench-programme"
CHUNK = 5000

CATEGORY_WEIGHTS = {
    Category.MEMBER_STATE: 1,
    Category.GOVERNMENT: 8,
    Category.PRIVATE_SECTOR: 15,
    Category.PHILANTHROPY: 5,
    Category.INTERNATIONAL: 6,
    Category.CIVIL_SOCIETY: 42,
    Category.YOUTH_LED: 12,
    Category.OTHER: 11,
}
STATUS_WEIGHTS = {
    Commitment.Status.CONFIRMED: 70,
    Commitment.Status.FEATURED: 8,
    Commitment.Status.DRAFT: 10,
    Commitment.Status.SUBMITTED: 3,
    Commitment.Status.IN_REVIEW: 3,
    Commitment.Status.RETURNED: 1,
    Commitment.Status.DECLINED: 5,
}
TYPE_WEIGHTS = {"programmatic": 50, "policy": 22, "advocacy": 18, "financial": 10}
SCOPE_WEIGHTS = {GeographicScope.NATIONAL: 70, GeographicScope.REGIONAL: 15, "global": 15}
EPOCH = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
SPAN_SECONDS = int((dt.datetime(2026, 6, 1, tzinfo=dt.UTC) - EPOCH).total_seconds())


def log(message: str) -> None:
    print(f"[bench {connection.vendor}] {message}", file=sys.stderr, flush=True)


def _weighted(rng: random.Random, weights: dict, k: int = 1) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _distinct(rng: random.Random, pick, k: int) -> list:
    """Up to ``k`` distinct values from the callable ``pick`` (a few tries)."""
    out: list = []
    for _ in range(k * 3):
        v = pick()
        if v not in out:
            out.append(v)
            if len(out) == k:
                break
    return out


def _setup(n_orgs: int, seed: int) -> None:
    """The programme, its themes and actions, and the organisations, in one transaction (so a
    stopped run has all of them or none).  Deterministic for a seed."""
    rng = random.Random(seed)
    countries = list(Country.objects.order_by("iso2").values_list("iso2", "name"))
    names = dict(countries)
    shuffled = [c for c, _ in countries]
    rng.shuffle(shuffled)
    country_pick = Picker(rng, shuffled, 0.9)  # a few countries hold many commitments
    goals = list(Goal.objects.values_list("number", flat=True))
    text = TextMaker(rng, [names[c] for c, _ in countries])
    with transaction.atomic():
        programme = Programme.objects.create(
            slug=PROGRAMME_SLUG,
            name="Generation Benchmark Forum",
            kind=Programme.Kind.ACTION_COALITIONS,
            summary="A generated programme for benchmarks.",
            starts_on=dt.date(2021, 3, 8),
            ends_on=dt.date(2030, 12, 31),
            is_published=True,
        )
        programme.commitment_types.set(CommitmentType.objects.all())
        for position, (slug, name, action_titles) in enumerate(THEMES):
            theme = Theme.objects.create(
                programme=programme,
                slug=slug,
                name=name,
                description=f"Action coalition on {name.lower()}.",
                position=position,
            )
            theme.goals.set([5, rng.choice(goals)])
            Action.objects.bulk_create(
                Action(theme=theme, code=f"{position + 1}.{i + 1}", title=title, position=i)
                for i, title in enumerate(action_titles)
            )
        org_rows = []
        for i in range(n_orgs):
            category = _weighted(rng, CATEGORY_WEIGHTS)[0]
            iso2 = country_pick()
            name = text.organisation_name(category, names[iso2])
            org_rows.append(
                Organisation(
                    name=name[:200],
                    slug=f"{slugify(name)[:200]}-{i}",
                    category=category,
                    country_id=iso2,
                    website=f"https://www.example.org/{i}" if rng.random() < 0.7 else "",
                    description=text.description(names[iso2])[:600] if rng.random() < 0.5 else "",
                    is_grassroots=category in (Category.CIVIL_SOCIETY, Category.YOUTH_LED)
                    and rng.random() < 0.3,
                )
            )
        Organisation.objects.bulk_create(org_rows, batch_size=2000)


class Chunks:
    """What every chunk of commitments draws from, read from the database (so a resumed run
    sees what the first one wrote), and :meth:`make`: chunk ``index``'s commitments and links,
    from a random generator of its own (seeded by the seed and the index), so that any chunk
    can be made again alone."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        countries = list(Country.objects.order_by("iso2").values_list("iso2", "name"))
        self.names = dict(countries)
        self.iso2s = [c for c, _ in countries]
        self.shuffled = self.iso2s[:]
        random.Random(seed).shuffle(self.shuffled)  # as _setup: the same popular countries
        self.programme = Programme.objects.get(slug=PROGRAMME_SLUG)
        self.themes = list(Theme.objects.filter(programme=self.programme).order_by("position"))
        self.actions_by_theme: dict[int, list[int]] = {t.pk: [] for t in self.themes}
        for pk, theme_id in (
            Action.objects.filter(theme__in=self.themes)
            .order_by("pk")
            .values_list("pk", "theme_id")
        ):
            self.actions_by_theme[theme_id].append(pk)
        orgs = list(
            Organisation.objects.filter(slug__regex=r"-[0-9]+$")
            .order_by("pk")
            .values_list("pk", "country_id")
        )
        self.org_country = dict(orgs)
        self.org_ids = [pk for pk, _ in orgs]
        random.Random(f"{seed}:organisations").shuffle(self.org_ids)
        self.regions = list(Region.objects.order_by("m49").values_list("m49", flat=True))
        self.goals = list(Goal.objects.order_by("number").values_list("number", flat=True))
        self.targets_by_goal: dict[int, list[str]] = {}
        for code, goal in Target.objects.order_by("code").values_list("code", "goal_id"):
            self.targets_by_goal.setdefault(goal, []).append(code)
        currencies = set(Currency.objects.values_list("code", flat=True))
        self.currency_weights = {
            c: w
            for c, w in {"USD": 60, "EUR": 15, "GBP": 5, "KES": 3, "INR": 3}.items()
            if c in currencies
        }
        self.goal_weights = {g: (30 if g == 5 else 3) for g in self.goals}

    def make(self, index: int, size: int) -> tuple[list[Commitment], list[dict], Counter, int]:
        """Chunk ``index`` of ``size`` commitments: the rows, their links, the document
        frequency of their words and how many are public."""
        rng = random.Random(f"{self.seed}:chunk:{index}")
        country_pick = Picker(rng, self.shuffled, 0.9)
        org_pick = Picker(rng, self.org_ids, 0.6)  # some organisations make many commitments
        text = TextMaker(rng, [self.names[c] for c in self.iso2s])
        df: Counter[str] = Counter()
        public = 0
        commitments: list[Commitment] = []
        relations: list[dict] = []
        for _ in range(size):
            org = org_pick()
            home = self.org_country[org]
            status = _weighted(rng, STATUS_WEIGHTS)[0]
            scope = _weighted(rng, SCOPE_WEIGHTS)[0]
            n_types = rng.choices([1, 2, 3], weights=[55, 33, 12])[0]
            types = _distinct(rng, lambda: _weighted(rng, TYPE_WEIGHTS)[0], n_types)
            n_themes = rng.choices([1, 2], weights=[75, 25])[0]
            chosen_themes = rng.sample(self.themes, n_themes)
            chosen_actions = [
                a
                for t in chosen_themes
                for a in rng.sample(self.actions_by_theme[t.pk], rng.randint(0, 2))
            ]
            countries_k = rng.choices([1, 2, 3], weights=[60, 25, 15])[0]
            first = home if rng.random() < 0.7 else country_pick()
            chosen_countries = [first, *_distinct(rng, country_pick, countries_k - 1)]
            chosen_countries = list(dict.fromkeys(chosen_countries))
            goals_k = rng.choices([1, 2, 3], weights=[40, 40, 20])[0]
            chosen_goals = _distinct(rng, lambda: _weighted(rng, self.goal_weights)[0], goals_k)
            pool = [t for g in chosen_goals for t in self.targets_by_goal.get(g, [])]
            chosen_targets = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
            submitted = None
            decided = None
            if status != Commitment.Status.DRAFT:
                submitted = EPOCH + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
                if status in (
                    Commitment.Status.CONFIRMED,
                    Commitment.Status.FEATURED,
                    Commitment.Status.DECLINED,
                ):
                    decided = submitted + dt.timedelta(days=rng.randint(3, 60))
            starts = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
            financial = "financial" in types
            conditional = rng.random() < 0.1
            title = text.title(self.names[first])[:300]
            description = text.description(self.names[first])
            if status in Commitment.PUBLIC_STATUSES:
                public += 1
            df.update(words_of(title) | words_of(description))
            commitments.append(
                Commitment(
                    programme=self.programme,
                    organisation_id=org,
                    title=title,
                    description=description,
                    scope=GeographicScope.GLOBAL if scope == "global" else scope,
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=365 * rng.randint(1, 5)),
                    amount=Decimal(int(rng.lognormvariate(11, 1.5))) if financial else None,
                    currency_id=_weighted(rng, self.currency_weights)[0] if financial else None,
                    funds_are_new=rng.random() < 0.6 if financial else None,
                    endorsement_level=rng.choice(list(EndorsementLevel.values)),
                    is_conditional=conditional,
                    condition="Subject to parliamentary approval of the budget."
                    if conditional
                    else "",
                    status=status,
                    submitted_at=submitted,
                    decided_at=decided,
                )
            )
            co_makers = _distinct(rng, org_pick, rng.randint(1, 3)) if rng.random() < 0.15 else []
            relations.append(
                {
                    "types": types,
                    "themes": [t.pk for t in chosen_themes],
                    "actions": chosen_actions,
                    "goals": chosen_goals,
                    "targets": chosen_targets,
                    "countries": chosen_countries,
                    "regions": [rng.choice(self.regions)]
                    if scope == GeographicScope.REGIONAL
                    else [],
                    # (co-maker, confirmed?): never the lead itself
                    "co_makers": [(o, rng.random() < 0.8) for o in co_makers if o != org],
                }
            )
        return commitments, relations, df, public


def _insert(commitments: list[Commitment], relations: list[dict]) -> int:
    """One chunk's rows and links, in one transaction; returns the link rows written."""
    T = Commitment.types.through
    TH = Commitment.themes.through
    A = Commitment.actions.through
    G = Commitment.goals.through
    TG = Commitment.targets.through
    C = Commitment.countries.through
    R = Commitment.regions.through
    rows = 0
    with transaction.atomic():
        created = Commitment.objects.bulk_create(commitments, batch_size=1000)
        through: dict[type, list] = {m: [] for m in (T, TH, A, G, TG, C, R)}
        co_makers: list[CoMaker] = []
        for c, rel in zip(created, relations, strict=True):
            cid = c.pk
            through[T] += [T(commitment_id=cid, commitmenttype_id=v) for v in rel["types"]]
            through[TH] += [TH(commitment_id=cid, theme_id=v) for v in rel["themes"]]
            through[A] += [A(commitment_id=cid, action_id=v) for v in rel["actions"]]
            through[G] += [G(commitment_id=cid, goal_id=v) for v in rel["goals"]]
            through[TG] += [TG(commitment_id=cid, target_id=v) for v in rel["targets"]]
            through[C] += [C(commitment_id=cid, country_id=v) for v in rel["countries"]]
            through[R] += [R(commitment_id=cid, region_id=v) for v in rel["regions"]]
            co_makers += [
                CoMaker(
                    commitment_id=cid,
                    organisation_id=o,
                    confirmed_at=c.submitted_at if confirmed else None,
                )
                for o, confirmed in rel["co_makers"]
            ]
        for model, objs in through.items():
            model.objects.bulk_create(objs, batch_size=5000)
            rows += len(objs)
        CoMaker.objects.bulk_create(co_makers, batch_size=5000)
        rows += len(co_makers)
    return rows


def generate(n: int, n_orgs: int, seed: int, progress: Path | None = None, key: tuple = ()) -> dict:
    """Fill the database, or go on filling it where a stopped run left it; return metadata
    (timings and word document frequencies).

    Resumable: the programme and organisations are written in one transaction and each chunk
    of :data:`CHUNK` commitments in its own, from a generator of its own; ``progress`` (a
    JSON file) keeps what the chunks written so far counted (their words, public rows, link
    rows).  A run finds how many chunks the database holds, takes the counts of those from
    ``progress`` (or makes those chunks again without writing them, when the file lags), and
    writes the rest: the database ends the same as one uninterrupted run's.  ``key`` names
    the run (n, organisations, seed, generator version): a file of another run is ignored."""
    started = time.perf_counter()
    if not Programme.objects.filter(slug=PROGRAMME_SLUG).exists():
        _setup(n_orgs, seed)
        _write_progress(progress, key, 0, Counter(), 0, 0)
        log(f"{n_orgs} organisations in {time.perf_counter() - started:.1f}s")
    chunks = Chunks(seed)
    if len(chunks.org_ids) != n_orgs:
        raise SystemExit(f"the database holds {len(chunks.org_ids)} organisations, not {n_orgs}")
    done_rows = Commitment.objects.filter(programme=chunks.programme).count()
    if done_rows % CHUNK and done_rows != n:
        raise SystemExit(f"{done_rows} commitments: not a whole number of chunks of {CHUNK}")
    done = -(-done_rows // CHUNK)
    kept = read_progress(progress, key)
    df: Counter[str] = Counter(kept.get("df", {}))
    public, rows = kept.get("public", 0), kept.get("rows", 0)
    counted = kept.get("chunks", 0) if kept.get("chunks", 0) <= done else 0
    if counted != kept.get("chunks", 0):
        df, public, rows = Counter(), 0, 0
    if done:
        log(f"resuming: {done_rows} commitments written, counts of {counted} chunks kept")
    for index in range(counted, done):  # written, not counted: make them again, unwritten
        size = min(CHUNK, n - index * CHUNK)
        commitments, relations, chunk_df, chunk_public = chunks.make(index, size)
        df.update(chunk_df)
        public += chunk_public
        rows += sum(len(v) for rel in relations for v in rel.values())
    for index in range(done, -(-n // CHUNK)):
        start = index * CHUNK
        size = min(CHUNK, n - start)
        commitments, relations, chunk_df, chunk_public = chunks.make(index, size)
        rows += _insert(commitments, relations)
        df.update(chunk_df)
        public += chunk_public
        _write_progress(progress, key, index + 1, df, public, rows)
        log(f"{start + size}/{n} commitments, {time.perf_counter() - started:.1f}s")

    load_seconds = time.perf_counter() - started
    analyze()
    return {
        "n": n,
        "organisations": n_orgs,
        "seed": seed,
        "public": public,
        "relation_rows": rows,
        "load_seconds": round(load_seconds, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "df": dict(df),
    }


def read_progress(path: Path | None, key: tuple) -> dict:
    """The counts a stopped run of ``key`` kept ({} when none)."""
    try:
        kept = json.loads(path.read_text()) if path else {}
    except (OSError, ValueError):
        return {}
    return kept if kept.get("key") == list(key) else {}


def _write_progress(
    path: Path | None, key: tuple, chunks: int, df: Counter, public: int, rows: int
) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    data = {"key": list(key), "chunks": chunks, "df": df, "public": public, "rows": rows}
    partial.write_text(json.dumps(data))
    os.replace(partial, path)


def analyze() -> None:
    """Planner statistics, as a live database would have them."""
    t = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    log(f"ANALYZE in {time.perf_counter() - t:.1f}s")


def check_search_index(meta: dict) -> None:
    """The full-text index holds every row: compare exact-word matches with the generator's
    own document frequencies for a few words."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO commitments_commitment_fts(commitments_commitment_fts) "
                "VALUES ('integrity-check')"
            )
    df = meta["df"]
    words = [w for w, _ in sorted(df.items(), key=lambda kv: -kv[1]) if w.isalpha()]
    sample = [*words[:2], *words[len(words) // 3 : len(words) // 3 + 2], *words[-40:-38]]
    with connection.cursor() as cursor:
        for word in sample:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM commitments_commitment_fts "
                    "WHERE commitments_commitment_fts MATCH %s",
                    [f'"{word}"'],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM commitments_commitment WHERE "
                    "to_tsvector('simple'::regconfig, title || ' ' || description) "
                    "@@ to_tsquery('simple'::regconfig, %s)",
                    [word],
                )
            (found,) = cursor.fetchone()
            if found != df[word]:
                raise SystemExit(
                    f"search index: {word!r} matches {found} rows, expected {df[word]}"
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the GIN index of the stored tsvector (migration commitments 0005)
            index = "commitments_commitment_search_document"
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [index])
            if cursor.fetchone()[0] != 1:
                raise SystemExit(f"search index: GIN index {index} missing")
    log(f"search index checked on {', '.join(sample)}")
