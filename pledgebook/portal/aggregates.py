"""The figures of the map and the SDG dashboard, read from the facts
(:mod:`pledgebook.portal.models.facts`) in one scan each, with the filters of
:class:`~pledgebook.portal.filters.PortalCommitmentFilter` (its cleaned data).

* :func:`by_country`: per country, the public commitments naming it, their money pledged and
  disbursed (US dollars, shared equally between a commitment's countries) and how many could
  not be converted.  A commitment counts once in each country it names.
* :func:`by_goal`: per SDG, the commitments naming it, money (whole, not shared: a commitment
  counts wholly in each of its goals, so the goals add up to more than the total), the count
  per status light and the share reporting (reported ÷ expected to report: every light but
  "none").
* :func:`coalitions_by_country`: per country, the public coalitions with an active member
  there (live: coalitions are few).

**Cache.** :func:`by_country` and :func:`by_goal` keep what they computed in Django's shared
cache (Redis in production) under the facts' version and the normalised filters: a request
reads the version with the published programmes (one tiny query, :func:`state`) and finds the
figures there; only a miss scans the facts.  Every writer of the facts bumps the version in
its transaction, so the request after a change computes afresh (never stale), and many
visitors polling the same map cost one computation per change.

**The home page's figures** (:func:`home_figures`: every public commitment, the organisations
making them, the countries where they apply) take seconds to count at a million commitments,
too long for a request and ruinous when every visitor's request counts them at once (a cold
cache under load answered nothing but timeouts).  So they are served *stale while
revalidated*: after a change the latest figures are shown while the task worker counts the
new ones (queued once per version, :func:`recount_shared`); only when none were ever counted
(an empty cache) does a request count them, one request at a time, and the requests arriving
meanwhile get None (the page says the figures are being counted) instead of waiting.  With a
cache in each process's own memory (``make run`` without Redis) the worker's count could not
be seen by the web process, so there the request that finds them stale counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django_tasks import task

from pledgebook.coalitions.filters import CoalitionFilter, active_members, public_coalitions
from pledgebook.commitments.filters import public_commitments
from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.organisations.models import Organisation
from pledgebook.portal.models import CommitmentFact, CountryFact, FactsVersion
from pledgebook.programmes.models import Programme
from pledgebook.reference.models import Country
from pledgebook.reporting.figures import LIGHTS


@dataclass
class Figures:
    commitments: int = 0
    pledged: float = 0.0
    disbursed: float = 0.0
    unconverted: int = 0
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))

    @property
    def expected(self) -> int:
        return self.commitments - self.lights["none"]

    @property
    def share_reporting(self) -> float | None:
        """Percent of those expected to report that reported in their current cycle."""
        return round(100 * self.lights["reported"] / self.expected, 1) if self.expected else None


def filtered(qs: QuerySet, data: dict[str, Any], published: list[int] | None = None) -> QuerySet:
    """The facts matching the filters (the cleaned data of the portal's FilterSet);
    ``published``: the published programmes' ids when the caller read them already."""
    programme = data.get("programme")
    theme = data.get("theme")
    if theme is not None:
        # a theme implies its programme (the index starts there); its id in the same scan
        qs = qs.filter(programme_id=theme.programme_id, themes__contains=f",{theme.pk},")
    if programme is not None:
        qs = qs.filter(programme_id=programme.pk)
    else:
        # the few published programmes' ids, as constants (no subquery in the scan)
        if published is None:
            published = list(
                Programme.objects.filter(is_published=True).values_list("pk", flat=True)
            )
        qs = qs.filter(programme_id__in=published)
    if data.get("sdg") is not None:
        qs = qs.alias(_goal=F("goals").bitand(1 << data["sdg"].pk)).filter(_goal__gt=0)
    if data.get("type") is not None:
        qs = qs.filter(types__contains=f",{data['type'].pk},")
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    if data.get("light"):
        qs = qs.filter(light=data["light"])
    if data.get("country") is not None and qs.model is CommitmentFact:
        where = CountryFact.objects.filter(country_id=data["country"].pk)
        qs = qs.filter(commitment_id__in=where.values("commitment_id"))
    return qs


def _sums() -> dict[str, Any]:
    return {
        "n": Count("*"),
        "p": Coalesce(Sum("pledged"), 0.0),
        "d": Coalesce(Sum("disbursed"), 0.0),
        "u": Count("unconverted", filter=Q(unconverted=True)),  # (a covered column)
    }


#: How long a computed figure may stay in the cache: only memory (a new version is a new key).
CACHE_SECONDS = 24 * 3600
T = TypeVar("T")


def state() -> tuple[int, list[int]]:
    """The facts' version and the published programmes' ids, in one tiny query (no row when
    no programme is published: then every figure is empty, whatever the version)."""
    version = FactsVersion.objects.filter(pk=1).values("counter")
    rows = (
        Programme.objects.filter(is_published=True)
        .annotate(version=Subquery(version))
        .order_by("pk")
        .values_list("pk", "version")
    )
    ids = [pk for pk, _ in rows]
    return (rows[0][1] or 0 if rows else 0), ids


def cache_key(name: str, data: dict[str, Any], version: int, published: list[int]) -> str:
    """The key of ``name``'s figures for these filters at this facts version and these
    published programmes: the filters normalised (sorted, model instances by primary key,
    empty values dropped)."""
    params = sorted((k, str(getattr(v, "pk", v))) for k, v in data.items() if v not in (None, ""))
    where = ",".join(map(str, published))
    return f"portal:{name}:v{version}:p{where}:" + "&".join(f"{k}={v}" for k, v in params)


def _cached(
    name: str, data: dict[str, Any], compute: Callable[[dict[str, Any], list[int]], T]
) -> T:
    version, published = state()
    key = cache_key(name, data, version, published)
    found = cache.get(key)
    if found is None:
        found = compute(data, published)
        cache.set(key, found, CACHE_SECONDS)
    return found


#: The featured commitments the home page shows.
FEATURED_ON_HOME = 6
#: How long the one request counting the figures when none were ever counted holds the
#: right to (others get None meanwhile), and how long a queued recount is not queued again.
COMPUTING_SECONDS = 120
QUEUED_SECONDS = 600


def compute_home() -> dict[str, Any]:
    """Public commitments, the organisations making them (lead or confirmed co-maker) and
    the countries where they apply, and the ids of the latest featured commitments (at most
    :data:`FEATURED_ON_HOME`): scans of every public commitment."""
    public = public_commitments()
    confirmed_co_makers = CoMaker.objects.filter(confirmed_at__isnull=False, commitment__in=public)
    counts = {
        "commitments": public.count(),
        "organisations": Organisation.objects.filter(
            Q(pk__in=public.values("organisation"))
            | Q(pk__in=confirmed_co_makers.values("organisation"))
        ).count(),
        "countries": Country.objects.filter(
            pk__in=Commitment.countries.through.objects.filter(commitment__in=public).values(
                "country"
            )
        ).count(),
    }
    featured = public.filter(status=Commitment.Status.FEATURED).order_by(
        F("decided_at").desc(nulls_last=True), "-id"
    )
    return {
        "counts": counts,
        "featured": list(featured.values_list("pk", flat=True)[:FEATURED_ON_HOME]),
    }


#: The figures of all public commitments served stale while revalidated, by name.
SHARED: dict[str, Callable[[], Any]] = {"home": compute_home}


def _latest_key(name: str) -> str:
    return f"portal:{name}:latest"


def shared(name: str) -> Any | None:
    """The figures ``name`` of :data:`SHARED`: those of the current facts' version from the
    cache; else the latest counted (before a change), while the task worker counts the current
    ones (queued once per version); else, when none were ever counted, counted here by one
    request at a time, and None for the requests arriving meanwhile."""
    version, published = state()
    key = cache_key(name, {}, version, published)
    found = cache.get(key)
    if found is not None:
        return found
    stale = cache.get(_latest_key(name))
    if stale is not None and not cache_is_shared():
        # The worker's cache is not this process's (``make run``, a server without Redis):
        # what it counted would never be seen here, so count here.
        return refresh_shared(name, at=(version, published))
    if stale is not None:
        if cache.add(f"{key}:queued", 1, QUEUED_SECONDS):
            recount_shared.enqueue(name=name, version=version, published=published)
            found = cache.get(key)  # counted already by a backend that runs tasks at once
        return stale if found is None else found
    if not cache.add(f"{key}:computing", 1, COMPUTING_SECONDS):
        return None
    try:
        return refresh_shared(name, at=(version, published))
    finally:
        cache.delete(f"{key}:computing")


def cache_is_shared() -> bool:
    """Whether other processes (the task worker) read what this one keeps in the cache: not
    with a cache in the process's own memory (the default of ``make run``, CACHE_URL unset)."""
    return not settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))


