"""The commitment directory: filters, errors at the field, pagination, downloads, HTMX."""

import datetime as dt
import re

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from pledgebook.commitments.filters import CommitmentFilter, public_commitments
from pledgebook.commitments.models import Commitment
from pledgebook.core import exports, pagination
from pledgebook.public import views
from pledgebook.public.views import _with_row_relations
from pledgebook.reference.models import Country
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("public:directory")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def shown(response) -> list[int]:
    return [c.pk for c in response.context["page_obj"].object_list]


def test_directory_lists_public_commitments_with_their_facts(client, theme):
    c = commitment_in(theme, title="Safe cities for women and girls")
    c.countries.set(Country.objects.filter(iso2__in=["KE", "UG"]))
    c.types.set(theme.programme.commitment_types.filter(code__in=["policy", "advocacy"]))
    commitment_in(theme, status=Commitment.Status.DRAFT, title="Secret draft")

    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert shown(response) == [c.pk]
    assertContains(response, "1 commitment found.")
    link = f'<a href="{c.get_absolute_url()}">Safe cities for women and girls</a>'
    assertContains(response, f'<th scope="row">{link}</th>', html=True)
    assertContains(response, f'<a href="{c.organisation.get_absolute_url()}">')
    assertContains(response, f'<a href="{theme.programme.get_absolute_url()}">')
    assertContains(response, '<td data-label="Types">Advocacy, Policy</td>', html=True)
    assertContains(response, "Kenya, Uganda")
    assertContains(response, '<span class="badge">Confirmed</span>', html=True)
    assertNotContains(response, "Secret draft")


def test_filter_form_is_a_labelled_get_form(client, theme):
    response = client.get(DIRECTORY)
    assertContains(response, f'<form method="get" action="{DIRECTORY}"')
    for name in response.context["form"].fields:
        assertContains(response, f'<label for="id_{name}">')
    assertContains(response, '<input type="search" name="q" id="id_q">', html=True)
    # Look-alike themes are told apart by their programme.
    assertContains(
        response,
        f'<option value="{theme.pk}">{theme.programme.name}: {theme.name}</option>',
        html=True,
    )


def test_search_and_filters_narrow_the_rows(client, theme):
    kenya = commitment_in(theme, title="Solar clinics in Kenya")
    mexico = commitment_in(theme, title="Solar schools in Mexico")
    mexico.countries.set(Country.objects.filter(iso2="MX"))
    commitment_in(theme, title="Water for all")

    assert set(shown(client.get(DIRECTORY, {"q": "solar"}))) == {kenya.pk, mexico.pk}
    assert shown(client.get(DIRECTORY, {"q": "solar", "country": "MX"})) == [mexico.pk]
    assert shown(client.get(DIRECTORY, {"q": "solar", "region": "002"})) == [kenya.pk]
    response = client.get(DIRECTORY, {"q": "nothing-like-this"})
    assertContains(response, "0 commitments found.")
    assertContains(response, "No commitment matches these filters.")


@pytest.mark.parametrize(
    ("param", "value"),
    [("country", "ZZ"), ("sdg", "99"), ("status", "draft"), ("theme", "not-a-number")],
)
def test_invalid_filter_value_shows_the_error_at_its_field(client, theme, param, value):
    commitment_in(theme)

    response = client.get(DIRECTORY, {param: value, "q": "train"})

    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert list(response.context["form"].errors) == [param]
    assertContains(response, f'<ul class="errorlist" id="id_{param}_error">')
    assertContains(response, f'aria-describedby="id_{param}_error"')
    assertContains(response, 'aria-invalid="true"', count=1)
    assertContains(response, f'<a href="#id_{param}">')  # the error summary links to it
    assertContains(response, "Correct the filters marked in the form to see the commitments.")
    # What was typed is kept.
    assertContains(response, 'value="train"')
    assertNotContains(response, "Download these commitments")


