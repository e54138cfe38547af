"""The console's import of commitments: upload → mapping → preview with decisions → import as a
task with progress → report; a bad file on the upload page with nothing kept; only the
programme's secretariat."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from pledgebook.registry.models import ImportRun, OrganisationDecision
from tests import factories
from tests.registry.test_importing import jsonl, ocean

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(programme: Any) -> Any:
    return factories.staff(programme)


def url(name: str, programme: Any, *args: Any) -> str:
    return reverse(f"console:{name}", args=[programme.slug, *args])


def test_the_whole_journey_in_the_console(client, programme, secretariat) -> None:
    existing = factories.OrganisationFactory(name="Fiji Reef Trust", country_id="FJ")
    client.force_login(secretariat)
    page = client.get(url("registry_import", programme))
    assert page.status_code == 200
    template = client.get(url("registry_import_template", programme))
    assert template.content.decode().splitlines()[0].startswith("title,description,external id")
    response = client.post(
        url("registry_import", programme),
        {
            "file": jsonl(
                ocean(lead_entity="Fiji Reef Trust"),
                ocean(ocean_action_id="#OceanAction2", title=""),
            ),
            "fallback_country": "FR",
        },
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("registry_import_mapping", programme, run.pk)
    mapping = client.get(response["Location"])
    text = mapping.content.decode()
    # Every column is named, with what becomes of it, including those not imported.
    for column in run.columns:
        assert f"<code>{column}</code>" in text
    assert "the registry&#x27;s own SMART flag" in text
    # The maker keeps the description out.
    data = {f"column_{i}": run.mapping[c] for i, c in enumerate(run.columns)}
    data[f"column_{run.columns.index('description')}"] = ""
    data["fallback_country"] = "FR"
    response = client.post(url("registry_import_mapping", programme, run.pk), data)
    assert response["Location"] == url("registry_import_preview", programme, run.pk)
    preview = client.get(response["Location"]).content.decode()
    assert "2 records: 1 to import (1 with warnings); organisations: 1 matched, 0 to create." in (
        preview
    )
    assert "Set aside: no title" in preview
    assert "<code>start_date</code>: 1970-01-01 is the registry&#x27;s placeholder" in preview
    assert "Matched to Fiji Reef Trust (score 100, same name)" in preview
    # The match is changed before the import: created instead.
    decision = OrganisationDecision.objects.get()
    client.post(
        url("registry_import_decide", programme, run.pk, decision.pk), {"organisation": "create"}
    )
    decision.refresh_from_db()
    assert (decision.action, decision.changed_by) == ("create", secretariat)
    client.post(
        url("registry_import_decide", programme, run.pk, decision.pk),
        {"organisation": str(existing.pk)},
    )
    decision.refresh_from_db()
    assert (decision.action, decision.organisation) == ("match", existing)
    response = client.post(url("registry_import_start", programme, run.pk))
    assert response["Location"] == url("registry_import_preview", programme, run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    commitment = Commitment.objects.get()
    assert (commitment.organisation, commitment.description) == (existing, "")
    status = client.get(url("registry_import_status", programme, run.pk), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    report = client.get(url("registry_import_report", programme, run.pk))
    lines = list(csv.reader(io.StringIO(report.content.decode())))
    assert lines[0][:5] == ["row", "external id", "title", "outcome", "reason"]
    assert lines[1][:8] == [
        "1",
        "#OceanAction1",
        "Clean beaches of Fiji",
        "imported",
        "",
        str(commitment.pk),
        "Fiji Reef Trust",
        "matched (chosen by the secretariat)",
    ]
    assert lines[2][:5] == ["2", "#OceanAction2", "", "set aside", "no title"]


def test_a_bad_file_is_shown_on_the_upload_page_and_nothing_kept(
    client, programme, secretariat
) -> None:
    client.force_login(secretariat)
    response = client.post(
        url("registry_import", programme),
        {"file": SimpleUploadedFile("x.csv", b"name,summary\na,b\n")},
    )
    assert response.status_code == 400
    assert "neither those of the Pledgebook template" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_wrong_mapping_is_refused_on_the_mapping_page(client, programme, secretariat) -> None:
    client.force_login(secretariat)
    client.post(url("registry_import", programme), {"file": jsonl(ocean()), "fallback_country": ""})
    run = ImportRun.objects.get()
    data = {f"column_{i}": run.mapping[c] for i, c in enumerate(run.columns)}
    data[f"column_{run.columns.index('title')}"] = ""
    response = client.post(url("registry_import_mapping", programme, run.pk), data)
    assert response.status_code == 400
    assert "No column becomes" in response.content.decode()
    run.refresh_from_db()
    assert run.mapping["title"] == "title"


@pytest.mark.parametrize("who", ["reviewer", "other_secretariat", "stranger"])
def test_others_are_denied_and_nothing_changes(client, programme, secretariat, who) -> None:
    run_client = client
    run_client.force_login(secretariat)
    run_client.post(
        url("registry_import", programme), {"file": jsonl(ocean()), "fallback_country": "FR"}
    )
    run = ImportRun.objects.get()
    decision = run.decisions.get()
    actor = {
        "reviewer": lambda: factories.staff(programme, "reviewer"),
        "other_secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
        "stranger": factories.UserFactory,
    }[who]()
    client.force_login(actor)
    for name, args in [
        ("registry_import", ()),
        ("registry_import_template", ()),
        ("registry_import_mapping", (run.pk,)),
        ("registry_import_preview", (run.pk,)),
        ("registry_import_status", (run.pk,)),
        ("registry_import_report", (run.pk,)),
    ]:
        assert client.get(url(name, programme, *args)).status_code == 403
    assert (
        client.post(url("registry_import", programme), {"file": jsonl(ocean())}).status_code == 403
    )
    assert client.post(url("registry_import_start", programme, run.pk)).status_code == 403
    assert (
        client.post(
            url("registry_import_decide", programme, run.pk, decision.pk),
            {"organisation": "create"},
        ).status_code
        == 403
    )
    run.refresh_from_db()
    assert (run.status, ImportRun.objects.count(), Commitment.objects.count()) == (
        "preview",
        1,
        0,
    )


def test_a_run_of_another_programme_is_404(client, programme, secretariat) -> None:
    other = factories.ProgrammeFactory()
    other_secretariat = factories.staff(other)
    client.force_login(other_secretariat)
    client.post(url("registry_import", other), {"file": jsonl(ocean()), "fallback_country": "FR"})
    run = ImportRun.objects.get()
    client.force_login(secretariat)
    assert client.get(url("registry_import_preview", programme, run.pk)).status_code == 404
    assert client.post(url("registry_import_start", programme, run.pk)).status_code == 404
    run.refresh_from_db()
    assert run.status == "preview"
