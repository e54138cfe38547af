"""The charts of the annual report, drawn with matplotlib (Agg, object API: no pyplot state,
safe in threads).

Each chart is drawn once and saved twice from the same figure: SVG for the web page and the PDF
(inline, text kept as text), PNG for the Word document.  So the page and the documents show
the same chart.  Output is deterministic: a fixed ``svg.hashsalt`` (ids), no date in the SVG,
no software tag in the PNG, fixed sizes and fonts.  Colours are the Okabe-Ito palette (safe
for colour-blind readers), each with at least 3:1 contrast on white (WCAG 1.4.11); every bar
carries its value, and every chart has a text alternative: a sentence here and the table of
its figures next to it (see :mod:`documents`).
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pledgebook.reporting.values import AnnualReportData, Money, RateRow

RC = {
    "svg.hashsalt": "pledgebook",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
    "text.parse_math": False,  # a "$" in a theme name is text, not TeX
}
WIDTH = 7.5  # inches
PNG_DPI = 150
STATUS_COLOURS = {
    "not_started": "#6E6E6E",
    "on_track": "#0072B2",
    "delayed": "#D55E00",
    "completed": "#009E73",
    "discontinued": "#A6447A",
}
PLEDGED = "#0072B2"
DISBURSED = "#D55E00"
RATE = "#0072B2"
TOP_CURRENCIES = 4  # each on its own scale
TOP_CONVERTED = 8  # on one scale, in the reporting currency

_PROLOG = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_SIZE = re.compile(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"')
_ID = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt: str  # a short sentence: the text alternative (the table of figures goes with it)
    svg: str  # an <svg> element, ready to inline in HTML
    png: bytes

    @property
    def data_uri(self) -> str:
        """The SVG as an image address (the PDF draws it as an image)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _svg(figure: Figure, key: str, title: str, alt: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = _PROLOG.sub("", buffer.getvalue(), count=1)
    # Scale with its container (the viewBox keeps the proportions); name it for assistive
    # technology: the sentence is its accessible name.
    text = _SIZE.sub(r"<svg \1", text, count=1)
    # matplotlib numbers its ids from 1 in every figure (figure_1, patch_1...): prefix them,
    # so that several charts inlined in one page keep unique ids.
    text = _ID.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", text)
    label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace(
        "<svg ",
        f'<svg class="chart-svg" id="chart-{key}" role="img" aria-label="{label}" ',
        1,
    )


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _draw(key: str, title: str, alt: str, height: float, paint: Callable[[Figure], None]) -> Chart:
    with matplotlib.rc_context(cast(Any, RC)):
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        paint(figure)
        return Chart(key, title, alt, _svg(figure, key, title, alt), _png(figure))


def _empty(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)


def short(value: Decimal | float) -> str:
    """A compact amount for a bar label: 1.2M, 350k, 12."""
    number = float(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(number) >= limit:
            return f"{number / limit:.1f}{suffix}"
    return f"{number:.0f}" if number == int(number) else f"{number:.2f}"


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


# The charts ---------------------------------------------------------------------------------


def status_chart(data: AnnualReportData) -> Chart:
    statuses = data.totals.statuses
    title = _("Implementation status of the commitments that reported")
    parts = [f"{s.label}: {number_format(s.count, 0)}" for s in statuses]
    alt = _("Bar chart of the %(n)s reported commitments by implementation status. %(parts)s.") % {
        "n": data.totals.reported,
        "parts": "; ".join(parts),
    }

    def paint(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.set_title(title)
        labels = [s.label for s in statuses]
        values = [float(s.count) for s in statuses]
        bars = ax.bar(
            labels,
            values,
            color=[STATUS_COLOURS.get(s.status, RATE) for s in statuses],
            edgecolor="#000000",
            linewidth=0.5,
        )
        ax.bar_label(bars, labels=[short(v) for v in values], padding=2)
        ax.set_xlabel(_("Implementation status"))
        ax.set_ylabel(_("Commitments"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max([*values, 1.0]) * 1.15)

    return _draw("status", title, alt, 4.0, paint)


def money_chart(data: AnnualReportData) -> Chart:
    """With a reporting currency and at least one currency converted: the money of each
    converted currency in the reporting currency, on one scale, so the bars compare; the
    currencies not converted are named under the chart.  Otherwise: the largest currencies,
    each on its own scale."""
    converted = [m for m in data.money if m.pledged_converted is not None]
    if data.converted is not None and converted:
        return _money_in_one_currency(data, converted)
    money: Sequence[Money] = data.money[:TOP_CURRENCIES]
    title = _("Money pledged and disbursed, by currency")
    if money:
        parts = [
            _("%(cur)s %(pledged)s pledged, %(disbursed)s disbursed")
            % {
                "cur": m.currency,
                "pledged": number_format(m.pledged, 2, force_grouping=True),
                "disbursed": number_format(m.disbursed, 2, force_grouping=True),
            }
            for m in money
        ]
        alt = ngettext(
            "Grouped bars of the money pledged and disbursed in the largest currency: %(parts)s.",
            "Grouped bars of the money pledged and disbursed in the %(n)s largest currencies, "
            "each on its own scale: %(parts)s.",
            len(money),
        ) % {"n": len(money), "parts": "; ".join(parts)}
    else:
        alt = _("No money was pledged in the commitments expected to report.")

    def paint(figure: Figure) -> None:
        figure.suptitle(title, fontsize=RC["axes.titlesize"])
        if not money:
            _empty(figure.add_subplot(), _("No money pledged"))
            return
        axes = figure.subplots(1, len(money), squeeze=False)[0]
        for ax, m in zip(axes, money, strict=True):
            values = [float(m.pledged), float(m.disbursed)]
            bars = ax.bar(
                [_("Pledged"), _("Disbursed")],
                values,
                color=[PLEDGED, DISBURSED],
                hatch=["", "//"],
                edgecolor="#000000",
                linewidth=0.5,
            )
            ax.bar_label(bars, labels=[short(v) for v in values], padding=2)
            ax.set_title(m.currency)
            ax.set_ylim(0, max([*values, 1.0]) * 1.15)
            ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
        axes[0].set_ylabel(_("Amount in the pledged currency"))

    return _draw("money", title, alt, 4.0, paint)


def _money_in_one_currency(data: AnnualReportData, money: list[Money]) -> Chart:
    assert data.converted is not None
    currency = data.converted.currency
    shown = money[:TOP_CONVERTED]
    title = _("Money pledged and disbursed, in %(currency)s") % {"currency": currency}
    parts = [
        _("%(cur)s: %(pledged)s pledged, %(disbursed)s disbursed")
        % {
            "cur": m.currency,
            "pledged": number_format(m.pledged_converted or 0, 2, force_grouping=True),
            "disbursed": number_format(m.disbursed_converted or 0, 2, force_grouping=True),
        }
        for m in shown
    ]
    alt = _(
        "Grouped bars of the money pledged and disbursed so far, in %(currency)s at the "
        "cycle's exchange rates, by pledged currency: %(parts)s."
    ) % {"currency": currency, "parts": "; ".join(parts)}
    if data.converted.unconverted:
        alt += " " + _("Not converted (no rate), so not shown: %(codes)s.") % {
            "codes": ", ".join(m.currency for m in data.converted.unconverted)
        }

    def paint(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.set_title(title)
        labels = [m.currency for m in shown]
        pledged = [float(m.pledged_converted or 0) for m in shown]
        disbursed = [float(m.disbursed_converted or 0) for m in shown]
        positions = list(range(len(shown)))
        width = 0.38
        left = ax.bar(
            [p - width / 2 for p in positions],
            pledged,
            width,
            label=_("Pledged"),
            color=PLEDGED,
            edgecolor="#000000",
            linewidth=0.5,
        )
        right = ax.bar(
            [p + width / 2 for p in positions],
            disbursed,
            width,
            label=_("Disbursed so far"),
            color=DISBURSED,
            hatch="//",
            edgecolor="#000000",
            linewidth=0.5,
        )
        ax.bar_label(left, labels=[short(v) for v in pledged], padding=2)
        ax.bar_label(right, labels=[short(v) for v in disbursed], padding=2)
        ax.set_xticks(positions, labels)
        ax.set_xlabel(_("Pledged currency"))
        ax.set_ylabel(_("Amount in %(currency)s") % {"currency": currency})
        ax.set_ylim(0, max([*pledged, *disbursed, 1.0]) * 1.15)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: short(value)))
        ax.legend(loc="upper right", frameon=False)

    return _draw("money", title, alt, 4.0, paint)


def _rates_chart(key: str, title: str, rows: Sequence[RateRow], what: str) -> Chart:
    parts = [f"{r.label}: {number_format(r.percent, 1)}%" for r in rows]
    alt = (
        _("Horizontal bars of the response rate %(what)s, in percent. %(parts)s.")
        % {"what": what, "parts": "; ".join(parts)}
        if rows
        else _("No commitment was expected to report.")
    )
    height = min(1.4 + 0.45 * max(len(rows), 1), 9.0)

    def paint(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.set_title(title)
        if not rows:
            _empty(ax, _("No commitment expected to report"))
            return
        labels = [_wrap(r.label) for r in reversed(rows)]
        values = [r.percent for r in reversed(rows)]
        bars = ax.barh(labels, values, color=RATE, edgecolor="#000000", linewidth=0.5)
        ax.bar_label(bars, labels=[f"{v:.1f}%" for v in values], padding=3)
        ax.set_xlim(0, 110)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xlabel(_("Response rate (%)"))

    return _draw(key, title, alt, height, paint)


def rates_by_theme_chart(data: AnnualReportData) -> Chart:
    return _rates_chart(
        "rates-theme", _("Response rate by theme"), data.rates_by_theme, _("by theme")
    )


def rates_by_category_chart(data: AnnualReportData) -> Chart:
    return _rates_chart(
        "rates-category",
        _("Response rate by stakeholder category"),
        data.rates_by_category,
        _("by stakeholder category"),
    )


def map_chart(data: AnnualReportData) -> Chart:
    """The world map of the commitments expected to report, by country: the SVG of
    ``reference.worldmap`` (the public map's renderer, so the document shows the same map), and
    the same shapes and colours drawn by matplotlib for the Word document's picture."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    from pledgebook.reference import worldmap

    rows = data.by_country
    title = _("Commitments expected to report, by country")
    bounds = worldmap.breaks([r.commitments for r in rows])
    areas = {
        r.m49: worldmap.Area(
            label=_("%(country)s: %(n)s commitments") % {"country": r.name, "n": r.commitments},
            bin=worldmap.bin_of(r.commitments, bounds),
        )
        for r in rows
    }
    top = sorted(rows, key=lambda r: (-r.commitments, r.name))[:5]
    if rows:
        alt = ngettext(
            "World map of the commitments by the country they name: %(n)s country. %(top)s.",
            "World map of the commitments by the countries they name: %(n)s countries; the "
            "most named: %(top)s.",
            len(rows),
        ) % {"n": len(rows), "top": "; ".join(f"{r.name} {r.commitments}" for r in top)}
    else:
        alt = _("World map: no commitment expected to report names a country.")
    svg = str(
        worldmap.render(areas, title=alt, css_class="chart-svg", role="img", element_id="chart-map")
    )

    def paint(figure: Figure) -> None:
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(0, worldmap.WIDTH)
        ax.set_ylim(worldmap.HEIGHT, 0)
        ax.set_aspect("equal")
        for m49, shape in worldmap.shapes().items():
            area = areas.get(m49)
            colour = (
                worldmap.COLOURS[area.bin]
                if area is not None and area.bin is not None
                else worldmap.NO_DATA
            )
            for ring in _rings(shape.d):
                path = MplPath(ring, closed=True)
                ax.add_patch(PathPatch(path, facecolor=colour, edgecolor="#ffffff", lw=0.2))
            if shape.small and area is not None and area.bin is not None:
                ax.plot(*shape.centre, "o", ms=3, mfc=colour, mec="#1a1a1a", mew=0.4)

    with matplotlib.rc_context(cast(Any, RC)):
        figure = Figure(figsize=(WIDTH, WIDTH * worldmap.HEIGHT / worldmap.WIDTH))
        paint(figure)
        return Chart("map", title, alt, svg, _png(figure))


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of SVG path data written by ``reference.worldmap`` (M…L…Z only)."""
    rings = []
    for part in d.split("M")[1:]:
        points = []
        for pair in part.rstrip("Z").split("L"):
            x, y = pair.split()
            points.append((float(x), float(y)))
        rings.append(points)
    return rings


def render_all(data: AnnualReportData) -> dict[str, Chart]:
    """Every chart of the report, by key."""
    charts = (
        status_chart(data),
        money_chart(data),
        rates_by_theme_chart(data),
        rates_by_category_chart(data),
        map_chart(data),
    )
    return {chart.key: chart for chart in charts}
