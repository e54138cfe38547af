"""Open data of a reporting cycle: the progress-reports CSV and XLSX exporters, read back with
the csv module and openpyxl, directly and through ``/api/v1/exports/<identifier>/``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from pledgebook.core import exports
from pledgebook.reporting import annual
from pledgebook.reporting.exports import (
    ProgressReportsCSVExporter,
    ProgressReportsXLSXExporter,
    public_cycle,
)
from pledgebook.reporting.models import ReportingCycle
from tests import factories
from tests.reporting.test_annual import World, make_world

HEADER = [
    "commitment_id",
    "title",
    "programme",
    "lead_organisation",
    "category",
    "country",
    "region",
    "themes",
    "status",
    "indicator:women-trained",
    "indicator:funds",
    "pledged_amount",
    "pledged_currency",
    "disbursed_in_pledged_currency",
    "submitted_at",
    "version",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def expected_rows(world: World) -> list[list[str]]:
    c = world.c
    return [
        [
            str(c["c1"].pk),
            "Fund 200 cooperatives",
            "equality-forum",
            "Amani Women Fund",
            "civil_society",
            "KE",
            "002",
            "economic-justice",
            "completed",
            "120",
            "",
            "1000.00",
            "USD",
            "400.00",
            "2026-03-20T09:30:00Z",
            "2",
        ],
        [
            str(c["c2"].pk),
            "Teach girls coding",
            "equality-forum",
            "Bleu Tech",
            "private_sector",
            "FR",
            "150",
            "economic-justice;technology;health",
            "on_track",
            "30.5",
            "",
            "1000.00",
            "EUR",
            "300.00",
            "2026-03-10T12:00:00Z",
            "1",
        ],
        [
            str(c["c5"].pk),
            "Digital literacy radio",
            "equality-forum",
            "Amani Women Fund",
            "civil_society",
            "KE",
            "002",
            "technology",
            "not_started",
            "",
            "",
            "",
            "",
            "",
            "2026-03-10T12:00:00Z",
            "1",
        ],
    ]


def csv_of(world: World) -> str:
    exporter = ProgressReportsCSVExporter()
    rows = exporter.queryset({"cycle": str(world.cycle.pk)})
    return "".join(exporter.render(rows))


def xlsx_of(world: World) -> bytes:
    exporter = ProgressReportsXLSXExporter()
    rows = exporter.queryset({"cycle": str(world.cycle.pk)})
    return b"".join(exporter.render(rows))


def sheets(blob: bytes) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(blob), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_exporters_are_registered() -> None:
    assert exports.get("progress-reports-csv") is ProgressReportsCSVExporter
    assert exports.get("progress-reports-xlsx") is ProgressReportsXLSXExporter
    assert exports.available(None, subject="progress-reports") == [
        ProgressReportsCSVExporter,
        ProgressReportsXLSXExporter,
    ]


def test_csv_has_one_row_per_latest_submitted_report(world: World) -> None:
    text = csv_of(world)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(world)


def test_csv_neutralises_spreadsheet_formulas(world: World) -> None:
    world.c["c1"].title = "=HYPERLINK(1)"
    world.c["c1"].save()
    rows = list(csv.reader(io.StringIO(csv_of(world))))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_xlsx_sheets_hold_the_reports_totals_and_non_reporters(world: World) -> None:
    book = sheets(xlsx_of(world))
    assert list(book) == [
        "Reports",
        "Totals by theme",
        "Totals by category",
        "Totals by region",
        "Non-reporters",
    ]
    c = world.c
    assert book["Reports"] == [
        HEADER,
        [
            c["c1"].pk,
            "Fund 200 cooperatives",
            "equality-forum",
            "Amani Women Fund",
            "civil_society",
            "KE",
            "002",
            "economic-justice",
            "completed",
            120,
            None,
            1000,
            "USD",
            400,
            "2026-03-20T09:30:00Z",
            2,
        ],
        [
            c["c2"].pk,
            "Teach girls coding",
            "equality-forum",
            "Bleu Tech",
            "private_sector",
            "FR",
            "150",
            "economic-justice;technology;health",
            "on_track",
            30.5,
            None,
            1000,
            "EUR",
            300,
            "2026-03-10T12:00:00Z",
            1,
        ],
        [
            c["c5"].pk,
            "Digital literacy radio",
            "equality-forum",
            "Amani Women Fund",
            "civil_society",
            "KE",
            "002",
            "technology",
            "not_started",
            None,
            None,
            None,
            None,
            None,
            "2026-03-10T12:00:00Z",
            1,
        ],
    ]
    status_columns = [
        "status:not_started",
        "status:on_track",
        "status:delayed",
        "status:completed",
        "status:discontinued",
    ]
    money_columns = ["pledged:USD", "disbursed:USD", "pledged:EUR", "disbursed:EUR"]
    head = [
        "expected_to_report",
        "reported",
        "response_rate_percent",
        *status_columns,
        "progress_index_percent",
        *money_columns,
    ]
    t = world.themes
    assert book["Totals by theme"] == [
        ["theme", "key", *head],
        [
            "Economic justice",
            str(t["ej"].pk),
            3,
            2,
            66.7,
            0,
            1,
            0,
            1,
            0,
            75,
            1000,
            400,
            333.33,
            100,
        ],
        [
            "Technology",
            str(t["tech"].pk),
            4,
            2,
            50,
            1,
            1,
            0,
            0,
            0,
            25,
            500,
            0,
            333.33,
            100,
        ],
        [
            "Health",
            str(t["health"].pk),
            1,
            1,
            100,
            0,
            1,
            0,
            0,
            0,
            50,
            0,
            0,
            333.33,
            100,
        ],
    ]
    assert book["Totals by category"][0] == ["category", "key", *head]
    assert [r[:5] for r in book["Totals by category"][1:]] == [
        ["Youth-led organisation (children and youth)", "youth_led", 2, 0, 0],
        ["Non-governmental or civil society organisation", "civil_society", 2, 2, 100],
        ["Business and industry (private sector)", "private_sector", 1, 1, 100],
        ["Philanthropy and foundations", "philanthropy", 1, 0, 0],
    ]
    assert [r[10] for r in book["Totals by category"][1:]] == [None, 50, 50, None]
    assert book["Totals by region"][1:] == [
        ["Africa", "002", 4, 2, 50, 1, 0, 0, 1, 0, 50, 1000, 400, 0, 0],
        ["Americas", "019", 1, 0, 0, 0, 0, 0, 0, 0, None, 500, 0, 0, 0],
        ["Europe", "150", 1, 1, 100, 0, 1, 0, 0, 0, 50, 0, 0, 1000, 300],
    ]
    assert book["Non-reporters"] == [
        ["organisation", "category", "country", "commitment_id", "title"],
        [
            "apex Foundation",
            "Philanthropy and foundations",
            "Brazil",
            c["c4"].pk,
            "Seed grants for apps",
        ],
        [
            "Zawadi Youth",
            "Youth-led organisation (children and youth)",
            "Kenya",
            c["c3"].pk,
            "Youth tech hubs",
        ],
        [
            "Zawadi Youth",
            "Youth-led organisation (children and youth)",
            "Kenya",
            c["c6"].pk,
            "Savings groups",
        ],
    ]


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(world: World) -> None:
    world.c["c1"].title = "=1+1"
    world.c["c1"].save()
    assert sheets(xlsx_of(world))["Reports"][1][1] == "=1+1"


def test_the_same_data_gives_the_same_bytes(world: World) -> None:
    assert csv_of(world) == csv_of(world)
    assert xlsx_of(world) == xlsx_of(world)


def test_the_xlsx_reuses_built_data(world: World) -> None:
    data = annual.build(world.cycle)
    exporter = ProgressReportsXLSXExporter(cycle=world.cycle, data=data)
    assert b"".join(exporter.render(exporter.rows(world.cycle))) == xlsx_of(world)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Give the id of a reporting cycle: ?cycle=<id>."),
        ({"cycle": "  "}, "Give the id of a reporting cycle: ?cycle=<id>."),
        ({"cycle": "abc"}, "A cycle id is a whole number."),
        ({"cycle": "-1"}, "A cycle id is a whole number."),
        (
            {"cycle": "999999"},
            "No open or closed reporting cycle of a published programme has this id.",
        ),
    ],
)
def test_a_missing_or_unknown_cycle_is_refused(world: World, params: Any, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        public_cycle(params)
    assert err.value.message_dict == {"cycle": [message]}


# Through the API ---------------------------------------------------------------------------


def test_api_serves_the_csv(world: World) -> None:
    response = APIClient().get(
        "/api/v1/exports/progress-reports-csv/", {"cycle": world.cycle.pk}, HTTP_ACCEPT="text/csv"
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="pledgebook-progress-reports-csv-'
    )
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows == [HEADER, *expected_rows(world)]


def test_api_serves_the_xlsx(world: World) -> None:
    response = APIClient().get("/api/v1/exports/progress-reports-xlsx/", {"cycle": world.cycle.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    blob = response.getvalue()
    assert blob == xlsx_of(world)
    assert sheets(blob)["Reports"][0] == HEADER


@pytest.mark.parametrize("identifier", ["progress-reports-csv", "progress-reports-xlsx"])
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "Give the id of a reporting cycle: ?cycle=<id>."),
        ("not-a-number", "A cycle id is a whole number."),
        ("unknown", "No open or closed reporting cycle of a published programme has this id."),
        ("scheduled", "No open or closed reporting cycle of a published programme has this id."),
        ("unpublished", "No open or closed reporting cycle of a published programme has this id."),
    ],
)
def test_api_refuses_a_cycle_that_is_not_public(
    world: World, identifier: str, case: str, message: str
) -> None:
    if case == "scheduled":
        ReportingCycle.objects.filter(pk=world.cycle.pk).update(
            status=ReportingCycle.Status.SCHEDULED
        )
    if case == "unpublished":
        world.programme.is_published = False
        world.programme.save()
    params = {
        "missing": {},
        "not-a-number": {"cycle": "1;DROP"},
        "unknown": {"cycle": str(world.cycle.pk + 1000)},
        "scheduled": {"cycle": str(world.cycle.pk)},
        "unpublished": {"cycle": str(world.cycle.pk)},
    }[case]
    response = APIClient().get(f"/api/v1/exports/{identifier}/", params, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"cycle": [message]}


def test_api_exports_an_open_cycle(db: Any) -> None:
    world = make_world(status=ReportingCycle.Status.OPEN)
    response = APIClient().get("/api/v1/exports/progress-reports-csv/", {"cycle": world.cycle.pk})
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(response.getvalue().decode())))) == 4


def test_another_programmes_reports_never_show(world: World) -> None:
    other = factories.ThemeFactory()
    rows = list(csv.reader(io.StringIO(csv_of(world))))
    assert {r[2] for r in rows[1:]} == {"equality-forum"}
    assert other.programme.slug != "equality-forum"
