"""Computed accountability figures: status lights, response rates and roll-ups.

Formulas (also shown on the public page "How progress is computed"):

* **Status light** of a commitment, from the programme's cycles whose reporting has started,
  counting only the cycles the commitment is expected to report in (``reporting.expected``:
  public, running during the cycle, confirmed in time by the programme's rule):
  ``reported`` — a submitted report in its current cycle (the latest it is expected in);
  ``due`` — no report yet, and its report is not due yet (the deadline, or the close for a
  commitment confirmed after the deadline); ``late`` — its report is due and missing;
  ``inactive`` — no report in the two latest cycles whose report was due (as the SDG Actions
  Platform marks initiatives after two years of silence); ``none`` — no cycle expects it yet.
* **Response rate** of a group = commitments of the group with a submitted report in the
  cycle ÷ commitments of the group expected to report in it.
* **Progress index** of a group = Σ wᵢ ÷ n over the n commitments of the group that reported,
  with the weight w of the reported implementation status (completed 1, on track 0.5,
  delayed 0.25, not started 0, discontinued 0).
* **Counts are whole.**  A commitment belongs wholly to its lead organisation's stakeholder
  category and region, and counts once in each of its k themes (and types) and once in the
  programme's total: so the theme rows may add up to more than the total, by category or by
  region they add up exactly.
* **Money is shared.**  A commitment's money is divided in equal parts 1/k between its k
  themes (and types), so money pledged and disbursed by theme, type, category or region adds
  up exactly to the programme's (kept as exact fractions, rounded only for display).
* **Money** pledged is the amount of each commitment, whatever its type: money given to others
  for a financial commitment, the budget behind it for any other (as the assessment's funding
  criterion reads it); the roll-up by type tells them apart.  It is summed in the currency it
  was pledged in; disbursements in another currency are converted with the rate the maker
  reported.  Totals in the programme's reporting currency use the rates the secretariat keeps
  for the cycle (:mod:`.exchange`), applied after these sums.
* **Disbursed so far** of a commitment is the amount of its latest submitted report, in this
  cycle or an earlier one of the programme, that gives an amount: a maker who skips a cycle
  keeps the amount it reported before (the amount is cumulative: "disbursed so far").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.commitments.models import Commitment
from pledgebook.reporting.expected import Terms, both
from pledgebook.reporting.models import ImplementationStatus, ProgressReport, ReportingCycle
from pledgebook.reporting.money import disbursed_so_far
from pledgebook.reporting.queries import active_commitments, cycles_up_to, latest_submitted

STATUS_WEIGHTS = {
    ImplementationStatus.COMPLETED: Fraction(1),
    ImplementationStatus.ON_TRACK: Fraction(1, 2),
    ImplementationStatus.DELAYED: Fraction(1, 4),
    ImplementationStatus.NOT_STARTED: Fraction(0),
    ImplementationStatus.DISCONTINUED: Fraction(0),
}

LIGHTS = {
    "reported": _("Reported this cycle"),
    "due": _("Report due"),
    "late": _("Late"),
    "inactive": _("Inactive: no report for two cycles"),
    "none": _("No reporting cycle yet"),
}


# Status lights -------------------------------------------------------------------------------


def started_cycles(programme_ids: Iterable[int], now: dt.datetime) -> QuerySet[ReportingCycle]:
    """The cycles whose reporting has started, latest deadline first: what the lights see."""
    return (
        ReportingCycle.objects.filter(
            programme_id__in=programme_ids, status__in=["open", "closed"], opens_at__lte=now
        )
        .select_related("programme")
        .order_by("-deadline", "-pk")
    )


@dataclass(frozen=True)
class Window:
    """What the status lights of one programme look at: its started cycles, latest deadline
    first, each with its terms (``expected.Terms``), at the instant ``now``.

    A commitment sees only the cycles it is expected to report in: its *current* cycle is the
    latest of them, its *past* cycles the two latest whose report was due by ``now``."""

    terms: tuple[Terms, ...]
    now: dt.datetime

    @classmethod
    def of(cls, cycles: list[ReportingCycle], now: dt.datetime) -> Window | None:
        if not cycles:
            return None
        return cls(tuple(Terms.of(cy) for cy in cycles), now)

    def light(self, commitment: Commitment, reported: set[tuple[int, int]]) -> str:
        """The light, given the (commitment, cycle) pairs with a submitted report."""
        mine = [t for t in self.terms if t.expects(commitment)]
        if not mine:
            return "none"
        pk = commitment.pk
        if (pk, mine[0].cycle_id) in reported:
            return "reported"
        past = [t.cycle_id for t in mine if t.overdue(commitment, self.now)][:2]
        if len(past) == 2 and not any((pk, cy) in reported for cy in past):
            return "inactive"
        return "late" if mine[0].overdue(commitment, self.now) else "due"

    def silent(self, commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
        """The same rule in SQL, for a whole programme: the commitments whose light is
        ``late`` or ``inactive``, annotated with ``light``.

        Per commitment, three CASE expressions over the window's cycles pick its current
        cycle (the first it is expected in) and its two past ones (the first two it is
        expected in whose report was due); the rest is three look-ups of a report."""
        ids = [t.cycle_id for t in self.terms]
        expected = [t.q() for t in self.terms]
        due = [both(t.q(), t.overdue_q(self.now)) for t in self.terms]

        def first(whens: list[When]) -> Case | Value:
            if not whens:
                return Value(None, output_field=IntegerField())
            return Case(*whens, default=None, output_field=IntegerField())

        current = first([When(q, then=Value(pk)) for q, pk in zip(expected, ids, strict=True)])
        past_1 = first(
            [When(q, then=Value(pk)) for q, pk in zip(due, ids, strict=True) if q is not False]
        )
        past_2 = first(
            [
                When(both(Q(past_1=ids[i]), due[j]), then=Value(ids[j]))
                for i in range(len(ids))
                for j in range(i + 1, len(ids))
                if due[i] is not False and due[j] is not False
            ]
        )

        def reported_in(*cycles: str) -> Exists:
            in_cycles = Q()
            for name in cycles:
                in_cycles |= Q(cycle_id=OuterRef(name))
            return Exists(
                ProgressReport.objects.filter(
                    in_cycles, commitment=OuterRef("pk"), status=ProgressReport.Status.SUBMITTED
                )
            )

        return (
            commitments.annotate(current=current, past_1=past_1)
            .annotate(past_2=past_2)
            .filter(current__isnull=False)
            .exclude(reported_in("current"))
            .annotate(
                light=Case(
                    When(
                        Q(past_2__isnull=False) & ~reported_in("past_1", "past_2"),
                        then=Value("inactive"),
                    ),
                    When(current=F("past_1"), then=Value("late")),
                    default=None,
                    output_field=CharField(),
                )
            )
            .filter(light__isnull=False)
        )


def status_lights(
    commitments: Iterable[Commitment], *, now: dt.datetime | None = None
) -> dict[int, str]:
    """The light of each commitment, in two queries whatever their number."""
    now = now or timezone.now()
    commitments = list(commitments)
    cycles_by_programme: dict[int, list[ReportingCycle]] = defaultdict(list)
    for cycle in started_cycles({c.programme_id for c in commitments}, now):
        cycles_by_programme[cycle.programme_id].append(cycle)
    windows = {pk: Window.of(cycles, now) for pk, cycles in cycles_by_programme.items()}
    reported = set(
        ProgressReport.objects.filter(
            commitment_id__in=[c.pk for c in commitments],
            status=ProgressReport.Status.SUBMITTED,
        ).values_list("commitment_id", "cycle_id")
    )
    lights = {}
    for c in commitments:
        window = windows.get(c.programme_id)
        lights[c.pk] = window.light(c, reported) if window else "none"
    return lights


# Response rates and roll-up -------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    expected: int
    reported: int

    @property
    def percent(self) -> float:
        return round(100 * self.reported / self.expected, 1) if self.expected else 0.0


@dataclass
class Figures:
    """Figures of a group: whole counts, and money as exact fractions (shares)."""

    commitments: int = 0
    reported: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    weighted: Fraction = Fraction(0)  # Σ of the status weights of the commitments that reported
    pledged: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))
    disbursed: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    @property
    def progress(self) -> float | None:
        """The progress index in percent, or None when nobody reported."""
        return round(float(100 * self.weighted / self.reported), 1) if self.reported else None


@dataclass
class RollUp:
    programme: Figures
    by_theme: dict[int, Figures]
    by_category: dict[str, Figures]
    by_region: dict[str, Figures]
    by_type: dict[str, Figures]


@dataclass
class CycleFigures:
    """Everything the dashboard and the annual report compute for a cycle."""

    rates: dict[str, list[Rate]]  # "programme", "category", "region", "theme"
    rollup: RollUp


@dataclass
class GroupSums:
    """Whole sums of the commitments of one group that have the same number of parts ``d`` in
    the group's dimension (k themes, or k types; 1 for the programme, a category, a region).
    Integers and Decimals only: the shares (1/d) are applied once, in :func:`_figures`, so
    the pass over the commitments does no fraction arithmetic."""

    commitments: int = 0
    reported: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    pledged: dict[str, Decimal] = field(default_factory=dict)
    disbursed: dict[str, Decimal] = field(default_factory=dict)

    def to_json(self) -> list[Any]:
        return [
            self.commitments,
            self.reported,
            self.by_status,
            {k: str(v) for k, v in self.pledged.items()},
            {k: str(v) for k, v in self.disbursed.items()},
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> GroupSums:
        n, reported, by_status, pledged, disbursed = data
        return cls(
            n,
            reported,
            dict(by_status),
            {k: Decimal(v) for k, v in pledged.items()},
            {k: Decimal(v) for k, v in disbursed.items()},
        )


# (dimension, key, d): dimension is "programme", "category", "region", "theme" or "type".
SumKey = tuple[str, str | int, int]
Sums = dict[SumKey, GroupSums]


def latest_statuses(
    cycle: ReportingCycle, commitments: QuerySet[Commitment] | None = None
) -> dict[int, str]:
    """commitment id → the implementation status of its latest submitted version in the
    cycle (of ``commitments`` only, when given).  Streams the rows."""
    rows = latest_submitted().filter(cycle=cycle)
    if commitments is not None:
        rows = rows.filter(commitment__in=commitments)
    return dict(
        rows.order_by()
        .values_list("commitment_id", "implementation_status")
        .iterator(chunk_size=5000)
    )


def _links(through: Any, column: str, expected: Any) -> dict[int, tuple[Any, ...]]:
    """commitment id → its linked keys (themes or types), sorted."""
    links: dict[int, list[Any]] = defaultdict(list)
    rows = through.objects.filter(commitment__in=expected).values_list("commitment_id", column)
    for commitment_id, key in rows.iterator(chunk_size=5000):
        links[commitment_id].append(key)
    return {pk: tuple(sorted(keys)) for pk, keys in links.items()}


def compute_sums(
    cycle: ReportingCycle,
    *,
    statuses: dict[int, str] | None = None,
    makers: set[int] | None = None,
) -> Sums:
    """One streamed pass over the commitments expected to report in ``cycle`` (five queries
    whatever their number).  Commitments that fall in the same groups with the same latest
    status and pledged currency are first added up as one profile, then each profile is
    added to its groups.

    ``statuses``: :func:`latest_statuses` of the expected commitments when the caller has
    read them already (the annual report reads them with its other columns: one query fewer);
    ``makers``: a set that receives the lead organisations of the expected commitments."""
    expected = active_commitments(cycle)
    themes = _links(Commitment.themes.through, "theme_id", expected)
    types = _links(Commitment.types.through, "commitmenttype_id", expected)
    # only the expected commitments' rows: at 1,000,000 commitments, fewer than half
    if statuses is None:
        statuses = latest_statuses(cycle, expected)
    disbursements = disbursed_so_far(cycle, expected)
    # (category, region, themes, types, status, currency) → [n, pledged, disbursed, any disbursed]
    profiles: dict[tuple[Any, ...], list[Any]] = {}
    rows = expected.values_list(
        "pk",
        "organisation_id",
        "organisation__category",
        "organisation__country__region",
        "amount",
        "currency_id",
    ).order_by()
    organisations = makers if makers is not None else set()
    for pk, organisation, category, region, amount, currency in rows.iterator(chunk_size=5000):
        organisations.add(organisation)
        status, disbursed = statuses.get(pk), disbursements.get(pk)
        money = currency if currency and amount is not None else None
        profile_key = (category, region, themes.get(pk, ()), types.get(pk, ()), status, money)
        profile = profiles.get(profile_key)
        if profile is None:
            profile = profiles[profile_key] = [0, Decimal(0), Decimal(0), False]
        profile[0] += 1
        if money:
            profile[1] += amount
            if disbursed is not None:
                profile[2] += disbursed
                profile[3] = True
    sums: Sums = {}
    for (category, region, own_themes, own_types, status, money), values in profiles.items():
        keys: list[SumKey] = [
            ("programme", "", 1),
            ("category", category, 1),
            ("region", region, 1),
        ]
        keys += [("theme", t, len(own_themes)) for t in own_themes]
        keys += [("type", t, len(own_types)) for t in own_types]
        n, pledged, disbursed, any_disbursed = values
        for key in keys:
            s = sums.get(key)
            if s is None:
                s = sums[key] = GroupSums()
            s.commitments += n
            if status:
                s.reported += n
                s.by_status[status] = s.by_status.get(status, 0) + n
            if money:
                s.pledged[money] = s.pledged.get(money, Decimal(0)) + pledged
                if any_disbursed:
                    s.disbursed[money] = s.disbursed.get(money, Decimal(0)) + disbursed
    if ("programme", "", 1) not in sums:
        sums["programme", "", 1] = GroupSums()
    return sums


def _figures(sums: Sums) -> dict[tuple[str, str | int], Figures]:
    """The figures of each group: whole counts (the sums over d), money in shares 1/d."""
    result: dict[tuple[str, str | int], Figures] = defaultdict(Figures)
    for (dimension, key, d), s in sums.items():
        share = Fraction(1, d)
        f = result[dimension, key]
        f.commitments += s.commitments
        f.reported += s.reported
        for status, n in s.by_status.items():
            f.by_status[status] += n
            f.weighted += n * STATUS_WEIGHTS[ImplementationStatus(status)]
        for currency, amount in s.pledged.items():
            f.pledged[currency] += share * Fraction(amount)
        for currency, amount in s.disbursed.items():
            f.disbursed[currency] += share * Fraction(amount)
    return result


def from_sums(cycle: ReportingCycle, sums: Sums) -> CycleFigures:
    """The rates (labels in the active language) and the roll-up of ``sums``."""
    from pledgebook.organisations.models import Category
    from pledgebook.programmes.models import Theme
    from pledgebook.reference.models import Region

    groups = _figures(sums)
    rollup = RollUp(
        groups["programme", ""],
        {int(k): f for (dim, k), f in groups.items() if dim == "theme"},
        {str(k): f for (dim, k), f in groups.items() if dim == "category"},
        {str(k): f for (dim, k), f in groups.items() if dim == "region"},
        {str(k): f for (dim, k), f in groups.items() if dim == "type"},
    )
    # Whole counts (a commitment with k themes counts once in each): the sum over d.
    whole: dict[tuple[str, str | int], list[int]] = defaultdict(lambda: [0, 0])
    for (dimension, key, _d), s in sums.items():
        whole[dimension, key][0] += s.commitments
        whole[dimension, key][1] += s.reported
    labels: dict[str, dict[Any, str]] = {
        "programme": {"": cycle.programme.name},
        "category": {k: str(v) for k, v in Category.choices},
        "region": dict(Region.objects.values_list("m49", "name")),
        "theme": dict(Theme.objects.filter(programme=cycle.programme).values_list("pk", "name")),
    }
    rates: dict[str, list[Rate]] = {}
    for dimension, names in labels.items():
        keys = sorted(k for dim, k in whole if dim == dimension)  # theme ids sort as numbers
        rates[dimension] = [
            Rate(
                cycle.programme.slug if dimension == "programme" else str(key),
                names.get(key, str(key)),
                *whole[dimension, key],
            )
            for key in keys
        ]
    return CycleFigures(rates, rollup)


def compute(
    cycle: ReportingCycle,
    *,
    statuses: dict[int, str] | None = None,
    makers: set[int] | None = None,
) -> CycleFigures:
    """The figures of ``cycle``, computed now from the database (``statuses``, ``makers``: see
    :func:`compute_sums`)."""
    return from_sums(cycle, compute_sums(cycle, statuses=statuses, makers=makers))


def response_rates(cycle: ReportingCycle) -> dict[str, list[Rate]]:
    """Response rates of the programme, and by theme, category and region."""
    return compute(cycle).rates


def roll_up(cycle: ReportingCycle) -> RollUp:
    return compute(cycle).rollup


# Snapshots -----------------------------------------------------------------------------------
#
# At 100,000 commitments the pass above takes about two seconds, too slow for a dashboard that
# is opened often.  ``current`` keeps the sums of the last computation (a few dozen rows) in a
# ``FiguresSnapshot`` with the fingerprint of the data they came from, and serves them while the
# fingerprint is unchanged.  The fingerprint is five index look-ups (see ``fingerprint``); it
# sees every submission, every edit or transition of a commitment and every edit of an
# organisation, as they all stamp the time.  Two changes whose transactions commit in the
# reverse order of their stamps, or a deletion (by an administrator), can leave it unchanged:
# the refresh task enqueued after each submission (``refresh(since=...)``) recomputes anyway,
# and any snapshot older than ``MAX_AGE`` is recomputed.

SUMS_VERSION = (
    3  # bump when compute_sums changes (3: whole counts, expected terms, disbursed so far)
)
MAX_AGE = dt.timedelta(minutes=10)


def fingerprint(cycle: ReportingCycle) -> str:
    """What the figures of ``cycle`` depend on, in a few queries of index look-ups whatever the
    number of rows: the cycle's terms (who is expected in it); the last submission in the cycle
    and in each earlier cycle of the programme (submitted reports never change: a correction
    is a new one; earlier cycles give "disbursed so far"); the last change of the programme's
    commitments and of any organisation (category, country); the programme's themes and the
    commitment types."""
    from pledgebook.organisations.models import Organisation
    from pledgebook.programmes.models import CommitmentType, Theme

    parts = [
        SUMS_VERSION,
        cycle.pk,
        cycle.programme_id,
        # what decides who is expected (``expected.Terms``)
        Terms.of(cycle),
        list(
            cycles_up_to(cycle)
            .annotate(
                last=Subquery(
                    ProgressReport.objects.filter(
                        cycle=OuterRef("pk"), status=ProgressReport.Status.SUBMITTED
                    )
                    .order_by("-submitted_at")
                    .values("submitted_at")[:1]
                )
            )
            .order_by("pk")
            .values_list("pk", "last")
        ),
        Commitment.objects.filter(programme_id=cycle.programme_id).aggregate(
            last=Max("updated_at")
        ),
        Organisation.objects.aggregate(last=Max("updated_at")),
        Theme.objects.filter(programme_id=cycle.programme_id).aggregate(
            n=Count("pk"), ids=Sum("pk")
        ),
        CommitmentType.objects.count(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def current(cycle: ReportingCycle, *, now: dt.datetime | None = None) -> CycleFigures:
    """The figures of ``cycle`` from its snapshot if the data did not change since, else
    computed now (and the snapshot replaced)."""
    now = now or timezone.now()
    key = fingerprint(cycle)
    sums = _snapshot(cycle, key, now)
    if sums is None:
        sums = _store(cycle, key, now)
    return from_sums(cycle, sums)


def refresh(
    cycle: ReportingCycle, *, since: dt.datetime | None = None, now: dt.datetime | None = None
) -> bool:
    """Bring the snapshot of ``cycle`` up to date, and make sure it was computed after
    ``since`` (a change committed then); True if it had to be computed."""
    now = now or timezone.now()
    key = fingerprint(cycle)
    if _snapshot(cycle, key, now, since=since) is not None:
        return False
    _store(cycle, key, now)
    return True


def _snapshot(
    cycle: ReportingCycle, key: str, now: dt.datetime, *, since: dt.datetime | None = None
) -> Sums | None:
    """The sums of the snapshot of ``cycle`` if it is still valid.  ``computed_at`` is the
    moment the computation started: it saw everything committed before."""
    from pledgebook.reporting.models import FiguresSnapshot

    snapshot = FiguresSnapshot.objects.filter(cycle=cycle, fingerprint=key).first()
    if snapshot is None or now - snapshot.computed_at >= MAX_AGE:
        return None
    if since is not None and snapshot.computed_at < since:
        return None
    return {(dim, k, d): GroupSums.from_json(values) for dim, k, d, values in snapshot.sums}


def _store(cycle: ReportingCycle, key: str, now: dt.datetime) -> Sums:
    from pledgebook.reporting.models import FiguresSnapshot

    started = time.perf_counter()
    sums = compute_sums(cycle)
    try:
        with transaction.atomic():
            FiguresSnapshot.objects.filter(cycle=cycle).delete()
            FiguresSnapshot.objects.create(
                cycle=cycle,
                fingerprint=key,
                sums=[[dim, k, d, s.to_json()] for (dim, k, d), s in sums.items()],
                computed_at=now,
                seconds=round(time.perf_counter() - started, 3),
            )
    except IntegrityError:  # another request stored it at the same moment: as good as ours
        pass
    return sums
