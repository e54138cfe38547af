"""The annual report's open data files (CSV and XLSX, written in one pass over the rows by
``generation``) are byte for byte what the exporters serve for the same cycle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pledgebook.reporting import domain
from pledgebook.reporting.exports import ProgressReportsCSVExporter, ProgressReportsXLSXExporter
from pledgebook.reporting.models import AnnualReport
from tests.reporting.test_annual import World, make_world


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_generated_csv_and_xlsx_are_the_exports(world: World) -> None:
    world.c["c1"].title = "=HYPERLINK(1) «Fonds» \r\n 200 coopératives "
    world.c["c1"].save()
    report = domain.request_annual_report(actor=world.secretariat, cycle=world.cycle)
    assert report.status == AnnualReport.Status.DONE

    csv_exporter = ProgressReportsCSVExporter()
    expected_csv = "".join(
        csv_exporter.render(csv_exporter.queryset({"cycle": str(world.cycle.pk)}))
    )
    with report.csv.open("rb") as f:
        written = f.read()
    assert written == expected_csv.encode()
    assert "«Fonds»".encode() in written

    xlsx_exporter = ProgressReportsXLSXExporter()
    expected_xlsx = b"".join(
        xlsx_exporter.render(xlsx_exporter.queryset({"cycle": str(world.cycle.pk)}))
    )
    with report.xlsx.open("rb") as f:
        assert f.read() == expected_xlsx
