"""The coalition import says what it drops and changes, maps types of organisation explicitly,
reads no further than its limits, and imports a large file by a task with progress.

Files in the layout of the UN Climate Initiatives Platform are written here with a few of its
51 columns; ``test_import.py`` reads the real file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from pledgebook.coalitions import importing
from pledgebook.coalitions.importing import import_coalitions
from pledgebook.coalitions.models import Coalition, ImportBatch, Membership
from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Organisation
from tests import factories
from tests.coalitions.test_import import (
    HEADER,
    UN_FILE,
    confirm,
    csv_file,
    preview_url,
    row,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

TYPE = "Type of lead organisation"
UN_HEADER = [
    "Name of initiative",
    "Website address",
    "Secretariat",
    "Name of lead organisation",
    TYPE,
    "Location/Nationality of lead organisation",
    "Description",
    "Objectives",
    "Goals",
    "Number of members in the years",
    "",
    " Transport",
]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def un_row(
    name: str,
    lead: str = "",
    kind: str = "",
    country: str = "",
    *,
    secretariat: str = "",
    unnamed: str = "",
    transport: str = "No",
    goals: str = "",
) -> list[str]:
    return [
        name,
        "",
        secretariat,
        lead,
        kind,
        country,
        f"{name}: what it does.",
        "Cut emissions",
        goals,
        "",
        unnamed,
        transport,
    ]


def un_file(*rows: list[str]) -> SimpleUploadedFile:
    return csv_file([UN_HEADER, *rows], name="UNClimateDataInitiatives-test.csv")


def warnings(batch: ImportBatch) -> dict[int, list[str]]:
    return {r["number"]: [w["message"] for w in r["warnings"]] for r in batch.rows}


# What is dropped and changed ------------------------------------------------------------------


def test_every_column_not_imported_is_named_with_its_rows(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(
        client,
        programme,
        un_file(
            un_row("Air A", secretariat="UNEP", transport="Yes"),
            un_row("Air B", unnamed="stray note"),
        ),
    )
    batch = ImportBatch.objects.get()

    assert batch.notes["columns"] == 12
    assert batch.notes["dropped_columns"] == [
        {"column": "Secretariat", "filled": 1},
        {"column": "column 11 (no name)", "filled": 1},
        {"column": "Transport", "filled": 2},
    ]
    page = client.get(preview_url(batch)).content.decode()
    assert "3 of the file's 12 columns are not imported" in page
    assert 'Secretariat <span class="helptext">(1 row with a value)</span>' in page
    assert 'Transport <span class="helptext">(2 rows with a value)</span>' in page


@pytest.mark.skipif(not UN_FILE.exists(), reason=f"real data not found at {UN_FILE}")
def test_the_real_file_names_its_42_columns_not_imported(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(client, programme, SimpleUploadedFile(UN_FILE.name, UN_FILE.read_bytes()))
    batch = ImportBatch.objects.get()

    dropped = batch.notes["dropped_columns"]
    assert (batch.notes["columns"], len(dropped)) == (51, 42)
    assert dropped[:3] == [
        {"column": "LPAA initiative", "filled": 283},
        {"column": "NAZCA Initiative", "filled": 287},
        {"column": "Related initiatives", "filled": 92},
    ]
    assert dropped[-1] == {"column": "Private Finance", "filled": 288}
    page = client.get(preview_url(batch)).content.decode()
    assert "42 of the file's 51 columns are not imported" in page
    for column in dropped:
        assert f"<li>{column['column']} <span" in page
    # The types of lead organisation, as the file gives them, and what each becomes.
    assert (
        '<th scope="row">Financial institution</th>\n      <td class="number">6</td>\n      '
        '<td>Financial institution (bank, investor) <span class="warning">(the source uses '
        "this type for private banks and investors and for international financial "
        "institutions (the World Bank): check the organisation)</span></td>" in page
    )
    assert (
        '<th scope="row">Network/Consortium/Partnership</th>\n      <td class="number">60</td>'
        "\n      <td>Network, alliance or multi-stakeholder partnership</td>" in page
    )


def test_types_of_organisation_are_mapped_explicitly(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(
        client,
        programme,
        un_file(
            un_row("Fund A", "Green Bank", "Financial institution", "France"),
            un_row("Net B", "Alliance B", "Network/Consortium/Partnership", "Kenya"),
            un_row("Think C", "Think Tank C", "Think tank", "Brazil"),
            un_row("Mixed D", "D Org", "Business, Network/Consortium/Partnership", "India"),
            un_row("Empty E", "E Org", "", "Chile"),
            un_row("NGO F", "F Org", "NGO/Civil Society", "Fiji"),
        ),
    )
    batch = ImportBatch.objects.get()

    assert [(r["number"], r["values"]["lead_category"]) for r in batch.rows] == [
        (2, "financial_institution"),
        (3, "partnership"),
        (4, "other"),
        (5, "private_sector"),
        (6, "other"),
        (7, "civil_society"),
    ]
    assert warnings(batch) == {
        2: [
            "“Financial institution” is imported as “Financial institution (bank, investor)”: "
            "the source uses this type for private banks and investors and for international "
            "financial institutions (the World Bank): check the organisation."
        ],
        3: [],
        4: [
            "The type “Think tank” is not in the mapping table of the UN Climate Initiatives "
            "Platform: the lead organisation is imported as “Other”."
        ],
        5: [
            "Several types are given (“Business” → “Business and industry (private sector)”; "
            "“Network/Consortium/Partnership” → “Network, alliance or multi-stakeholder "
            "partnership”): the lead organisation is imported as “Business and industry "
            "(private sector)”, the category of the first."
        ],
        6: ["No type is given: the lead organisation is imported as “Other”."],
        7: [],
    }
    assert batch.notes["types"] == [
        {
            "value": "Network/Consortium/Partnership",
            "rows": 2,
            "category": "partnership",
            "known": True,
            "note": "",
        },
        {"value": "", "rows": 1, "category": "other", "known": False, "note": ""},
        {"value": "Business", "rows": 1, "category": "private_sector", "known": True, "note": ""},
        {
            "value": "Financial institution",
            "rows": 1,
            "category": "financial_institution",
            "known": True,
            "note": "may_be_ifi",
        },
        {
            "value": "NGO/Civil Society",
            "rows": 1,
            "category": "civil_society",
            "known": True,
            "note": "",
        },
        {"value": "Think tank", "rows": 1, "category": "other", "known": False, "note": ""},
    ]
    page = client.get(preview_url(batch)).content.decode()
    assert (
        "Warning, row 4, column “Type of lead organisation”: The type “Think tank” is not in the "
        "mapping table" in page
    )
    assert (
        '<th scope="row">Think tank</th>\n      <td class="number">1</td>\n      <td>Other '
        '<span class="warning">(not in the mapping table: each row warns)</span></td>' in page
    )

    assert confirm(client, batch, accept_warnings="on").status_code == 302
    assert dict(Organisation.objects.values_list("name", "category")) == {
        "Green Bank": "financial_institution",
        "Alliance B": "partnership",
        "Think Tank C": "other",
        "D Org": "private_sector",
        "E Org": "other",
        "F Org": "civil_society",
    }


def test_an_organisation_named_by_an_earlier_row_keeps_its_category_with_a_warning(
    client, programme, secretariat
) -> None:
    client.force_login(secretariat)
    upload(
        client,
        programme,
        un_file(
            un_row("First", "World Bank", "Financial institution", "United States of America"),
            un_row("Second", "world bank", "International organisation", "USA"),
            un_row("Third", "World Bank", "Financial institution", "US"),
        ),
    )
    batch = ImportBatch.objects.get()

    assert [r["values"]["lead_category"] for r in batch.rows] == ["financial_institution"] * 3
    assert warnings(batch)[3] == [
        "“world bank” is the lead organisation of row 2 too, as “Financial institution (bank, "
        "investor)”: it is imported once, as “Financial institution (bank, investor)”, not as "
        "“Intergovernmental or regional organisation”."
    ]
    assert len(warnings(batch)[4]) == 1  # the note of "Financial institution" only

    assert confirm(client, batch, accept_warnings="on").status_code == 302
    bank = Organisation.objects.get()
    assert (bank.name, bank.category, bank.country_id) == (
        "World Bank",
        "financial_institution",
        "US",
    )
    assert Membership.objects.filter(organisation=bank, role="lead").count() == 3


@pytest.mark.parametrize("layout", ["template", "un_climate"])
def test_an_organisation_already_on_the_platform_keeps_its_category_with_a_warning(
    client, programme, secretariat, layout
) -> None:
    trust = factories.OrganisationFactory(name="Ocean Trust", country_id="FJ", category="women")
    client.force_login(secretariat)
    if layout == "template":
        file = csv_file([HEADER, row(lead_organisation="OCEAN TRUST")])
        column = "lead organisation category"
    else:
        file = un_file(un_row("Reefs", "OCEAN TRUST", "NGO/Civil Society", "Fiji"))
        column = TYPE
    upload(client, programme, file)
    batch = ImportBatch.objects.get()

    [only] = batch.rows
    assert only["warnings"] == [
        {
            "column": column,
            "message": "“Ocean Trust” is already on the platform, as “Women's and feminist "
            "organisation or movement”: the coalition joins it and its category stays "
            "“Women's and feminist organisation or movement”, not “Non-governmental or civil "
            "society organisation”.",
        }
    ]
    assert only["values"]["lead_category"] == "women"

    assert confirm(client, batch, accept_warnings="on").status_code == 302
    trust.refresh_from_db()
    assert trust.category == "women"
    assert Membership.objects.get(role="lead").organisation == trust
    assert Organisation.objects.count() == 1


LONG = (
    "Conservation International, International Union for Conservation of Nature (IUCN), and "
    "Intergovernmental Oceanographic Commission of the United Nations Educational, "
    "Scientific, and Cultural Organization (IOC-UNESCO)"
)


def test_a_lead_name_longer_than_200_is_cut_with_a_warning(client, programme, secretariat) -> None:
    assert len(LONG) == 215
    client.force_login(secretariat)
    upload(client, programme, un_file(un_row("Blue Carbon", LONG, "NGO/Civil Society", "USA")))
    batch = ImportBatch.objects.get()

    cut = LONG[:200]
    assert warnings(batch)[2] == [
        f"The name has 215 characters, more than the 200 an organisation's name may have: "
        f"imported as “{cut}”."
    ]
    assert batch.rows[0]["values"]["lead_name"] == cut

    confirm(client, batch, accept_warnings="on")
    assert Organisation.objects.get().name == cut


def test_a_template_lead_name_longer_than_200_is_an_error(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    response = upload(client, programme, csv_file([HEADER, row(lead_organisation=LONG)]))

    assert response.status_code == 400
    assert (
        "Error, row 2, column “lead organisation”: The name has 215 characters: an "
        "organisation&#x27;s name has at most 200." in response.content.decode()
    )
    assert ImportBatch.objects.count() == 0


def test_repeated_lines_are_imported_once_with_a_warning(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    upload(
        client,
        programme,
        csv_file([HEADER, row(principles="Oceans are common; oceans are common!; Polluters pay")]),
    )
    batch = ImportBatch.objects.get()

    assert batch.rows[0]["values"]["principles"] == ["Oceans are common", "Polluters pay"]
    assert batch.rows[0]["warnings"] == [
        {"column": "principles", "message": "1 repeated line is imported once."}
    ]


def test_a_category_the_programme_does_not_show_is_a_warning(
    client, programme, secretariat
) -> None:
    programme.stakeholder_categories = ["member_state", "civil_society"]
    programme.save()
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row(lead_organisation_category="Media")]))
    batch = ImportBatch.objects.get()

    assert batch.rows[0]["warnings"] == [
        {
            "column": "lead organisation category",
            "message": "“Media” is not among the stakeholder categories this programme shows: "
            "“Pacific Ocean Trust” is imported with it all the same.",
        }
    ]


def test_the_upload_page_lists_the_categories_the_programme_shows(
    client, programme, secretariat
) -> None:
    programme.stakeholder_categories = ["women", "member_state"]
    programme.save()
    client.force_login(secretariat)
    page = client.get(reverse("console:coalition_import", args=[programme.slug])).content.decode()

    listed = page[page.index('<details id="category-list">') : page.index("</details>")]
    assert listed.count("<li>") == 2
    assert "<h3>Governments and public authorities</h3>" in listed
    assert (
        "<li>Women&#x27;s and feminist organisation or movement "
        '<span class="helptext">(<code>women</code>)</span></li>' in listed
    )


# Limits: nothing is read past them -----------------------------------------------------------


def xlsx_of(
    lines: int, *, dimension: str = "", shared_strings: bytes = b"", row_xml: bytes = b""
) -> bytes:
    """A workbook of one sheet: the template's header and ``lines`` rows (``row_xml``, by
    default one cell of inline text), written directly (openpyxl takes minutes to write a
    million rows); the sheet gives its size (``<dimension>``) only when ``dimension`` is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships"><sheets><sheet name="Coalitions" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        if shared_strings:
            book.writestr("xl/sharedStrings.xml", shared_strings)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            cells = "".join(
                f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                for i, h in enumerate(HEADER[:5])
            )
            sheet.write(f'<row r="1">{cells}</row>'.encode())
            # Rows without their optional "r" attributes, all alike: a million of them
            # compress to a few megabytes, as in the report of the fault.
            sheet.write(
                (row_xml or b'<row><c t="inlineStr"><is><t>Coalition</t></is></c></row>') * lines
            )
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_million_row_xlsx_is_refused_after_reading_one_row_past_the_limit(
    client, programme, secretariat, settings
) -> None:
    data = xlsx_of(1_000_000, dimension="A1:E1000001")
    assert len(data) < importing.MAX_BYTES  # it passes the size check

    table = importing.read_table("big.xlsx", data)

    assert len(table) == 1 + importing.MAX_ROWS + 1
    assert table[-1] == ["Coalition"]
    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile("big.xlsx", data))
    assert response.status_code == 400
    assert "The file has more than 5000 rows." in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert stored_files(settings) == []


