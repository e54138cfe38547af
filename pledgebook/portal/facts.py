"""Keeping the map's and the dashboard's facts (:mod:`pledgebook.portal.models.facts`) equal
to their sources.

One function writes them, :func:`refresh`: the rows of the given commitments are rewritten
from the commitments, their SDGs, types, countries, lead organisation, reports and the
exchange rates.  It is called

* inside the transaction of every change that alters what they hold: a commitment's status or
  content (``commitments.domain.on_changed``), a report submitted, a cycle opened or closed,
  an exchange rate kept (``reporting.domain.on_figures_changed``), an organisation's category
  (``organisations.domain.on_changed``) — registered in ``PortalConfig.ready``; a change
  touching a whole programme runs as a background task (:mod:`.tasks`);
* by the workers' periodic check :func:`refresh_overdue`, for the lights that change as time
  passes (a deadline or a close passed since a programme's facts were written);
* by ``manage.py refresh_facts`` (everything: the demo, the benchmarks, a repair).

Every writer of the facts (:func:`refresh`, :func:`forget_programmes`) also calls
:func:`bump` in its transaction: the figures cached under the previous version
(:mod:`.aggregates`) are never read again, so the next request after a change shows it.

**Money** is in US dollars: the amount pledged and the amount disbursed so far
(``reporting.money``, in the pledged currency) divided by the latest rate to USD the
secretariats keep for that currency (``reporting.ExchangeRate`` of any programme whose
reporting currency is USD, latest effective date first).  A commitment in a currency without
such a rate is marked ``unconverted``: counted, never converted at 1, and the pages say how
many.  On the map a commitment's money is shared equally between the countries it names, so
the countries add up to the total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.portal.models import CommitmentFact, CountryFact, FactsVersion
from pledgebook.reporting.figures import status_lights
from pledgebook.reporting.models import ExchangeRate, ProgressReport, ReportingCycle
from pledgebook.reporting.money import disbursed

MONEY_CURRENCY = "USD"
BATCH = 1000


def usd_rates(currencies: Iterable[str]) -> dict[str, Decimal]:
    """currency → units of it for one US dollar: the latest rate kept to USD (one query)."""
    wanted = set(currencies) - {MONEY_CURRENCY}
    rates: dict[str, Decimal] = {MONEY_CURRENCY: Decimal(1)}
    rows = (
        ExchangeRate.objects.filter(reporting_currency_id=MONEY_CURRENCY, currency_id__in=wanted)
        .order_by("currency_id", "-effective_on", "-cycle__deadline", "-pk")
        .values_list("currency_id", "rate")
    )
    for currency, rate in rows:
        if currency not in rates and rate:
            rates[currency] = rate
    return rates


def _disbursed(ids: list[int]) -> dict[int, Decimal]:
    """commitment id → disbursed so far, in the pledged currency: its latest submitted report
    that gives an amount (the rule of ``reporting.money.disbursed_so_far``, over every cycle)."""
    amounts: dict[int, Decimal] = {}
    rows = (
        ProgressReport.objects.filter(
            commitment_id__in=ids,
            status=ProgressReport.Status.SUBMITTED,
            disbursed_amount__isnull=False,
        )
        .order_by("commitment_id", "-cycle__opens_at", "-cycle_id", "-version")
        .values_list("commitment_id", "disbursed_amount", "exchange_rate")
    )
    for commitment_id, amount, rate in rows:
        value = disbursed(amount, rate)
        if commitment_id not in amounts and value is not None:
            amounts[commitment_id] = value
    return amounts


def _links(through: Any, column: str, ids: list[int]) -> dict[int, list]:
    linked: dict[int, list] = defaultdict(list)
    for commitment_id, value in through.objects.filter(commitment_id__in=ids).values_list(
        "commitment_id", column
    ):
        linked[commitment_id].append(value)
    return linked


def version() -> int:
    """The facts' version (one tiny query): it changes with every write of the facts."""
    counter = FactsVersion.objects.filter(pk=1).values_list("counter", flat=True).first()
    return counter or 0


def bump() -> None:
    """Tell the caches the facts changed: called by every writer, inside its transaction (a
    rolled-back change leaves the version as it was)."""
    with transaction.atomic():
        if not FactsVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
            FactsVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def _ids(values: Iterable[Any]) -> str:
    """ ",a,b," for a LIKE in the same scan ("" when none)."""
    return "," + ",".join(sorted(str(v) for v in values)) + "," if values else ""


