"""Import of existing coalitions (console): preview with per-row errors naming row and column,
all or nothing, warnings accepted explicitly, permissions, and the real UN Climate Initiatives
Platform export."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import default_task_backend

from pledgebook.coalitions import importing
from pledgebook.coalitions.importing import import_coalitions
from pledgebook.coalitions.models import Coalition, ImportBatch, Membership
from pledgebook.organisations.models import Organisation
from pledgebook.similarity.models import IndexRequest, Vector
from tests import factories, samples
from tests.realdata import realdata

pytestmark = pytest.mark.django_db

UN_FILE = realdata("climate_initiatives", "UNClimateDataInitiatives-20230611.csv")
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


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_wrong_header_is_refused_on_the_upload_page_and_nothing_is_kept(
    client, programme, secretariat, settings
) -> None:
    client.force_login(secretariat)
    bad_header = ["name", "summary", "lead organisation", "category", "country", "colour"]
    response = upload(client, programme, csv_file([bad_header, ["A", "B", "C", "D", "FJ", "x"]]))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Missing columns: lead organisation category." in page
    assert (
        "Unknown columns: category, colour (the template&#x27;s columns are: name, summary, lead "
        "organisation, lead organisation category, country, website, principles, asks, "
        "themes, sdgs)." in page
    )
    assert "Nothing of it was kept: correct the file and upload it again." in page
    # Refused: no batch row, no stored file.
    assert ImportBatch.objects.count() == 0
    assert stored_files(settings) == []
    assert Coalition.objects.count() == 0


def test_row_errors_name_row_and_column_and_nothing_is_kept(
    client, programme, secretariat, settings
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
    response = upload(client, programme, file)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Error, row 2, column “name”: The name is empty." in page
    assert (
        "Error, row 3, column “country”: Unknown country “Atlantis”: give an ISO 3166 code or "
        "the country&#x27;s name." in page
    )
    assert "Error, row 5, column “sdgs”: “18” is not an SDG number (1 to 17)." in page
    assert "4 rows: 3 with errors, 0 with warnings." in page
    assert "The file cannot be imported: 3 errors, listed below." in page
    assert ImportBatch.objects.count() == 0
    assert stored_files(settings) == []
    assert Coalition.objects.count() == 0
    assert Organisation.objects.filter(name="Pacific Ocean Trust").count() == 0


def test_a_refused_upload_is_in_the_audit_trail(client, programme, secretariat) -> None:
    from pledgebook.core.models import AuditEntry

    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row(name="")], name="bad.csv"))

    entry = AuditEntry.objects.get(action="coalitions.import_refused")
    assert (entry.programme, entry.actor, entry.data) == (
        programme,
        secretariat,
        {"file": "bad.csv", "rows": 1, "errors": 1},
    )


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
    # Labels and names, never codes (the old label of a category is still understood).
    assert (
        "Pacific Ocean Trust<br><small>Non-governmental or civil society organisation · Fiji"
        "</small>" in page
    )
    assert "Breathe Youth<br><small>Youth-led organisation (children and youth) · Kenya" in page
    rows_table = page[page.index('<table class="import-preview">') :]
    assert "civil_society" not in rows_table
    assert "youth_led" not in rows_table
    # The mapping of the file's categories, the value as given beside its label.
    assert (
        '<th scope="row">civil_society</th>\n      <td class="number">1</td>\n      '
        "<td>Non-governmental or civil society organisation</td>" in page
    )

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


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("coalitions.xlsx", samples.EXE, "application/vnd.ms-excel"),
        ("coalitions.csv", samples.HTML, "text/csv"),
        ("coalitions.csv", samples.PDF, "text/csv"),
    ],
)
def test_a_file_that_is_no_table_is_refused_at_its_field(
    client, programme, secretariat, settings, name, content, declared
) -> None:
    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile(name, content, content_type=declared))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": [
            f"“{name}” is not a CSV or Excel (.xlsx) file (judged by its content, whatever its "
            "name says): choose another file."
        ]
    }
    assert ImportBatch.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_kept_file_is_named_by_id(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row()], name="Our coalitions (final).csv"))

    batch = ImportBatch.objects.get()
    assert batch.original_name == "Our coalitions (final).csv"
    assert re.fullmatch(r"coalition-imports/\d{4}/[0-9a-f]{32}\.csv", batch.file.name)


def test_name_already_in_programme_is_an_error(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row()]))
    preview = client.get(preview_url(ImportBatch.objects.get())).content.decode()
    assert "2 principles, 1 ask" in preview
    imported = confirm(client, ImportBatch.objects.get())
    after = client.get(imported["Location"]).content.decode()
    assert "1 coalition imported. Its text is being indexed for similarity." in after
    response = upload(client, programme, csv_file([HEADER, row()]))

    assert response.status_code == 400
    assert (
        "Error, row 2, column “name”: A coalition named “Clean Seas Island Alliance” already "
        "exists in this programme." in response.content.decode()
    )
    assert ImportBatch.objects.count() == 1
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
        reverse("console:coalition_import_status", args=[programme.slug, batch.pk]),
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
    status_url = reverse("console:coalition_import_status", args=[programme.slug, batch.pk])
    assert client.get(status_url).status_code == 404
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
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
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

    # Warnings must be accepted explicitly.
    assert confirm(client, batch).status_code == 400
    assert Coalition.objects.count() == 0

    # More than INLINE_ROWS rows: queued as a task, which the worker runs.
    response = confirm(client, batch, accept_warnings="on")

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.step) == ("queued", 0, "Waiting for the worker")
    assert Coalition.objects.count() == 0
    [queued] = [r for r in default_task_backend.results if r.task.name == "import_coalitions"]
    assert queued.kwargs == {"batch_id": batch.pk}

    assert import_coalitions.call(batch_id=batch.pk) == "imported"

    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.step) == ("imported", 100, "Imported")
    assert Coalition.objects.filter(import_batch=batch, state="active").count() == 288
    assert Coalition.objects.filter(goals=13).count() == 288
    assert Membership.objects.filter(coalition__import_batch=batch, role="lead").count() == (
        LEAD_MEMBERS
    )
    # Their texts wait in the similarity backlog for one low-priority batch task, not 288.
    assert IndexRequest.objects.filter(kind="coalition").count() == 288
    batches = [r for r in default_task_backend.results if r.task.name == "index_pending"]
    assert len(batches) == 1
    resilient = Coalition.objects.get(name="100 Resilient Cities")
    assert resilient.website == "http://www.100resilientcities.org"
    # The types of lead organisation, mapped explicitly (no catch-all civil society).
    categories = dict(
        Membership.objects.filter(coalition__import_batch=batch).values_list(
            "organisation__name", "organisation__category"
        )
    )
    assert {name: categories[name] for name in MAPPED} == MAPPED
    leads = Membership.objects.filter(coalition__import_batch=batch).values("organisation")
    assert (
        Counter(Organisation.objects.filter(pk__in=leads).values_list("category", flat=True))
        == LEAD_CATEGORIES
    )


# Counted on UNClimateDataInitiatives-20230611.csv (288 rows, no errors):
WARNED_ROWS = 108
WARNINGS_BY_COLUMN = {
    # 5 "Financial institution" (may be an IFI: check); 9 several types (the first's
    # category); 1 not in the mapping table and 2 empty ("Other"); 16 organisations named by
    # an earlier row with another type (the earlier row's category kept)
    "Type of lead organisation": 33,
    "Website address": 41,  # 39 without http(s):// (kept with http://), 2 not addresses
    # 22 no lead named; 1 name of 215 characters cut to 200
    "Name of lead organisation": 23,
    "Location/Nationality of lead organisation": 19,  # 14 empty, 5 "EU": no lead member
    "Number of members in the years": 8,  # ambiguous or unreadable counts
    "Goals": 1,  # 3 repeated lines imported once
}
LEAD_MEMBERS = 247
#: Organisations whose type the first taxonomy mapped to "Other" or a catch-all.
MAPPED = {
    "World Bank": "financial_institution",  # "Financial institution" (with a warning)
    "Portfolio Decarbonization Coalition": "financial_institution",
    "Rockefeller Philanthropy Advisors": "civil_society",  # typed "NGO/Civil Society"
    "UN Foundation": "partnership",  # "Network/Consortium/Partnership"
    "UN Climate Change": "un_system",  # "United Nations or Specialised agency"
    "Association for Supporting the SDGs for the UN": "other",  # not in the table: warned
}
LEAD_CATEGORIES = {  # 224 organisations
    "international": 64,
    "partnership": 54,
    "civil_society": 48,
    "un_system": 16,
    "private_sector": 15,
    "academia": 14,
    "other": 6,
    "financial_institution": 4,
    "member_state": 2,
    "local_authority": 1,
}