def test_a_million_row_xlsx_that_does_not_give_its_size_is_refused_before_it_is_opened(
    client, programme, secretariat
) -> None:
    # openpyxl would read such a sheet to its end as it opens the workbook.
    data = xlsx_of(1_000_000)
    with pytest.raises(importing.FileError) as exc:
        importing.read_table("big.xlsx", data)
    assert str(exc.value) == (
        "The file has more than 50,000 lines, empty ones included: delete the empty lines at "
        "its end."
    )
    wide = xlsx_of(
        1, row_xml=b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 600_000 + b"</row>"
    )
    with pytest.raises(importing.FileError) as exc:
        importing.read_table("wide.xlsx", wide)
    assert str(exc.value) == (
        "The workbook has more than 500,000 cells: keep only the sheet to import and its "
        "columns, or save it as CSV."
    )
    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile("big.xlsx", data))
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_rows_past_the_size_a_sheet_gives_are_read_all_the_same() -> None:
    # The sheet says it is one cell (A1); it has three rows of coalitions under its header.
    data = xlsx_of(3, dimension="A1")
    assert importing.read_table("small.xlsx", data) == [
        HEADER[:5],
        ["Coalition"],
        ["Coalition"],
        ["Coalition"],
    ]


def test_a_million_line_csv_is_read_up_to_the_limit(client, programme, secretariat) -> None:
    text = ",".join(HEADER) + "\n" + "c,s\n" * 1_000_000
    data = text.encode()
    assert len(data) < importing.MAX_BYTES

    table = importing.read_table("big.csv", data)

    assert len(table) == 1 + importing.MAX_ROWS + 1
    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile("big.csv", data))
    assert response.status_code == 400
    assert "The file has more than 5000 rows." in response.content.decode()


