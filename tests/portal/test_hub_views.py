"""The knowledge hub's pages: the workspace (write, save, submit, edit after return), the
console (review, publish, return) and the public hub and case study page.  Every action allowed
and denied (403/404, nothing changed); bad input shown at the field with what was typed kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.portal.hub import domain
from pledgebook.portal.models import CaseStudy
from pledgebook.reference.models import Goal
from tests.portal.factories_hub import TEXTS, draft, hub_world, published, submitted

pytestmark = pytest.mark.django_db
Status = CaseStudy.Status


@pytest.fixture
def world():
    return hub_world()


def client_of(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(world, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": world.organisation.pk,
        "programme": world.programme.pk,
        "title": "Guarantees that powered forty clinics",
        **TEXTS,
        "commitments": [world.commitment.pk],
        "indicator_values": [world.value.pk],
        "goals": ["3", "7"],
        "countries": ["KE"],
        "categories": ["private_sector"],
    }
    data.update(overrides)
    return data


def snapshot() -> list[dict[str, Any]]:
    return list(CaseStudy.objects.order_by("pk").values())


# Workspace ---------------------------------------------------------------------------------


def test_the_form_lists_only_ones_own_commitments_and_values(world):
    response = client_of(world.author).get(reverse("workspace:case_study_create"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Solar power for 40 rural clinics" in page
    assert "Clinics powered: 40 clinics (Annual report 2025)" in page
    assert "Wind for islands" not in page


def test_save_a_draft_then_submit(world):
    client = client_of(world.author)
    response = client.post(reverse("workspace:case_study_create"), form_data(world, save="1"))
    case_study = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:case_study_edit", args=[case_study.pk])
    assert case_study.status == Status.DRAFT
    assert list(case_study.indicator_values.all()) == [world.value]
    response = client.post(
        reverse("workspace:case_study_edit", args=[case_study.pk]), form_data(world, submit="1")
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED


def test_another_organisations_commitment_is_refused_at_the_field_nothing_lost(world):
    """A person who represents two organisations ticks the other one's commitment."""
    from pledgebook.organisations.models import Representative

    Representative.objects.create(organisation=world.other_organisation, user=world.author)
    response = client_of(world.author).post(
        reverse("workspace:case_study_create"),
        form_data(
            world,
            commitments=[world.commitment.pk, world.other_commitment.pk],
            title="Typed title kept",
            save="1",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["commitments"]
    assert form.errors["commitments"] == [
        "“Wind for islands” is not a public commitment of Sunline Energy (as lead or confirmed "
        "co-maker): a case study links only its own organisation's commitments."
    ]
    page = response.content.decode()
    assert 'value="Typed title kept"' in page
    assert TEXTS["approach"] in page
    assert CaseStudy.objects.count() == 0


def test_a_forged_commitment_id_is_refused_at_the_field(world):
    response = client_of(world.author).post(
        reverse("workspace:case_study_create"),
        form_data(world, commitments=[world.other_commitment.pk], indicator_values=[], save="1"),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["commitments"]
    assert CaseStudy.objects.count() == 0


def test_submitting_an_incomplete_case_study_keeps_the_draft_and_says_what_is_missing(world):
    response = client_of(world.author).post(
        reverse("workspace:case_study_create"),
        form_data(world, lessons="", goals=[], submit="1"),
    )
    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["goals", "lessons"]
    case_study = CaseStudy.objects.get()
    assert case_study.status == Status.DRAFT
    assert case_study.title == "Guarantees that powered forty clinics"
    # The page now posts to the saved draft: submitting again does not make a second one.
    assert f'action="/workspace/case-studies/{case_study.pk}/"' in response.content.decode()


def test_an_empty_title_is_refused_at_the_field(world):
    response = client_of(world.author).post(
        reverse("workspace:case_study_create"), form_data(world, title="", save="1")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["title"]
    assert CaseStudy.objects.count() == 0


def test_edit_after_return_shows_the_reason(world):
    case_study = submitted(world)
    domain.return_case_study(
        actor=world.secretariat, case_study=case_study, reason="Add the loan amounts."
    )
    client = client_of(world.author)
    page = client.get(reverse("workspace:case_study_edit", args=[case_study.pk]))
    assert "Add the loan amounts." in page.content.decode()
    response = client.post(
        reverse("workspace:case_study_edit", args=[case_study.pk]),
        form_data(world, results="Forty clinics; USD 2 million lent.", submit="1"),
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert (case_study.status, case_study.results) == (
        Status.SUBMITTED,
        "Forty clinics; USD 2 million lent.",
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("other_author", 404), ("stranger", 404), ("secretariat", 404), (None, 302)],
)
def test_someone_else_cannot_open_or_change_a_draft(world, persona, expected):
    case_study = draft(world)
    before = snapshot()
    client = client_of(getattr(world, persona) if persona else None)
    url = reverse("workspace:case_study_edit", args=[case_study.pk])
    assert client.get(url).status_code == expected
    response = client.post(url, form_data(world, title="Taken over", submit="1"))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot() == before


def test_a_submitted_case_study_cannot_be_changed_by_its_author(world):
    case_study = submitted(world)
    before = snapshot()
    client = client_of(world.author)
    url = reverse("workspace:case_study_edit", args=[case_study.pk])
    assert "cannot be changed meanwhile" in client.get(url).content.decode()
    assert client.post(url, form_data(world, title="Changed", save="1")).status_code == 403
    assert snapshot() == before


def test_writing_for_an_organisation_one_does_not_represent_is_refused(world):
    response = client_of(world.stranger).post(
        reverse("workspace:case_study_create"), form_data(world, save="1")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["organisation", "programme"]
    assert CaseStudy.objects.count() == 0


def test_my_case_studies_lists_only_mine(world):
    mine = draft(world)
    page = client_of(world.other_author).get(reverse("workspace:case_studies")).content.decode()
    assert mine.title not in page
    page = client_of(world.author).get(reverse("workspace:case_studies")).content.decode()
    assert mine.title in page


# Console -----------------------------------------------------------------------------------


def _console(world, name: str, case_study=None, programme=None) -> str:
    slug = (programme or world.programme).slug
    if case_study is None:
        return reverse(f"console:{name}", args=[slug])
    return reverse(f"console:{name}", args=[slug, case_study.pk])


def test_the_secretariat_sees_submitted_case_studies_with_their_reported_values(world):
    case_study = submitted(world)
    draft(world, title="A draft nobody else sees")
    page = client_of(world.secretariat).get(_console(world, "case_studies")).content.decode()
    assert case_study.title in page
    assert "A draft nobody else sees" not in page
    assert f'data-indicator-value="{world.value.pk}"' in page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("author", 403), ("stranger", 403), ("other_secretariat", 403), (None, 302)],
)
def test_only_the_programmes_secretariat_reviews(world, persona, expected):
    case_study = submitted(world)
    before = snapshot()
    entries = AuditEntry.objects.count()
    client = client_of(getattr(world, persona) if persona else None)
    assert client.get(_console(world, "case_studies")).status_code == expected
    publish = client.post(_console(world, "case_study_publish", case_study))
    back = client.post(_console(world, "case_study_return", case_study), {"reason": "No."})
    assert (publish.status_code, back.status_code) == (expected, expected)
    assert snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_a_case_study_of_another_programme_is_404_in_this_console(world):
    case_study = submitted(world)
    from pledgebook.programmes.models import ProgrammeRole

    ProgrammeRole.objects.create(
        programme=world.other_programme,
        user=world.secretariat,
        role=ProgrammeRole.Role.SECRETARIAT,
    )
    before = snapshot()
    client = client_of(world.secretariat)
    url = _console(world, "case_study_publish", case_study, programme=world.other_programme)
    assert client.post(url).status_code == 404
    assert snapshot() == before


def test_a_draft_is_404_in_the_console(world):
    case_study = draft(world)
    before = snapshot()
    assert (
        client_of(world.secretariat)
        .post(_console(world, "case_study_publish", case_study))
        .status_code
        == 404
    )
    assert snapshot() == before


def test_publish_and_return_from_the_console(world):
    case_study = submitted(world)
    client = client_of(world.secretariat)
    mail.outbox.clear()
    response = client.post(_console(world, "case_study_return", case_study), {"reason": ""})
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED  # a reason is required
    assert mail.outbox == []
    client.post(_console(world, "case_study_publish", case_study))
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert len(mail.outbox) == 1


# Public ------------------------------------------------------------------------------------


def test_the_public_page_shows_results_with_real_numbers(world):
    case_study = published(world)
    response = Client().get(case_study.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Solar power for 40 rural clinics" in page
    assert f'data-indicator-value="{world.value.pk}"' in page
    assert "Clinics powered" in page
    assert world.author.email not in page


@pytest.mark.parametrize("make", [draft, submitted])
def test_an_unpublished_case_study_is_404_to_the_public(world, make):
    case_study = make(world)
    assert Client().get(reverse("public:case_study", args=[case_study.pk])).status_code == 404


def test_the_hub_finds_by_words_and_filters_by_sdg_region_and_category(world):
    case_study = published(world)
    other = published(
        world,
        title="Youth climate network",
        summary="Young people map flood risks.",
        problem="Floods.",
        approach="Schools train volunteers.",
        results="Ten towns have a plan.",
        goals=list(Goal.objects.filter(number=13)),
    )
    url = reverse("public:knowledge")

    def found(**params: Any) -> list[int]:
        response = Client().get(url, params)
        assert response.status_code == 200
        return [cs.pk for cs in response.context["page_obj"].object_list]

    assert found() == [other.pk, case_study.pk]
    assert found(q="guarant") == [case_study.pk]
    assert found(q="guarantee nothing") == []
    assert found(sdg="7") == [case_study.pk]
    assert found(region="002") == [other.pk, case_study.pk]  # Kenya is in Africa
    assert found(region="150") == []
    assert found(category="private_sector") == [other.pk, case_study.pk]
    assert found(category="youth_led") == []


def test_a_bad_filter_is_shown_at_the_field(world):
    response = Client().get(reverse("public:knowledge"), {"sdg": "18"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["sdg"]


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_hub_and_the_api_make_as_many_queries_for_three_rows_as_for_one(world):
    published(world)
    one = (_queries(Client(), "/knowledge/"), _queries(Client(), "/api/v1/case-studies/"))
    published(world, title="Second")
    published(world, title="Third")
    assert CaseStudy.objects.published().count() == 3
    three = (_queries(Client(), "/knowledge/"), _queries(Client(), "/api/v1/case-studies/"))
    assert three == one


def test_a_bad_filter_asked_by_htmx_still_shows_its_error(world):
    response = Client().get(
        reverse("public:knowledge"),
        {"sdg": "18"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="case-studies",
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sdg"]
    assert "Some filters could not be used" in response.content.decode()
