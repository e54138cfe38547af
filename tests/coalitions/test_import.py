"""Import of existing coalitions (console): preview with per-row errors naming row and column,
all or nothing, warnings accepted explicitly, permissions, and the real UN Climate Initiatives
Platform export."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import default_task_backend

from pledgebook.coalitions import importing
from pledgebook.coalitions.models import Coalition, ImportBatch, Membership
from pledgebook.organisations.models import Organisation
from pledgebook.similarity.models import Vector
from tests import factories

pytestmark = pytest.mark.django_db

UN_FILE = (
    Path(django_settings.BASE_DIR).parent
    / "shared"
    / "realdata"
    / "climate_initiatives"
    / "UNClimateDataInitiatives-20230611.csv"
)
HEADER = [
    "name",
    "summary",
    "lead organisation",
    "lead organisation category",
    "country",
    "website",
    "principles",
    "asks",
    "themes",
    "sdgs",
]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_file(rows: list[list[str]], name: str = "coalitions.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def upload(client: Any, programme: Any, file: Any) -> Any:
    url = reverse("console:coalition_import", args=[programme.slug])
    return client.post(url, {"file": file})


def preview_url(batch: ImportBatch) -> str:
    return reverse("console:coalition_import_preview", args=[batch.programme.slug, batch.pk])


def confirm(client: Any, batch: ImportBatch, **data: Any) -> Any:
    url = reverse("console:coalition_import_confirm", args=[batch.programme.slug, batch.pk])
    return client.post(url, data)


def row(**values: str) -> list[str]:
    base = {
        "name": "Clean Seas Island Alliance",
        "summary": "Island governments and fishers cutting marine plastic litter.",
        "lead organisation": "Pacific Ocean Trust",
        "lead organisation category": "civil_society",
        "country": "FJ",
        "website": "https://example.org/clean-seas",
        "principles": "Oceans are a common good; Polluters pay",
        "asks": "Ban single-use plastics by 2030",
        "themes": "",
        "sdgs": "14, 12",
    }
    base.update({k.replace("_", " "): v for k, v in values.items()})
    return [base[h] for h in HEADER]


def test_wrong_header_names_missing_and_unknown_columns(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    bad_header = ["name", "summary", "lead organisation", "category", "country", "colour"]
    response = upload(client, programme, csv_file([bad_header, ["A", "B", "C", "D", "FJ", "x"]]))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(batch)
    assert batch.file_errors == [
        "Missing columns: lead organisation category.",
        "Unknown columns: category, colour (the template's columns are: name, summary, lead "
        "organisation, lead organisation category, country, website, principles, asks, "
        "themes, sdgs).",
    ]
    page = client.get(preview_url(batch)).content.decode()
    assert "Missing columns: lead organisation category." in page
    assert '<button type="submit" disabled' in page

    response = confirm(client, batch)
    assert response.status_code == 400
    assert Coalition.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_row_errors_name_row_and_column_and_nothing_is_imported(
    client, programme, secretariat
) -> None:
    client.force_login(secretariat)
    file = csv_file(
        [
            HEADER,
            row(name=""),
            row(name="Reef Guardians", country="Atlantis"),
            row(name="Good one"),
            row(name="Bad SDG", sdgs="14, 18"),
        ]
    )
    upload(client, programme, file)
    batch = ImportBatch.objects.get()

    assert [(r["number"], r["errors"]) for r in batch.rows] == [
        (2, [{"column": "name", "message": "The name is empty."}]),
        (
            3,
            [
                {
                    "column": "country",
                    "message": "Unknown country “Atlantis”: give an ISO 3166 code or the "
                    "country's name.",
                }
            ],
        ),
        (4, []),
        (5, [{"column": "sdgs", "message": "“18” is not an SDG number (1 to 17)."}]),
    ]
    page = client.get(preview_url(batch)).content.decode()
    assert "Error, row 2, column “name”: The name is empty." in page
    assert "Error, row 3, column “country”: Unknown country “Atlantis”" in page
    assert "4 rows: 3 with errors, 0 with warnings." in page
    assert '<button type="submit" disabled' in page

    response = confirm(client, batch, accept_warnings="on")
    assert response.status_code == 400
    assert "The file has errors: nothing was imported." in response.content.decode()
    assert Coalition.objects.count() == 0
    assert Organisation.objects.filter(name="Pacific Ocean Trust").count() == 0


def test_clean_file_imports_every_row_active_and_indexed(client, programme, secretariat) -> None:
    theme = factories.ThemeFactory(programme=programme, name="Ocean litter")
    client.force_login(secretariat)
    file = csv_file(
        [
            HEADER,
            row(themes="ocean litter"),
            row(
                name="Youth for Clean Air",
                summary="Young people measuring air pollution in cities.",
                lead_organisation="Breathe Youth",
                lead_organisation_category="Youth-led organisation",
                country="KEN",
                principles="",
                asks="City air quality monitors; Clean buses",
                sdgs="3",
                website="",
            ),
        ]
    )
    upload(client, programme, file)
    batch = ImportBatch.objects.get()
    assert batch.is_clean
    page = client.get(preview_url(batch)).content.decode()
    assert "2 rows: 0 with errors, 0 with warnings." in page
    assert "Import 2 coalitions" in page

    response = confirm(client, batch)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.imported_by == secretariat
    a, b = Coalition.objects.order_by("import_row")
    assert (a.name, a.state, a.is_pre_existing, a.import_row) == (
        "Clean Seas Island Alliance",
        "active",
        True,
        2,
    )
    assert a.website == "https://example.org/clean-seas"
    assert [p.text for p in a.principles.all()] == ["Oceans are a common good", "Polluters pay"]
    assert [x.text for x in a.asks.all()] == ["Ban single-use plastics by 2030"]
    assert list(a.themes.all()) == [theme]
    assert sorted(a.goals.values_list("number", flat=True)) == [12, 14]
    lead = a.memberships.get()
    assert (lead.organisation.name, lead.organisation.category, lead.organisation.country_id) == (
        "Pacific Ocean Trust",
        "civil_society",
        "FJ",
    )
    assert (lead.role, lead.status) == (Membership.Role.LEAD, Membership.Status.ACTIVE)
    assert (b.name, b.memberships.get().organisation.category) == (
        "Youth for Clean Air",
        "youth_led",
    )
    assert b.memberships.get().organisation.country_id == "KE"
    assert [x.text for x in b.asks.all()] == ["City air quality monitors", "Clean buses"]
    # Texts indexed for similarity (tasks run immediately in tests).
    assert set(Vector.objects.filter(kind="coalition").values_list("object_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    # A second confirmation imports nothing more.
    assert confirm(client, batch).status_code == 400
    assert Coalition.objects.count() == 2


def test_xlsx_is_read_like_csv(client, programme, secretariat) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row(name="Excel Coalition", sdgs="14"))
    out = io.BytesIO()
    book.save(out)
    client.force_login(secretariat)
    upload(client, programme, SimpleUploadedFile("c.xlsx", out.getvalue()))

    batch = ImportBatch.objects.get()
    assert batch.source_format == "template"
    assert [(r["number"], r["values"]["name"], r["values"]["sdgs"]) for r in batch.rows] == [
        (2, "Excel Coalition", [14])
    ]
    assert batch.is_clean


def test_name_already_in_programme_is_an_error(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row()]))
    preview = client.get(preview_url(ImportBatch.objects.get())).content.decode()
    assert "2 principles, 1 ask" in preview
    imported = confirm(client, ImportBatch.objects.get())
    after = client.get(imported["Location"]).content.decode()
    assert "1 coalition imported. Its text is being indexed for similarity." in after
    assert ": 1 coalition." in after
    upload(client, programme, csv_file([HEADER, row()]))

    second = ImportBatch.objects.order_by("-id").first()
    assert second.rows[0]["errors"] == [
        {
            "column": "name",
            "message": "A coalition named “Clean Seas Island Alliance” already exists in this "
            "programme.",
        }
    ]
    assert Coalition.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "stranger", "reviewer", "other_secretariat"])
def test_import_pages_are_denied_to_others(client, programme, secretariat, who, request) -> None:
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row()]))
    batch = ImportBatch.objects.get()
    client.logout()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("console:coalition_import", args=[programme.slug]),
        reverse("console:coalition_import_template", args=[programme.slug]),
        preview_url(batch),
    ]

    expected = 302 if who == "anonymous" else 403
    for url in urls:
        assert client.get(url).status_code == expected, url
    assert upload(client, programme, csv_file([HEADER, row(name="Other")])).status_code == (
        expected
    )
    assert confirm(client, batch, accept_warnings="on").status_code == expected
    assert ImportBatch.objects.count() == 1
    assert Coalition.objects.count() == 0


def test_batch_of_another_programme_is_404(client, programme, secretariat) -> None:
    other = factories.ProgrammeFactory()
    other_staff = factories.staff(other)
    client.force_login(other_staff)
    upload(client, other, csv_file([HEADER, row()]))
    batch = ImportBatch.objects.get()
    client.force_login(secretariat)

    url = reverse("console:coalition_import_preview", args=[programme.slug, batch.pk])
    assert client.get(url).status_code == 404
    confirm_url = reverse("console:coalition_import_confirm", args=[programme.slug, batch.pk])
    assert client.post(confirm_url).status_code == 404
    assert Coalition.objects.count() == 0


def test_member_counts_are_read_only_when_unambiguous() -> None:
    assert importing.parse_member_counts("201824") == {2018: 24}
    assert importing.parse_member_counts("2017192201823420192742023406") == {
        2017: 192,
        2018: 234,
        2019: 274,
        2023: 406,
    }
    assert importing.parse_member_counts("abc") is None
    # 2018: 2020 members and 2020: 3, or 2018: 20 and 2020: 203?  Ambiguous: not read.
    assert importing.parse_member_counts("2018202020203") is None
    assert importing.parse_member_counts("201151201223220134142014422201560820207542022766") == {
        2011: 51,
        2012: 232,
        2013: 414,
        2014: 422,
        2015: 608,
        2020: 754,
        2022: 766,
    }


@pytest.mark.skipif(not UN_FILE.exists(), reason=f"real data not found at {UN_FILE}")
def test_real_un_climate_initiatives_file_imports_all_288(
    client, programme, secretariat, settings
) -> None:
    # Embedding 288 long texts takes minutes: record the queued tasks instead of running them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(secretariat)
    upload(client, programme, SimpleUploadedFile(UN_FILE.name, UN_FILE.read_bytes()))
    batch = ImportBatch.objects.get()

    assert batch.source_format == "un_climate"
    assert batch.file_errors == []
    assert len(batch.rows) == 288
    assert [r for r in batch.rows if r["errors"]] == []
    with_warnings = [r for r in batch.rows if r["warnings"]]
    assert len(with_warnings) == WARNED_ROWS
    by_column: dict[str, int] = {}
    for r in with_warnings:
        for w in r["warnings"]:
            by_column[w["column"]] = by_column.get(w["column"], 0) + 1
    assert by_column == WARNINGS_BY_COLUMN
    page = client.get(preview_url(batch)).content.decode()
    assert f"288 rows: 0 with errors, {WARNED_ROWS} with warnings." in page
    assert "maps to no stakeholder category: the lead organisation is imported as “Other”" in page

    # Warnings must be accepted explicitly.
    assert confirm(client, batch).status_code == 400
    assert Coalition.objects.count() == 0

    response = confirm(client, batch, accept_warnings="on")

    assert response.status_code == 302
    assert Coalition.objects.filter(import_batch=batch, state="active").count() == 288
    assert Coalition.objects.filter(goals=13).count() == 288
    assert Membership.objects.filter(coalition__import_batch=batch, role="lead").count() == (
        LEAD_MEMBERS
    )
    enqueued = [r for r in default_task_backend.results if r.task.name == "index_object"]
    assert len(enqueued) == 288
    resilient = Coalition.objects.get(name="100 Resilient Cities")
    assert resilient.website == "http://www.100resilientcities.org"


# Counted on UNClimateDataInitiatives-20230611.csv (288 rows, no errors):
WARNED_ROWS = 142
WARNINGS_BY_COLUMN = {
    "Type of lead organisation": 79,  # 60 Network/Consortium/Partnership, 6 Financial
    # institution, 4 empty, 9 other unmapped or mixed types: imported as "Other"
    "Website address": 41,  # 39 without http(s):// (kept with http://), 2 not addresses
    "Name of lead organisation": 22,  # no lead named
    "Location/Nationality of lead organisation": 19,  # 14 empty, 5 "EU": no lead member
    "Number of members in the years": 8,  # ambiguous or unreadable counts
}
LEAD_MEMBERS = 247