def _refresh_batch(ids: list[int], now: dt.datetime) -> int:
    commitments = list(
        Commitment.objects.public()
        .filter(pk__in=ids)
        .select_related("organisation")
        .only(
            "pk",
            "programme_id",
            "status",
            "starts_on",
            "ends_on",
            "decided_at",
            "amount",
            "currency_id",
            "organisation__category",
        )
    )
    CountryFact.objects.filter(commitment_id__in=ids).delete()
    CommitmentFact.objects.filter(commitment_id__in=ids).delete()
    if not commitments:
        return 0
    public = [c.pk for c in commitments]
    goals = _links(Commitment.goals.through, "goal_id", public)
    types = _links(Commitment.types.through, "commitmenttype_id", public)
    themes = _links(Commitment.themes.through, "theme_id", public)
    countries = _links(Commitment.countries.through, "country_id", public)
    lights = status_lights(commitments, now=now)
    paid = _disbursed(public)
    rates = usd_rates(c.currency_id for c in commitments if c.currency_id)
    facts, country_facts = [], []
    for c in commitments:
        pledged = c.amount or Decimal(0)
        spent = paid.get(c.pk, Decimal(0))
        rate = rates.get(c.currency_id or "")
        has_money = bool(pledged or spent)
        unconverted = has_money and rate is None
        columns = {
            "programme_id": c.programme_id,
            "goals": sum(1 << g for g in set(goals.get(c.pk, ()))),
            "types": _ids(types.get(c.pk, ())),
            "themes": _ids(set(themes.get(c.pk, ()))),
            "category": c.organisation.category,
            "light": lights[c.pk],
            "pledged": float(pledged / rate) if has_money and rate else 0.0,
            "disbursed": float(spent / rate) if has_money and rate else 0.0,
            "unconverted": unconverted,
        }
        facts.append(CommitmentFact(commitment_id=c.pk, refreshed_at=now, **columns))
        where = sorted(set(countries.get(c.pk, ())))
        for country in where:
            share = dict(columns)
            share["pledged"] = columns["pledged"] / len(where)
            share["disbursed"] = columns["disbursed"] / len(where)
            country_facts.append(CountryFact(commitment_id=c.pk, country_id=country, **share))
    CommitmentFact.objects.bulk_create(facts, batch_size=500)
    CountryFact.objects.bulk_create(country_facts, batch_size=500)
    return len(facts)


def refresh(commitment_ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    """Rewrite the facts of these commitments from the source tables (a commitment no longer
    public loses its rows).  Returns the number of public commitments written."""
    now = now or timezone.now()
    ids = sorted(set(commitment_ids))
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            written += _refresh_batch(ids[start : start + BATCH], now)
        bump()
    return written


def forget_programmes(programme_ids: Iterable[int]) -> None:
    """Delete the facts of these programmes (the demo's reset: they hold ids, not foreign
    keys)."""
    programme_ids = list(programme_ids)
    with transaction.atomic():
        CountryFact.objects.filter(programme_id__in=programme_ids).delete()
        CommitmentFact.objects.filter(programme_id__in=programme_ids).delete()
        bump()


def refresh_programmes(programme_ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    """:func:`refresh` of every commitment of these programmes (and of facts left of
    commitments since deleted)."""
    programme_ids = list(programme_ids)
    ids = set(
        Commitment.objects.filter(programme_id__in=programme_ids).values_list("pk", flat=True)
    )
    ids |= set(
        CommitmentFact.objects.filter(programme_id__in=programme_ids).values_list(
            "commitment_id", flat=True
        )
    )
    return refresh(ids, now=now)


def refresh_all(*, now: dt.datetime | None = None) -> int:
    """Every fact, from scratch."""
    now = now or timezone.now()
    with transaction.atomic():
        CountryFact.objects.all().delete()
        CommitmentFact.objects.all().delete()
        bump()
        ids = list(Commitment.objects.public().values_list("pk", flat=True))
        return refresh(ids, now=now)


def refresh_overdue(*, now: dt.datetime | None = None) -> list[int]:
    """Refresh the programmes where a cycle's deadline or close passed since their facts were
    written (lights change as time passes).  Quick when nothing passed: one query per
    programme with started cycles.  Returns the programmes refreshed."""
    now = now or timezone.now()
    oldest = dict(
        CommitmentFact.objects.values("programme_id")
        .annotate(oldest=Min("refreshed_at"))
        .values_list("programme_id", "oldest")
    )
    stale = set()
    cycles = ReportingCycle.objects.filter(
        programme_id__in=oldest, status__in=["open", "closed"]
    ).values_list("programme_id", "deadline", "closes_at", "closed_at")
    for programme_id, deadline, closes_at, closed_at in cycles:
        since = oldest[programme_id]
        if any(t is not None and since < t <= now for t in (deadline, closes_at, closed_at)):
            stale.add(programme_id)
    for programme_id in sorted(stale):
        refresh_programmes([programme_id], now=now)
    return sorted(stale)


def refresh_currency(currency: str, *, now: dt.datetime | None = None) -> int:
    """:func:`refresh` of the commitments pledged in ``currency`` (its rate to USD changed)."""
    ids = Commitment.objects.public().filter(currency_id=currency).values_list("pk", flat=True)
    return refresh(list(ids), now=now)
