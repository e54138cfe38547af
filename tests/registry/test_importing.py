"""Import of a registry's commitments and organisations (registry.importing): the two layouts in
CSV, XLSX and JSON Lines, the messiness of the real #OceanAction registry, organisation
matching and its decisions, all or nothing, and a fixed 300-record slice of the real file."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Category, Organisation
from pledgebook.reference.models import Country
from pledgebook.registry import importing
from pledgebook.registry.management.commands.import_registry import OCEAN_THEMES
from pledgebook.registry.matching import Matcher, normalise, split_acronym
from pledgebook.registry.models import (
    GoalSuggestion,
    ImportRun,
    Milestone,
    NamedPartner,
    Provenance,
    ReportHistory,
    Resource,
)
from pledgebook.similarity.models import IndexRequest
from tests import factories
from tests.realdata import realdata

pytestmark = pytest.mark.django_db

OCEAN_FILE = realdata("unoc_commitments", "unoc_ocean_commitments_2026-03.jsonl")


@pytest.fixture
def secretariat(programme: Any) -> Any:
    factories.ThemeFactory(programme=programme, name="Marine pollution")
    return factories.staff(programme)


def ocean(**values: Any) -> dict[str, Any]:
    record = {
        "url": "https://sdgs.un.org/partnerships/example",
        "title": "Clean beaches of Fiji",
        "ocean_action_id": "#OceanAction1",
        "node_id": "1",
        "entity_type": "Non-governmental organization (NGO)",
        "description": "Nettoyage des plages avec les écoles.",
        "partners": "Fiji Ocean Trust\nUniversity of the South Pacific",
        "deliverables": [
            {"date": "2026-06-30", "deliverable": "50 beaches cleaned"},
            {"date": "1970-01-01", "deliverable": "A report"},
        ],
        "resources": [
            {"type": "Financing (in USD)", "details": "120000"},
            {"type": "In-kind contribution", "details": "Boats"},
        ],
        "progress_reports_submitted": True,
        "smart": "False",
        "sdg14_targets": ["14.1"],
        "start_date": "01 January 1970",
        "completion_date": "31 December 2030",
        "lead_entity": "Pacific Clean Seas (PCS)",
        "sdgs": ["14"],
        "headquarters": "Suva, Fiji",
        "countries": ["Fiji"],
        "communities_of_ocean_action": ["Marine pollution"],
        "website": None,
    }
    record.update(values)
    return record


def jsonl(*records: dict[str, Any], name: str = "ocean.jsonl") -> SimpleUploadedFile:
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    return SimpleUploadedFile(name, data)


def upload(actor: Any, programme: Any, file: Any, fallback: str | None = "FR") -> ImportRun:
    country = Country.objects.get(iso2=fallback) if fallback else None
    return importing.create_run(
        actor=actor, programme=programme, upload=file, fallback_country=country
    )


def imported_plastic(actor: Any, programme: Any) -> Commitment:
    """One ocean record about plastic litter, imported by ``actor`` into ``programme`` (its
    SDGs suggested from the text): the commitment."""
    text = "Collect plastic waste on beaches and in rivers before it reaches the ocean."
    record = ocean(title="Reduce plastic litter reaching the sea", description=text)
    importing.start_import(actor=actor, run=upload(actor, programme, jsonl(record)))
    return Commitment.objects.get(programme=programme)


def warnings_of(run: ImportRun) -> list[tuple[int, str, str]]:
    return [(r["row"], w["column"], w["kind"]) for r in run.rows for w in r["warnings"]]


def test_ocean_record_imports_with_everything_it_carries(programme, secretariat) -> None:
    run = upload(secretariat, programme, jsonl(ocean()))
    assert run.layout == ImportRun.Layout.UN_OCEAN
    assert run.file_format == ImportRun.FileFormat.JSONL
    assert warnings_of(run) == [
        (1, "start_date", "placeholder_date"),
        (1, "deliverables", "placeholder_date"),
    ]
    run = importing.start_import(actor=secretariat, run=run)
    assert run.status == ImportRun.Status.IMPORTED
    assert run.counts["imported"] == 1
    commitment = Commitment.objects.get(programme=programme)
    assert commitment.status == Commitment.Status.CONFIRMED
    assert commitment.description == "Nettoyage des plages avec les écoles."
    assert commitment.starts_on is None
    assert str(commitment.ends_on) == "2030-12-31"
    assert commitment.amount == Decimal("120000")
    assert commitment.currency_id == "USD"
    assert [c.iso2 for c in commitment.countries.all()] == ["FJ"]
    assert [g.number for g in commitment.goals.all()] == [14]
    assert [t.code for t in commitment.targets.all()] == ["14.1"]
    assert [t.name for t in commitment.themes.all()] == ["Marine pollution"]
    organisation = commitment.organisation
    assert (organisation.name, organisation.category, organisation.country_id) == (
        "Pacific Clean Seas (PCS)",
        Category.CIVIL_SOCIETY,
        "FJ",
    )
    provenance = Provenance.objects.get(commitment=commitment)
    assert (provenance.external_id, provenance.url, provenance.row) == (
        "#OceanAction1",
        "https://sdgs.un.org/partnerships/example",
        1,
    )
    assert provenance.source == importing.UN_OCEAN_SOURCE
    assert [(str(m.due_on), m.text) for m in Milestone.objects.filter(commitment=commitment)] == [
        ("2026-06-30", "50 beaches cleaned"),
        ("None", "A report"),
    ]
    assert [
        (r.kind, r.details, r.amount_usd) for r in Resource.objects.filter(commitment=commitment)
    ] == [
        ("Financing (in USD)", "120000", Decimal("120000.00")),
        ("In-kind contribution", "Boats", None),
    ]
    assert [p.name for p in NamedPartner.objects.filter(commitment=commitment)] == [
        "Fiji Ocean Trust",
        "University of the South Pacific",
    ]
    history = ReportHistory.objects.get(commitment=commitment)
    assert (history.reports_submitted, history.source) == (True, importing.UN_OCEAN_SOURCE)


def test_sdg_goals_are_suggested_from_the_text_after_the_import(programme, secretariat) -> None:
    run = upload(
        secretariat,
        programme,
        jsonl(
            ocean(
                title="Reduce plastic litter reaching the sea",
                description="Collect plastic waste on beaches and in rivers before it reaches "
                "the ocean, with fishing communities.",
            ),
            ocean(ocean_action_id="#OceanAction2", title="Escuelas del mar", description=""),
        ),
    )
    importing.start_import(actor=secretariat, run=run)
    first, second = Commitment.objects.order_by("provenance__row")
    suggested = list(GoalSuggestion.objects.filter(commitment=first))
    assert [g.rank for g in suggested] == [1, 2, 3]
    assert suggested[0].goal_id == 14
    assert GoalSuggestion.objects.filter(commitment=second).count() == 3
    # The declared goals are the commitment's; suggestions stay beside them.
    assert [g.number for g in first.goals.all()] == [14]


def test_messy_values_are_warnings_naming_row_and_column(programme, secretariat) -> None:
    run = upload(
        secretariat,
        programme,
        jsonl(
            ocean(),
            ocean(
                ocean_action_id="#OceanAction2",
                start_date="1 Mai 2022",
                resources=[{"type": "Financing (in USD)", "details": "USD 3-5 million"}],
                countries=["Fiji", "European Commission"],
                entity_type="Space agency",
                lead_entity="Ocean Space Agency",
                headquarters=None,
                deliverables=[],
            ),
            ocean(ocean_action_id="#OceanAction3", title="  "),
        ),
    )
    assert warnings_of(run) == [
        (1, "start_date", "placeholder_date"),
        (1, "deliverables", "placeholder_date"),
        (2, "start_date", "bad_date"),
        (2, "resources", "money_as_text"),
        (2, "countries", "not_a_country"),
        (2, "entity_type", "unknown_type"),
        (2, "headquarters", "organisation_country_inferred"),
    ]
    assert [(r["row"], r["set_aside"], r["reason"]) for r in run.rows if r["set_aside"]] == [
        (3, "no_title", "no title")
    ]
    run = importing.start_import(actor=secretariat, run=run)
    assert run.counts["imported"] == 2
    assert run.counts["set_aside"] == {"no_title": 1}
    second = Commitment.objects.get(provenance__external_id="#OceanAction2")
    assert second.amount is None
    assert second.provenance.other_places == "European Commission"
    assert Resource.objects.get(commitment=second).details == "USD 3-5 million"
    assert second.organisation.category == Category.OTHER


def test_organisations_are_matched_by_name_variant_acronym_and_country(
    programme, secretariat
) -> None:
    fiji = Country.objects.get(iso2="FJ")
    existing = factories.OrganisationFactory(name="The Pacific Clean Seas", country=fiji)
    acronym = factories.OrganisationFactory(name="World Wide Fund for Nature (WWF)", country=fiji)
    elsewhere = factories.OrganisationFactory(name="Blue Ocean Fund")  # Kenya
    run = upload(
        secretariat,
        programme,
        jsonl(
            ocean(lead_entity="PACIFIC CLEAN SEAS"),
            ocean(ocean_action_id="#OceanAction2", lead_entity="WWF"),
            ocean(ocean_action_id="#OceanAction3", lead_entity="Blue Ocean Fund"),
            ocean(ocean_action_id="#OceanAction4", lead_entity="Pacific Clean Sea"),
        ),
    )
    decisions = {d.name: d for d in run.decisions.all()}
    assert {n: (d.action, d.organisation_id, d.score, d.reason) for n, d in decisions.items()} == {
        "PACIFIC CLEAN SEAS": ("match", existing.pk, 100.0, "same name"),
        "WWF": ("match", acronym.pk, 95.0, "same acronym"),
        "Blue Ocean Fund": ("create", None, None, ""),
        "Pacific Clean Sea": ("match", existing.pk, 97.1, "similar name"),
    }
    assert elsewhere.pk not in [c["id"] for c in decisions["Blue Ocean Fund"].candidates]
    assert run.counts["organisations"] == {"matched": 3, "created": 1}
    # A wrong match is changed before the import: created instead.
    importing.change_decision(
        actor=secretariat, decision=decisions["Pacific Clean Sea"], organisation=None
    )
    run = importing.start_import(actor=secretariat, run=run)
    assert run.counts["organisations"] == {"matched": 2, "created": 2}
    assert Organisation.objects.filter(name="Pacific Clean Sea", country=fiji).count() == 1
    assert Commitment.objects.filter(organisation=existing).count() == 1
    assert Commitment.objects.filter(organisation=acronym).count() == 1


def test_matching_normalises_names() -> None:
    assert normalise("The Ocean Foundation (TOF)") == "ocean foundation"
    assert normalise("Océan & Climat") == "ocean and climat"
    assert split_acronym("Ocean Sanctuary Alliance (OSA)") == ("Ocean Sanctuary Alliance", "OSA")
    matcher = Matcher([(1, "Ocean Sanctuary Alliance (OSA)", "US")])
    assert matcher.best("OSA", "US")[0].id == 1
    assert matcher.best("OSA", "FR")[0] is None


def test_template_csv_and_xlsx_import_alike(programme, secretariat) -> None:
    header = list(importing.TEMPLATE_COLUMNS)
    row = [importing.TEMPLATE_EXAMPLE[c] for c in header]
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    run = upload(secretariat, programme, SimpleUploadedFile("c.csv", out.getvalue().encode()))
    assert run.layout == ImportRun.Layout.TEMPLATE
    assert run.mapping == {c: importing.TEMPLATE_COLUMNS[c][0] for c in header}
    assert warnings_of(run) == []
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    sheet.append([*row[:2], "REG-0043", *row[3:]])
    data = io.BytesIO()
    book.save(data)
    importing.start_import(actor=secretariat, run=run)
    run2 = upload(secretariat, programme, SimpleUploadedFile("c.xlsx", data.getvalue()))
    assert run2.file_format == ImportRun.FileFormat.XLSX
    assert warnings_of(run2) == []
    assert run2.counts["organisations"] == {"matched": 1, "created": 0}
    importing.start_import(actor=secretariat, run=run2)
    commitments = Commitment.objects.filter(programme=programme)
    assert commitments.count() == 2
    first = commitments.get(provenance__external_id="REG-0042")
    assert first.organisation == commitments.get(provenance__external_id="REG-0043").organisation
    assert (first.organisation.country_id, first.organisation.category) == ("HN", "civil_society")
    assert sorted(c.iso2 for c in first.countries.all()) == ["HN", "NI", "SV"]
    assert [(str(m.due_on), m.text) for m in first.milestones.all()] == [
        ("2026-06-30", "200 ha replanted"),
        ("2028-12-31", "500 ha replanted"),
    ]
    assert first.amount == Decimal("250000")
    assert first.report_history.get().reports_submitted is False


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"name,summary\nx,y\n", "neither those of the Pledgebook template"),
        ("a.csv", "title,organisation\nCaf\xe9,x\n".encode("latin-1"), "not UTF-8"),
        ("a.xlsx", b"title,organisation\n", "named .xlsx but is not an XLSX"),
        ("a.jsonl", b'{"title": "x"}\nnot json\n', "Line 2 is not JSON"),
        ("a.pdf", b"%PDF-1.4", "Upload a .csv, .xlsx or .jsonl file"),
        ("a.csv", b"title,organisation\n", "no records"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_stored(
    programme, secretariat, name, data, message, settings
) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(secretariat, programme, SimpleUploadedFile(name, data))
    assert message in " ".join(refused.value.messages)
    assert ImportRun.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_mapping_can_be_changed_and_is_checked(programme, secretariat) -> None:
    run = upload(secretariat, programme, jsonl(ocean()))
    mapping = {**run.mapping, "description": "", "geographical_coverage": ""}
    with pytest.raises(ValidationError):
        importing.set_mapping(actor=secretariat, run=run, mapping={**mapping, "title": ""})
    with pytest.raises(ValidationError):
        importing.set_mapping(actor=secretariat, run=run, mapping={**mapping, "url": "title"})
    run = importing.set_mapping(actor=secretariat, run=run, mapping=mapping, fallback_country=None)
    importing.start_import(actor=secretariat, run=run)
    assert Commitment.objects.get().description == ""


def test_all_or_nothing_a_failure_imports_nothing(programme, secretariat) -> None:
    matched = factories.OrganisationFactory(name="Matched Trust", country_id="FJ")
    run = upload(
        secretariat,
        programme,
        jsonl(
            ocean(),
            ocean(ocean_action_id="#OceanAction2", lead_entity="Matched Trust"),
        ),
    )
    assert sorted(run.decisions.values_list("action", flat=True)) == ["create", "match"]
    before = (Commitment.objects.count(), Organisation.objects.count())
    matched.delete()  # after the preview, before the import
    run = importing.start_import(actor=secretariat, run=run)
    assert run.status == ImportRun.Status.FAILED
    assert "Organisations matched in the preview no longer exist (Matched Trust)" in run.error
    assert (Commitment.objects.count(), Organisation.objects.count()) == (before[0], before[1] - 1)
    assert not Organisation.objects.filter(name="Pacific Clean Seas (PCS)").exists()
    assert Provenance.objects.count() == Milestone.objects.count() == 0
    # The failed import is corrected and started again.
    decision = run.decisions.get(name="Matched Trust")
    importing.change_decision(actor=secretariat, decision=decision, organisation=None)
    run = importing.start_import(actor=secretariat, run=run)
    assert run.status == ImportRun.Status.IMPORTED
    assert Commitment.objects.count() == before[0] + 2


def test_a_second_import_of_the_same_records_sets_them_aside(programme, secretariat) -> None:
    importing.start_import(actor=secretariat, run=upload(secretariat, programme, jsonl(ocean())))
    run = upload(secretariat, programme, jsonl(ocean(), ocean(ocean_action_id="#OceanAction1")))
    assert [r["set_aside"] for r in run.rows] == ["already_imported", "already_imported"]
    with pytest.raises(ValidationError):
        importing.start_import(actor=secretariat, run=run)
    assert Commitment.objects.count() == 1


def test_repeated_identifier_in_one_file_is_set_aside(programme, secretariat) -> None:
    run = upload(secretariat, programme, jsonl(ocean(), ocean(title="Other")))
    assert [(r["row"], r["set_aside"]) for r in run.rows] == [(1, ""), (2, "repeated_id")]


def test_no_fallback_country_stops_the_import_with_a_message(programme, secretariat) -> None:
    run = upload(secretariat, programme, jsonl(ocean(headquarters=None, countries=[])), None)
    with pytest.raises(ValidationError) as refused:
        importing.start_import(actor=secretariat, run=run)
    assert "1 organisations to create have no country" in refused.value.messages[0]
    assert Commitment.objects.count() == 0


def test_only_the_secretariat_may_import(programme, secretariat) -> None:
    reviewer = factories.staff(programme, "reviewer")
    other = factories.staff(factories.ProgrammeFactory())
    for actor in (reviewer, other, factories.UserFactory()):
        with pytest.raises(PermissionDenied):
            upload(actor, programme, jsonl(ocean()))
    assert ImportRun.objects.count() == 0
    run = upload(secretariat, programme, jsonl(ocean()))
    with pytest.raises(PermissionDenied):
        importing.start_import(actor=reviewer, run=run)
    assert Commitment.objects.count() == 0


@pytest.mark.skipif(not OCEAN_FILE.exists(), reason="no real data here")
def test_a_fixed_300_record_slice_of_the_real_registry(
    programme, secretariat, database_tasks
) -> None:
    """Tasks queued in the database as in production: the import is run here as the worker
    would; the texts' indexing stays queued (embedding 300 texts is the worker's)."""
    for name in OCEAN_THEMES:
        factories.ThemeFactory(programme=programme, name=name)
    lines = OCEAN_FILE.read_bytes().splitlines()[:300]
    file = SimpleUploadedFile("ocean300.jsonl", b"\n".join(lines))
    run = upload(secretariat, programme, file, "US")
    run = importing.start_import(actor=secretariat, run=run)
    assert run.status == ImportRun.Status.QUEUED
    run = importing.run_import(run.pk)
    assert run.status == ImportRun.Status.IMPORTED
    # The duplicates finder's index: every imported commitment queued with the import.
    assert IndexRequest.objects.filter(kind="commitment", done_at=None).count() == 300
    assert run.counts == {
        "records": 300,
        "accepted": 300,
        "imported": 300,
        "set_aside": {},
        "organisations": {"created": 257, "matched": 0},
        "records_with_warnings": 256,
        "warnings": {
            "amounts_summed": 6,
            "money_as_text": 61,
            "not_a_country": 57,
            "organisation_country_inferred": 43,
            "organisation_country_unknown": 128,
            "partner_is_lead": 39,
            "placeholder_date": 291,
            "truncated": 7,
            "type_differs": 5,
            "type_note": 8,
        },
        "warnings_by_column": {
            "amounts_summed: resources": 6,
            "money_as_text: resources": 61,
            "not_a_country: countries": 45,
            "not_a_country: headquarters": 12,
            "organisation_country_inferred: headquarters": 43,
            "organisation_country_unknown: headquarters": 128,
            "partner_is_lead: partners": 39,
            "placeholder_date: completion_date": 71,
            "placeholder_date: deliverables": 163,
            "placeholder_date: start_date": 57,
            "truncated: lead_entity": 7,
            "type_differs: entity_type": 5,
            "type_note: entity_type": 8,
        },
    }
    records = [json.loads(line) for line in lines]
    # Counted from the file itself, independently of the importer.
    assert sum(r["start_date"] == "01 January 1970" for r in records) == 57
    assert Commitment.objects.filter(programme=programme).count() == 300
    assert Milestone.objects.count() == sum(len(r["deliverables"] or []) for r in records)
    assert ReportHistory.objects.filter(reports_submitted=True).count() == sum(
        r["progress_reports_submitted"] for r in records
    )
    leads = {" ".join(r["lead_entity"].split())[:200].rstrip() for r in records}
    # Variants of one name ("Government of Canada," and "Government of Canada") are one.
    assert set(Organisation.objects.values_list("name", flat=True)) <= leads
    assert (len(leads), Organisation.objects.count()) == (259, 257)
