"""The world map, drawn from the geometry installed with the product (``data/countries-50m.json``,
source in ``data/SOURCES.md``): no tile server, no CDN, no JavaScript.

The TopoJSON arcs are decoded here (quantised, delta-encoded), projected once per process with
the **Equal Earth** projection (Šavrič, Patterson, Jenny 2018: equal-area, so the size of a
coloured country is its real size) and kept (:func:`shapes`, cached: static geometry, not
state).  :func:`render` writes an SVG choropleth: one ``<path>`` per country, inside an
``<a>`` (focusable, Enter follows it) when the caller gives it a link, with a ``<title>`` and
an ``aria-label`` naming the country and its figure, and its colour class by bin
(``bin-0`` … ``bin-4``, ``bin-none``).  A country too small to see at the map's scale (most small
island developing states) also gets a circle marker of a visible size at its centre.  The same
SVG is inlined in the web page and in the annual report's PDF (WeasyPrint draws inline SVG).
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

ANTARCTICA = "010"
#: Countries of ``reference/data/countries.csv`` that Natural Earth's 1:50m countries do not draw
#: apart (overseas departments inside France's shape; atolls below its scale): a point each
#: (longitude, latitude of the main island), so their marker still shows where they are.
POINTS = {
    "074": ("Bouvet Island", 3.4, -54.4),
    "162": ("Christmas Island", 105.7, -10.5),
    "166": ("Cocos (Keeling) Islands", 96.8, -12.2),
    "175": ("Mayotte", 45.1, -12.8),
    "254": ("French Guiana", -53.1, 3.9),
    "292": ("Gibraltar", -5.35, 36.14),
    "312": ("Guadeloupe", -61.6, 16.2),
    "474": ("Martinique", -61.0, 14.6),
    "535": ("Bonaire, Sint Eustatius and Saba", -68.3, 12.2),
    "581": ("United States Minor Outlying Islands", 166.6, 19.3),
    "638": ("Réunion", 55.5, -21.1),
    "744": ("Svalbard and Jan Mayen Islands", 16.0, 78.0),
    "772": ("Tokelau", -171.8, -9.2),
    "798": ("Tuvalu", 179.2, -8.5),
}
GEOMETRY = Path(__file__).parent / "data" / "countries-50m.json"

WIDTH = 1000.0
#: A country whose projected bounding box is smaller than this (in map units of a 1000 wide
#: map) in both directions gets a marker.
SMALL = 6.0
MARKER_RADIUS = 4.0
#: Points of an outline closer than this (map units, Manhattan distance) to the previous one
#: are dropped: finer than a pixel at the page's size, and it divides the SVG's size by five.
DETAIL = 0.4  # degrees, about 1.2 units of the map

#: Five sequential colours (ColorBrewer YlGnBu, colour-blind safe), lightest first, and the
#: colour of a country with no figure.  Dark enough bins keep 3:1 against the light ones.
COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#e6e6e6"
BORDER = "#ffffff"

# Equal Earth constants.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam = math.radians(lon)
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_XR = _equal_earth(180, 0)[0]
_YR = _equal_earth(0, 90)[1]
SCALE = WIDTH / (2 * _XR)
#: The map stops at 58° south (below Cape Horn: Antarctica is not drawn).
HEIGHT = round((_YR - _equal_earth(0, -58)[1]) * SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude and latitude in degrees to map units (x right, y down; 0, 0 top left)."""
    x, y = _equal_earth(lon, lat)
    return (x + _XR) * SCALE, (_YR - y) * SCALE