def test_a_file_of_empty_lines_is_refused_at_the_line_limit(client, programme, secretariat) -> None:
    data = (",".join(HEADER) + "\n" + ",".join(row()) + "\n" + ",,,\n" * 60_000).encode()
    with pytest.raises(importing.FileError) as exc:
        importing.read_table("empty.csv", data)
    assert str(exc.value) == (
        "The file has more than 50,000 lines, empty ones included: delete the empty lines at "
        "its end."
    )
    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile("empty.csv", data))
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_a_workbook_that_unpacks_to_too_much_is_refused(client, programme, secretariat) -> None:
    bomb = b"<sst>" + b" " * (importing.MAX_UNPACKED + 1) + b"</sst>"
    data = xlsx_of(1, shared_strings=bomb)
    assert len(data) < 1_000_000

    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile("bomb.xlsx", data))

    assert response.status_code == 400
    assert (
        "The workbook is too large once unpacked: save its first sheet as CSV."
        in response.content.decode()
    )
    assert ImportBatch.objects.count() == 0


def test_a_csv_cell_beyond_the_csv_module_limit_is_an_error_not_a_crash(
    client, programme, secretariat
) -> None:
    data = (",".join(HEADER) + "\n" + "x" * 200_000 + "\n").encode()
    client.force_login(secretariat)
    response = upload(client, programme, SimpleUploadedFile("wide.csv", data))
    assert response.status_code == 400
    assert "The CSV file cannot be read (field larger than field limit (131072))" in (
        response.content.decode()
    )