def test_pages_of_25_keep_the_query_string(client, theme):
    made = [commitment_in(theme).pk for _ in range(27)]

    first = client.get(DIRECTORY, {"q": "train", "programme": "", "country": "KE"})
    second = client.get(DIRECTORY, {"q": "train", "country": "KE", "page": "2"})

    assert len(shown(first)) == 25
    assert len(shown(second)) == 2
    assert set(shown(first)) | set(shown(second)) == set(made)
    assertContains(first, "27 commitments found.")
    assertContains(first, 'href="?q=train&amp;country=KE&amp;page=2" rel="next"')
    assertContains(second, 'href="?q=train&amp;country=KE&amp;page=1" rel="prev"')
    assertContains(second, "Page 2 of 2")


def test_out_of_range_page_shows_the_last_page(client, theme):
    commitment_in(theme)
    response = client.get(DIRECTORY, {"page": "9"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_download_links_carry_the_filters(client, theme):
    commitment_in(theme)
    exporters = exports.available(None, subject="commitments")
    assert exporters, "no commitment exporter registered"

    response = client.get(DIRECTORY, {"q": "train", "country": "KE", "page": "1"})

    for exporter in exporters:
        href = reverse("api:export", kwargs={"identifier": exporter.identifier})
        assertContains(response, f'<a href="{href}?q=train&amp;country=KE" download>')
        assertContains(response, str(exporter.verbose_name))


def test_htmx_request_gets_the_results_region_only(client, theme):
    c = commitment_in(theme)

    response = client.get(DIRECTORY, {"country": "KE"}, **HTMX)

    assert response.status_code == 200
    assertTemplateUsed(response, "public/_directory_results.html")
    assertNotContains(response, "<html")
    assertNotContains(response, "<form")
    assertContains(response, "1 commitment found.")
    assertContains(response, c.get_absolute_url())
    assert "HX-Request" in response["Vary"]


def test_htmx_request_with_an_invalid_filter_replaces_the_form_too(client, theme):
    response = client.get(DIRECTORY, {"country": "ZZ"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#directory"
    assert response["HX-Reswap"] == "innerHTML"
    assertNotContains(response, "<html")
    assertContains(response, '<ul class="errorlist" id="id_country_error">')
    assertContains(response, 'hx-target="#directory"')


def test_htmx_history_restore_gets_the_whole_page(client, theme):
    response = client.get(
        DIRECTORY, {"country": "KE"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assertContains(response, "<html")
    assertContains(response, "<form")


def test_form_drives_htmx_and_still_works_without_it(client, theme):
    response = client.get(DIRECTORY)
    assertContains(response, f'hx-get="{DIRECTORY}" hx-target="#results"')
    assertContains(response, 'hx-push-url="true"')
    assertContains(response, '<section id="results" aria-labelledby="h-results">')
    assertContains(response, '<button type="submit">Show commitments</button>', html=True)


def test_unpublished_programme_is_neither_listed_nor_a_choice(client):
    hidden = factories.ThemeFactory(
        programme=factories.ProgrammeFactory(is_published=False, name="Secret forum")
    )
    commitment_in(hidden, title="Hidden pledge")
    response = client.get(DIRECTORY)
    assert shown(response) == []
    assertNotContains(response, "Secret forum")
    assertNotContains(response, "Hidden pledge")


# How the directory pages and renders (pledgebook/public/views.py, docs/BENCHMARKS.md) --------


def _expected_page(page: str, per_page: int):
    """The page Django's own Paginator gives over the directory's rows, in their order."""
    ordered = list(_with_row_relations(public_commitments()).values_list("pk", flat=True))
    return Paginator(ordered, per_page).get_page(page)


@pytest.mark.parametrize("one_pass_rows", [10_000, 3])
@pytest.mark.parametrize("page", ["", "1", "2", "4", "5", "99", "0", "-1", "two", "1.5"])
def test_page_and_total_are_those_of_the_paginator(client, theme, monkeypatch, one_pass_rows, page):
    # 9 rows, 2 a page: counted and paged in one query (up to ``one_pass_rows`` rows), or
    # counted, then paged, as Django's Paginator does.
    for day in range(9):
        commitment_in(theme, submitted_at=timezone.now() - dt.timedelta(days=day % 4))
    commitment_in(theme, status=Commitment.Status.DRAFT)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(pagination, "ONE_PASS_ROWS", one_pass_rows)
    monkeypatch.setattr(pagination, "EXPECTED_OVER", 10**9)  # counted, whatever is expected
    expected = _expected_page(page, 2)

    response = client.get(DIRECTORY, {"page": page})

    got = response.context["page_obj"]
    assert (got.number, got.paginator.count, got.paginator.num_pages) == (expected.number, 9, 5)
    assert shown(response) == list(expected.object_list)


def test_a_set_the_planner_expects_large_says_about_how_many_and_pages_in_order(
    client, theme, monkeypatch
):
    """On PostgreSQL a set expected larger than one pass pages is not counted: the page says
    about how many (the estimate, rounded), pages in the list's order, has no last page
    number, and a page past the real end says so."""
    from django.db import connection

    if not pagination.estimates(connection.vendor):
        pytest.skip("the planner's estimate is PostgreSQL's")
    for day in range(5):
        commitment_in(theme, submitted_at=timezone.now() - dt.timedelta(days=day))
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    exact = [shown(client.get(DIRECTORY, {"page": n})) for n in (1, 2, 3)]
    monkeypatch.setattr(pagination, "_expected_rows", lambda connection, queryset: 123_456.0)

    first = client.get(DIRECTORY)
    assert first.context["page_obj"].paginator.estimated
    assertContains(first, "About 120,000 commitments found: add a word or a filter")
    assertNotContains(first, "Page 1 of")
    assertContains(first, "Page 1")
    assert [shown(client.get(DIRECTORY, {"page": n})) for n in (1, 2, 3)] == exact
    past = client.get(DIRECTORY, {"page": 4})
    assert shown(past) == []
    assertContains(past, "No more commitments: this page is past the last one.")
    assertNotContains(past, "No commitment matches these filters")


def test_no_rows_is_one_empty_page(client, theme):
    response = client.get(DIRECTORY, {"q": "nothing-like-this", "page": "3"})
    page = response.context["page_obj"]
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


@pytest.mark.parametrize("name", ["country", "region"])
def test_countries_and_regions_are_offered_as_their_model_choice_field_would(client, name):
    response = client.get(DIRECTORY)
    field = CommitmentFilter().form.fields[name]
    expected = [("", "Any")] + [(o.pk, str(o)) for o in field.queryset]
    assert list(response.context["form"].fields[name].widget.choices) == expected


def test_with_a_programme_chosen_the_category_filter_offers_the_categories_it_shows(client, theme):
    programme = theme.programme
    programme.stakeholder_categories = ["member_state", "women"]
    programme.save()
    radio = commitment_in(
        theme, organisation=factories.OrganisationFactory(category="media"), title="Radio"
    )

    def options(response) -> list[str]:
        html = response.content.decode()
        select = html[html.index('<select name="category"') :]
        return re.findall(r'<option value="([^"]*)"', select[: select.index("</select>")])

    assert len(options(client.get(DIRECTORY))) == 26  # "Any" and every category
    chosen = client.get(DIRECTORY, {"programme": programme.slug})
    assert options(chosen) == ["", "member_state", "women"]
    assertContains(chosen, '<optgroup label="Governments and public authorities">')
    # A category it does not show is still accepted, and offered once chosen.
    outside = client.get(DIRECTORY, {"programme": programme.slug, "category": "media"})
    assert shown(outside) == [radio.pk]
    assert options(outside) == ["", "member_state", "women", "media"]