@task()
def recount_shared(*, name: str, version: int, published: list[int]) -> None:
    """The task of :func:`shared`: count the figures ``name`` again, kept as those of the
    facts' ``version`` and ``published`` programmes the request found (anything newer is a
    newer version: counted when asked).  Here, not in :mod:`.tasks`, which this module would
    otherwise import and be imported by."""
    refresh_shared(name, at=(version, published))


def refresh_shared(name: str, at: tuple[int, list[int]] | None = None) -> Any:
    """Count the figures ``name`` of :data:`SHARED` and keep them as those of the facts'
    version read before counting (``at``: read already; a change meanwhile makes another
    version, counted next) and as the latest."""
    version, published = at or state()
    value = SHARED[name]()
    key = cache_key(name, {}, version, published)
    cache.set_many({key: value, _latest_key(name): value}, CACHE_SECONDS)
    return value


def home_figures() -> dict[str, Any] | None:
    """The home page's figures (:func:`compute_home`), served as :func:`shared` says."""
    return shared("home")


def by_country(data: dict[str, Any]) -> dict[str, Figures]:
    """ISO alpha-2 code → the figures of the commitments naming the country (cached)."""
    return _cached("by_country", data, compute_by_country)


def compute_by_country(
    data: dict[str, Any], published: list[int] | None = None
) -> dict[str, Figures]:
    """:func:`by_country` without the cache: one scan of the country facts."""
    rows = (
        filtered(CountryFact.objects.all(), data, published)
        .values("country_id")
        .annotate(**_sums())
        .values_list("country_id", "n", "p", "d", "u")
        .order_by()
    )
    return {
        iso2: Figures(commitments=n, pledged=p, disbursed=d, unconverted=u)
        for iso2, n, p, d, u in rows
    }