# A large file: a task with progress ------------------------------------------------------------


def many_rows(n: int) -> SimpleUploadedFile:
    return csv_file([HEADER, *(row(name=f"Coalition {i}") for i in range(n))])


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Tasks are recorded, not run: the test runs them, as a worker would."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


def status_url(batch: ImportBatch) -> str:
    return reverse("console:coalition_import_status", args=[batch.programme.slug, batch.pk])


def test_a_large_file_is_imported_by_a_task_whose_progress_the_page_shows(
    client, programme, secretariat, queued_tasks
) -> None:
    client.force_login(secretariat)
    upload(client, programme, many_rows(importing.INLINE_ROWS + 1))
    batch = ImportBatch.objects.get()

    response = confirm(client, batch)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.step, batch.imported_by) == (
        "queued",
        0,
        "Waiting for the worker",
        secretariat,
    )
    assert Coalition.objects.count() == 0
    page = client.get(preview_url(batch)).content.decode()
    assert "The import of 101 coalitions has started: this page shows its progress." in page
    assert f'hx-get="{status_url(batch)}" hx-trigger="every 2s"' in page
    assert '<progress id="import-progress" max="100" value="0">0%</progress>' in page
    assert 'id="confirm-import"' not in page
    # Asked again while it waits: refused, nothing queued twice.
    assert confirm(client, batch).status_code == 400
    assert "This file is being imported." in confirm(client, batch).content.decode()
    assert [r.task.name for r in default_task_backend.results] == ["import_coalitions"]

    assert import_coalitions.call(batch_id=batch.pk) == "imported"

    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.step) == ("imported", 100, "Imported")
    assert Coalition.objects.filter(import_batch=batch).count() == 101
    fragment = client.get(status_url(batch), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"
    assert "Imported on" in fragment.content.decode()
    assert list(
        AuditEntry.objects.filter(object_id=batch.pk, object_type="coalitions.importbatch")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["coalitions.import_uploaded", "coalitions.import_queued", "coalitions.imported"]
    # Run twice (a worker retrying): nothing more.
    assert import_coalitions.call(batch_id=batch.pk) == "imported"
    assert Coalition.objects.count() == 101


def test_an_import_lost_by_its_worker_can_be_started_again(
    client, programme, secretariat, queued_tasks
) -> None:
    client.force_login(secretariat)
    upload(client, programme, many_rows(importing.INLINE_ROWS + 1))
    batch = ImportBatch.objects.get()
    confirm(client, batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", progress=30)
    assert confirm(client, batch).status_code == 400

    ImportBatch.objects.filter(pk=batch.pk).update(
        queued_at=timezone.now() - dt.timedelta(seconds=importing.STALE_AFTER_SECONDS + 1)
    )
    page = client.get(preview_url(batch)).content.decode()
    assert 'id="confirm-import"' in page

    assert confirm(client, batch).status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.progress) == ("queued", 0)
    assert import_coalitions.call(batch_id=batch.pk) == "imported"
    assert Coalition.objects.count() == 101


def test_errors_found_at_import_refuse_the_file_and_delete_it(
    client, programme, secretariat, settings
) -> None:
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row()]))
    batch = ImportBatch.objects.get()
    assert len(stored_files(settings)) == 1
    Coalition.objects.create(
        programme=programme, name="Clean Seas Island Alliance", slug="clean-seas", state="active"
    )

    response = confirm(client, batch)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The file has errors: nothing was imported. Correct them and upload it again." in page
    assert "Refused: nothing was imported and the file was not kept." in page
    assert "Error, row 2, column “name”: A coalition named “Clean Seas Island Alliance”" in page
    batch.refresh_from_db()
    assert (batch.status, batch.file.name) == ("refused", "")
    assert stored_files(settings) == []
    assert Coalition.objects.count() == 1
    assert (
        AuditEntry.objects.filter(action="coalitions.import_refused", object_id=batch.pk).count()
        == 1
    )
    assert confirm(client, batch).status_code == 400


