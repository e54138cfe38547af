"""The console's web version of the annual report, served from a snapshot while its data is
unchanged.

Building the report's data and drawing its four charts takes seconds (the charts most of it);
the page is opened far more often than its data changes.  So the rendered sections are kept in
the cache (Django's cache: the process's memory, or Redis with ``CACHE_URL``) under the
fingerprint of everything they show, as the dashboard keeps its sums in a
:class:`~pledgebook.reporting.models.FiguresSnapshot`:

* :func:`figures.fingerprint` (the submissions of the cycle and of the earlier cycles, the last
  change of the programme's commitments and of the organisations, the themes and types), and
* the small tables the report names: the cycle (name, status, dates), the programme (name,
  reporting currency), its themes, the commitment types, its indicators and the cycle's
  exchange rates; and the language of the page.

A snapshot older than :data:`figures.MAX_AGE` is rebuilt whatever its fingerprint (the
fingerprint can miss a deletion).  The snapshot carries its own "data as of" (for an open
cycle, the moment its data was read), so the page never claims a later moment than its data.
The cache failing (Redis down) is logged and the page is built as if nothing were kept.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from pledgebook.programmes.models import CommitmentType, Theme
from pledgebook.reporting import annual, charts, documents, figures
from pledgebook.reporting.models import ExchangeRate, Indicator, ReportingCycle

logger = logging.getLogger(__name__)

VERSION = 1  # bump when what the page shows changes


@dataclass(frozen=True)
class Page:
    """The report's sections as HTML, and what the page's heading says about them."""

    html: str
    programme_name: str
    data_as_of: str
    cycle_status_label: str


def fingerprint(cycle: ReportingCycle) -> str:
    """What the page shows depends on (nine small queries whatever the number of rows)."""
    programme = cycle.programme
    parts: list[Any] = [
        VERSION,
        annual.FORMAT_VERSION,
        translation.get_language(),
        figures.fingerprint(cycle),
        list(
            ReportingCycle.objects.filter(pk=cycle.pk).values_list(
                "name", "kind", "status", "opens_at", "deadline", "closes_at", "closed_at"
            )
        ),
        [programme.name, programme.slug, programme.kind, programme.reporting_currency_id],
        list(
            Theme.objects.filter(programme=programme)
            .order_by("pk")
            .values_list("pk", "name", "position")
        ),
        list(CommitmentType.objects.order_by("code").values_list("code", "name", "position")),
        list(
            Indicator.objects.filter(programme=programme)
            .order_by("pk")
            .values_list("code", "name", "unit", "position")
        ),
        list(
            ExchangeRate.objects.filter(cycle=cycle)
            .order_by("currency_id")
            .values_list("currency_id", "reporting_currency_id", "rate", "effective_on", "source")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _key(cycle: ReportingCycle, print_: str) -> str:
    return f"annual-page:{cycle.pk}:{print_}"


def build_page(cycle: ReportingCycle) -> Page:
    data = annual.build(cycle)
    context = documents.context(data, charts.render_all(data))
    return Page(
        html=render_to_string("reporting/annual_content.html", context),
        programme_name=data.facts.programme_name,
        data_as_of=context["data_as_of"],
        cycle_status_label=data.facts.cycle_status_label,
    )


def page(cycle: ReportingCycle) -> tuple[Page, bool]:
    """The page of ``cycle`` and whether it came from the snapshot."""
    key = _key(cycle, fingerprint(cycle))
    try:
        kept = cache.get(key)
    except Exception:  # the cache is down: build the page, say so in the log
        logger.warning("annual report page: cache unavailable, building it", exc_info=True)
        kept = None
    if isinstance(kept, Page):
        return kept, True
    built = build_page(cycle)
    try:
        cache.set(key, built, timeout=int(figures.MAX_AGE.total_seconds()))
    except Exception:
        logger.warning("annual report page: cache unavailable, not kept", exc_info=True)
    return built, False
