"""The import's preview says which records may be one initiative before anything is stored:
titles shared in the file, and titles a commitment of the network already has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from pledgebook.registry import titles
from tests import factories
from tests.registry.test_importing import jsonl, ocean, upload

pytestmark = pytest.mark.django_db


def test_titles_compare_folded() -> None:
    assert titles.title_key("Blue  Schools: Portugal!") == titles.title_key("blue schools portugal")
    assert titles.title_key("Écoles bleues") == titles.title_key("ecoles BLEUES")
    assert titles.title_key("Blue Schools") != titles.title_key("Blue Schools 2")


def test_rows_sharing_a_title_name_each_other() -> None:
    rows = [
        {"row": 1, "title": "Blue Schools", "set_aside": ""},
        {"row": 2, "title": "Clean beaches", "set_aside": ""},
        {"row": 3, "title": "BLUE schools.", "set_aside": ""},
        {"row": 4, "title": "Blue Schools", "set_aside": "already_imported"},
    ]
    assert titles.same_title_rows(rows) == {1: [3], 3: [1]}


def test_the_preview_says_which_records_may_be_one_initiative(client, programme) -> None:
    secretariat = factories.staff(programme)
    other = factories.CommitmentFactory(
        programme=programme, title="Clean Beaches of Fiji", status="confirmed"
    )
    factories.CommitmentFactory(programme=programme, title="Blue Schools", status="draft")
    accented = factories.CommitmentFactory(
        programme=programme, title="Écoles bleues", status="submitted"
    )
    run = upload(
        secretariat,
        programme,
        jsonl(
            ocean(ocean_action_id="#OceanAction1", title="Blue schools", description="A."),
            ocean(ocean_action_id="#OceanAction2", title="Blue Schools!", description="B."),
            ocean(ocean_action_id="#OceanAction3", title="clean beaches of fiji", description="C."),
            ocean(ocean_action_id="#OceanAction4", title="Mangroves of Suva", description="D."),
            ocean(ocean_action_id="#OceanAction5", title="Écoles bleues", description="E."),
        ),
    )
    client.force_login(secretariat)
    page = client.get(reverse("console:registry_import_preview", args=[programme.slug, run.pk]))
    html = page.content.decode()
    assert "Same title as rows 2: possibly one initiative" in html
    assert "Same title as rows 1: possibly one initiative" in html
    # The draft is nobody's business; the confirmed commitment is named with a link.
    assert html.count("Same title as a commitment already registered") == 2
    assert reverse("console:commitment", args=[programme.slug, other.pk]) in html
    assert reverse("console:commitment", args=[programme.slug, accented.pk]) in html
    assert "Mangroves of Suva" in html  # it has warnings (placeholder dates): still listed
    assert Commitment.objects.count() == 3  # nothing stored by the preview