def test_warnings_that_changed_since_the_preview_are_shown_again(
    client, programme, secretariat
) -> None:
    client.force_login(secretariat)
    upload(client, programme, un_file(un_row("Reefs", "Ocean Trust", "NGO/Civil Society", "Fiji")))
    batch = ImportBatch.objects.get()
    assert warnings(batch) == {2: []}
    trust = factories.OrganisationFactory(name="Ocean Trust", country_id="FJ", category="women")

    response = confirm(client, batch)

    assert response.status_code == 400
    assert "The file reads differently now" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "preview"
    assert len(warnings(batch)[2]) == 1
    assert Coalition.objects.count() == 0

    assert confirm(client, batch, accept_warnings="on").status_code == 302
    assert Membership.objects.get(role="lead").organisation == trust


def test_an_import_that_fails_is_marked_failed(client, programme, secretariat, settings) -> None:
    client.force_login(secretariat)
    upload(client, programme, csv_file([HEADER, row()]))
    batch = ImportBatch.objects.get()
    for path in stored_files(settings):
        path.unlink()

    response = confirm(client, batch)

    assert response.status_code == 400
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.error.startswith("FileNotFoundError: ")
    assert "The import failed and nothing was imported (FileNotFoundError" in (
        response.content.decode()
    )
    assert Coalition.objects.count() == 0