@dataclass
class GoalFigures:
    total: Figures
    by_goal: dict[int, Figures]


def by_goal(data: dict[str, Any]) -> GoalFigures:
    """The figures of all the filtered commitments and of each goal (1-17) (cached)."""
    return _cached("by_goal", data, compute_by_goal)


def compute_by_goal(data: dict[str, Any], published: list[int] | None = None) -> GoalFigures:
    """:func:`by_goal` without the cache: one scan of the commitment facts."""
    rows = (
        filtered(CommitmentFact.objects.all(), data, published)
        .values("goals", "light")
        .annotate(**_sums())
        .values_list("goals", "light", "n", "p", "d", "u")
        .order_by()
    )
    total = Figures()
    goals = {g: Figures() for g in range(1, 18)}
    for mask, light, n, p, d, u in rows:
        targets = [total, *(goals[g] for g in range(1, 18) if mask & (1 << g))]
        for f in targets:
            f.commitments += n
            f.pledged += p
            f.disbursed += d
            f.unconverted += u
            f.lights[light] = f.lights.get(light, 0) + n
    return GoalFigures(total, goals)


def coalitions_by_country(data: dict[str, Any]) -> dict[str, Figures]:
    """ISO alpha-2 code → the public coalitions (of the network, as its directory lists them)
    with an active member in the country, through the coalitions' FilterSet (programme, theme,
    SDG, category of a member; types and lights are commitments')."""
    coalitions = coalition_queryset(data)
    rows = (
        active_members()
        .filter(coalition__in=coalitions.values("pk"))
        .annotate(where=Coalesce("organisation__country_id", "invited_country_id"))
        .filter(where__isnull=False)
        .values("where")
        .annotate(n=Count("coalition_id", distinct=True))
        .values_list("where", "n")
        .order_by()
    )
    return {iso2: Figures(commitments=n) for iso2, n in rows}


def coalition_queryset(data: dict[str, Any], country: Any = None) -> QuerySet:
    params = {
        k: (v.slug if k == "programme" else getattr(v, "pk", v))
        for k, v in data.items()
        if k in ("programme", "theme", "sdg", "category") and v
    }
    filterset = CoalitionFilter(params, queryset=public_coalitions())
    qs = filterset.qs if filterset.is_valid() else public_coalitions().none()
    if country is not None:
        members = active_members().filter(
            Q(organisation__country=country) | Q(organisation__isnull=True, invited_country=country)
        )
        qs = qs.filter(pk__in=members.values("coalition_id"))
    return qs