@dataclass(frozen=True)
class Shape:
    """One country's outline in map units."""

    m49: str
    name: str
    d: str  # SVG path data
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1
    centre: tuple[float, float]  # the centre of its largest ring's bounding box

    @property
    def small(self) -> bool:
        """Too small to see (or not drawn at all): it gets a marker."""
        x0, y0, x1, y1 = self.bbox
        return not self.d or (x1 - x0 < SMALL and y1 - y0 < SMALL)


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs in degrees (longitude, latitude), thinned."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(_thin(points))
    return arcs


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """An arc without the points closer than :data:`DETAIL` to the last point kept (its ends
    always kept, so neighbours share their border exactly)."""
    if len(points) <= 2:
        return points
    kept = [points[0]]
    for x, y in points[1:-1]:
        lx, ly = kept[-1]
        if abs(x - lx) + abs(y - ly) >= DETAIL:
            kept.append((x, y))
    kept.append(points[-1])
    return kept


def _ring(
    arcs: list[list[tuple[float, float]]], indexes: Sequence[int]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _projected(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring in degrees as one or two projected rings: one that crosses the antimeridian
    (Chukotka, Fiji) is unwrapped into continuous longitudes and drawn on both edges of the
    map, each copy clamped to the map's edge."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(ring)):
        return [[project(lon, lat) for lon, lat in ring]]
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        unwrapped.append((lon, lat))
    copies = []
    for shift in (-360, 0, 360):
        moved = [(lon + shift, lat) for lon, lat in unwrapped]
        if all(lon <= -180 for lon, _ in moved) or all(lon >= 180 for lon, _ in moved):
            continue
        copies.append([project(min(max(lon, -180), 180), lat) for lon, lat in moved])
    return copies


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """Path data with one decimal, consecutive equal points dropped (the 50m detail is finer
    than a tenth of a unit in most places: this keeps the SVG small)."""
    parts = []
    for ring in rings:
        out: list[str] = []
        last = None
        for x, y in ring:
            p = (round(x, 1), round(y, 1))
            if p == last:
                continue
            last = p
            out.append(f"{p[0]:g} {p[1]:g}")
        if len(out) >= 3:
            parts.append("M" + "L".join(out) + "Z")
    return "".join(parts)


@functools.cache
def shapes() -> dict[str, Shape]:
    """M49 code → the country's shape, projected: read and computed once per process."""
    topology = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    result: dict[str, Shape] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        m49 = geometry.get("id")
        if not m49 or m49 in result or m49 == ANTARCTICA:
            # areas without a code; a code's first geometry wins; Antarctica is no country of
            # the reference data (reference/data/SOURCES.md)
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [
            p for polygon in polygons for ring in polygon for p in _projected(_ring(arcs, ring))
        ]
        outer = [p for polygon in polygons for p in _projected(_ring(arcs, polygon[0]))]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        largest = max(outer, key=lambda r: _area(r))
        lx = [x for x, _ in largest]
        ly = [y for _, y in largest]
        result[m49] = Shape(
            m49=m49,
            name=geometry.get("properties", {}).get("name", ""),
            d=_path(rings),
            bbox=(min(xs), min(ys), max(xs), max(ys)),
            centre=((min(lx) + max(lx)) / 2, (min(ly) + max(ly)) / 2),
        )
    for m49, (name, lon, lat) in POINTS.items():
        if m49 not in result:
            x, y = project(lon, lat)
            result[m49] = Shape(m49=m49, name=name, d="", bbox=(x, y, x, y), centre=(x, y))
    return result


@functools.cache
def unnamed_land() -> str:
    """Path data of the areas without a country code (disputed areas drawn by Natural Earth
    with no ISO code): drawn grey, never linked."""
    topology = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    rings: list[list[tuple[float, float]]] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        rings.extend(
            p for polygon in polygons for ring in polygon for p in _projected(_ring(arcs, ring))
        )
    return _path(rings)


def _area(ring: list[tuple[float, float]]) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


# Bins -----------------------------------------------------------------------------------------


def breaks(values: Sequence[float], bins: int = len(COLOURS)) -> list[float]:
    """Upper bounds of up to ``bins`` classes of the positive values, by quantiles (each class
    holds about as many countries), distinct and increasing; the last is the maximum."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    bounds: list[float] = []
    for i in range(1, bins + 1):
        index = math.ceil(i * len(positive) / bins) - 1
        bound = positive[max(index, 0)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def bin_of(value: float, bounds: Sequence[float]) -> int | None:
    """The class of ``value`` (0 = lightest), or None for no figure (zero or none)."""
    if value <= 0 or not bounds:
        return None
    for i, bound in enumerate(bounds):
        if value <= bound:
            # spread the classes over the five colours when there are fewer of them
            return round(i * (len(COLOURS) - 1) / max(len(bounds) - 1, 1))
    return len(COLOURS) - 1


# Rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """What the map shows for one country: its figure's class (None: no figure), the text
    of its title and aria-label, and where it links (or nothing)."""

    label: str
    bin: int | None = None
    href: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {escape(k)}="{escape(v)}"' for k, v in attrs.items())


def _wrap(m49: str, area: Area | None, label: str, drawing: str, href: str) -> SafeString:
    """One country's drawing, its title, inside its link when it has one."""
    if href and area is not None:
        start = format_html(
            '<a href="{}" class="area" aria-label="{}" data-m49="{}"{}>',
            href,
            label,
            m49,
            mark_safe(_attrs(area.attrs)),  # noqa: S308 (path data are numbers; labels escaped)
        )
        end = "</a>"
    else:
        start = format_html('<g class="area" data-m49="{}">', m49)
        end = "</g>"
    return start + format_html("<title>{}</title>", label) + mark_safe(drawing + end)  # noqa: S308 (path data are numbers; labels escaped)


def render(
    areas: Mapping[str, Area],
    *,
    title: str,
    css_class: str = "worldmap",
    colours: bool = True,
    role: str = "group",
    element_id: str = "",
) -> SafeString:
    """The SVG choropleth: ``areas`` by M49 code (a country missing from it is drawn without
    figure, unlinked).  ``colours`` writes each fill as an attribute too (for documents without
    the site's style sheet; the page's CSS classes override it).  A document's picture takes
    ``role="img"`` (its ``title`` is then its text alternative)."""
    out: list[str] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="{}"{} '
            'role="{}" aria-label="{}">',
            f"{WIDTH:g}",
            f"{HEIGHT:g}",
            css_class,
            format_html(' id="{}"', element_id) if element_id else "",
            role,
            title,
        )
    ]
    land = unnamed_land()
    if land:
        out.append(f'<path class="land" d="{land}" fill="{NO_DATA}" stroke="{BORDER}"/>')
    markers = []
    for m49, shape in shapes().items():
        area = areas.get(m49)
        has_figure = area is not None and area.bin is not None
        klass = f"bin-{area.bin}" if area is not None and area.bin is not None else "bin-none"
        fill = COLOURS[area.bin] if area is not None and area.bin is not None else NO_DATA
        paint = f' fill="{fill}"' if colours else ""
        edge = f' stroke="{BORDER}" stroke-width="0.4"' if colours else ""
        label = area.label if area else shape.name
        drawing = f'<path class="country {klass}" d="{shape.d}"{paint}{edge}/>' if shape.d else ""
        link = area.href if area is not None else ""
        if not drawing and not has_figure:
            continue  # nothing to see: no outline at this scale and no figure
        if shape.small and has_figure:
            # Drawn, but reached through its marker (one stop of the keyboard per country).
            if drawing:
                out.append(format_html('<g class="area" data-m49="{}" aria-hidden="true">', m49))
                out.append(mark_safe(drawing + "</g>"))  # noqa: S308 (numbers only)
            cx, cy = shape.centre
            ring = ' stroke="#1a1a1a" stroke-width="0.8"' if colours else ""
            circle = (
                f'<circle class="marker {klass}" cx="{cx:.1f}" cy="{cy:.1f}" '
                f'r="{MARKER_RADIUS:g}"{paint}{ring}/>'
            )
            markers.append((m49, area, label, circle))
            continue
        out.append(_wrap(m49, area, label, drawing, link))
    # Markers last, on top of the countries.
    for m49, area, label, circle in markers:
        out.append(_wrap(m49, area, label, circle, area.href if area else ""))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (path data are numbers; labels escaped)