def test_the_type_mapping_cannot_be_skipped_by_a_file_read_as_csv(programme) -> None:
    """The real platform's export read through the parser directly (no upload): the row of the
    type the platform itself refused keeps its warning and the fallback is named."""
    out = io.StringIO()
    refused = (
        '"International Non-Governmental Organization" is not in the list of possible values '
        "(National government, Local government, Other public institution) for this property."
    )
    csv.writer(out).writerows([UN_HEADER, un_row("SDG Korea", "ASDUN", refused, "Korea (South)")])
    parsed = importing.parse(programme, list(csv.reader(io.StringIO(out.getvalue()))))
    [only] = parsed.rows
    assert only.values["lead_category"] == "other"
    assert only.warnings == [
        {
            "column": TYPE,
            "message": f"The type “{refused[:159]}…” is not in the mapping table of the UN Climate "
            "Initiatives Platform: the lead organisation is imported as “Other”.",
        }
    ]


def test_the_downloaded_template_imports_as_it_is(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    template = client.get(reverse("console:coalition_import_template", args=[programme.slug]))
    assert (
        template.content.decode()
        .splitlines()[1]
        .startswith(
            "Clean Seas Island Alliance,Island governments and fishers cutting marine plastic "
            "litter.,Pacific Ocean Trust,Non-governmental or civil society organisation,FJ,"
        )
    )

    upload(client, programme, SimpleUploadedFile("template.csv", template.content))

    batch = ImportBatch.objects.get()
    assert batch.is_clean
    assert batch.rows[0]["values"]["lead_category"] == "civil_society"
    assert batch.rows[0]["warnings"] == []
