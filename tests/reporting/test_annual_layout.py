"""The annual report PDF fits its pages: every character lies inside the page's margins, read
back from the PDF's text positions (pdfplumber), on the known world of ``test_annual`` made
wide: long theme names, many currencies, the largest amounts a commitment can hold."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pledgebook.reference.models import Currency
from pledgebook.reporting import annual, charts, documents
from tests import factories
from tests.reporting.test_annual import World, _commitment, _report, make_world

CM = 72 / 2.54  # points
MARGIN_INLINE = 1.8 * CM  # @page margin of reporting/annual_pdf.html
TOLERANCE = 0.5  # points: glyph side bearings


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def make_wide_world() -> World:
    """The test world with what made the Generation Equality 2026 report overflow: long
    theme names, five currencies and amounts of up to 14 digits."""
    world = make_world()
    world.themes[
        "ej"
    ].name = "Bodily Autonomy and Sexual and Reproductive Health and Rights in every country"
    world.themes["ej"].save()
    long_theme = factories.ThemeFactory(
        programme=world.programme,
        slug="wps-ha",
        name="WPS-HA Compact: Women's meaningful participation in peace processes",
        position=3,
    )
    biggest = Decimal("99999999999999")  # exact in SQLite's REAL too
    for code, amount in (
        ("XOF", biggest),
        ("NOK", Decimal("1600000000")),
        ("KES", Decimal("180000000")),
        ("JPY", Decimal("77777777777777")),
    ):
        c = _commitment(
            long_theme,
            world.orgs["apex"],
            f"A commitment pledged in {code}",
            amount=amount,
            currency=Currency.objects.get(code=code),
        )
        c.themes.add(world.themes["ej"], world.themes["tech"])
        _report(
            c,
            world.cycle,
            "on_track",
            disbursed_amount=(amount / 3).quantize(Decimal("0.01")),
        )
    return world


def overflows(pdf: bytes) -> list[str]:
    """Each page's characters that lie outside its inline margins, as readable strings."""
    import pdfplumber

    problems = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            right = float(page.width) - MARGIN_INLINE + TOLERANCE
            left = MARGIN_INLINE - TOLERANCE
            outside = [c for c in page.chars if c["x1"] > right or c["x0"] < left]
            if outside:
                text = "".join(c["text"] for c in outside[:40])
                far = max(c["x1"] for c in outside)
                problems.append(
                    f"page {number} ({page.width:.0f} pt wide): {len(outside)} characters "
                    f"beyond the margins, up to x={far:.1f}: {text!r}"
                )
    return problems


def test_every_table_of_the_pdf_fits_its_page(db: Any) -> None:
    world = make_wide_world()
    data = annual.build(world.cycle)
    pdf = documents.render_pdf(data, charts.render_all(data))
    assert overflows(pdf) == []


def test_the_overflow_check_sees_text_beyond_the_margin(db: Any) -> None:
    """The check itself: a line too long to wrap runs off the page and is caught."""
    from weasyprint import HTML

    pdf = HTML(
        string="<style>@page { size: A4; margin: 2cm 1.8cm }</style>"
        "<p style='white-space: nowrap'>" + "overflowing " * 30 + "</p>"
    ).write_pdf()
    problems = overflows(pdf)
    assert len(problems) == 1
    assert problems[0].startswith("page 1 (595 pt wide): ")
