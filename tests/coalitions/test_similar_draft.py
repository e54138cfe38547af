"""The "similar initiatives" panel while an expression of interest is being written: the EOI
form posts its unsaved fields to workspace:coalition_similar_draft (HTMX, after a pause in the
typing) and gets the panel back.  Nothing is saved or indexed; the request is limited per user;
without JavaScript the form shows the panel for what was saved.  Exact assertions."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.cache.backends.base import BaseCache
from django.urls import reverse

from pledgebook.coalitions.models import ExpressionOfInterest
from pledgebook.similarity import embedding
from pledgebook.similarity.models import Vector
from tests import factories
from tests.coalitions.helpers import make_coalition, make_eoi, org_of

pytestmark = pytest.mark.django_db

URL = "/workspace/coalitions/similar/"
PANEL = "workspace/coalitions/_suggestions_list.html"

REEF = {
    "title": "Coral reef restoration in the Pacific",
    "principles": ("Healthy coral reefs protect island coasts",),
    "asks": ("Fund coral nurseries and reef replanting in Fiji and Samoa",),
}


def typed(programme: Any, organisation: Any = None, **fields: str) -> dict[str, Any]:
    data: dict[str, Any] = {"programme": programme.slug, "summary": ""}
    if organisation is not None:
        data["organisation"] = organisation.pk
    data.update(fields)
    return data


@pytest.fixture
def reef(programme, secretariat):
    """A live coalition of the programme, indexed as the product indexes it."""
    return make_coalition(programme, secretariat, **REEF)


def names(response) -> list[str]:
    return [s.name for s in response.context["suggestions"]]


def test_the_url_is_the_named_route():
    assert reverse("workspace:coalition_similar_draft") == URL


def test_typing_shows_a_similar_coalition_before_anything_is_saved(
    client, programme, proposer, reef
):
    eois, vectors = ExpressionOfInterest.objects.count(), Vector.objects.count()
    client.force_login(proposer)
    response = client.post(
        URL,
        typed(
            programme,
            org_of(proposer),
            title="Replanting corals on Pacific reefs",
            principles="Coral reefs shield small islands from storms",
            asks="Money for coral nurseries in Fiji",
        ),
    )
    assert response.status_code == 200
    assert response.templates[0].name == PANEL
    assert names(response) == [reef.name]
    (s,) = response.context["suggestions"]
    assert s.kind == "coalition"
    assert s.label == "same"
    assert s.reasons[0] == "Close in meaning: possibly the same initiative"
    assert (
        s.reasons[1]
        == "Shared words in principles and asks: coral, reefs, nurseries, islands, fiji"
    )
    assert b"Coral reef restoration in the Pacific" in response.content
    # Nothing saved, nothing indexed.
    assert ExpressionOfInterest.objects.count() == eois
    assert Vector.objects.count() == vectors


def test_an_unrelated_draft_shows_nothing_close(client, programme, proposer, reef):
    client.force_login(proposer)
    response = client.post(
        URL,
        typed(
            programme,
            org_of(proposer),
            title="Free legal aid for tenants facing eviction",
            principles="Housing is a human right",
        ),
    )
    assert response.status_code == 200
    assert names(response) == []
    assert b"Nothing close in meaning found yet." in response.content
    assert reef.name.encode() not in response.content


def test_an_empty_draft_explains_the_panel_and_embeds_nothing(client, programme, proposer, reef):
    client.force_login(proposer)
    calls = embedding.stats.model_calls
    response = client.post(URL, typed(programme, org_of(proposer), title="  "))
    assert response.status_code == 200
    assert names(response) == []
    assert b"As you write the title, summary, principles and asks" in response.content
    assert embedding.stats.model_calls == calls


def test_an_edited_eoi_is_never_suggested_to_itself(client, programme, proposer, reef):
    mine = make_eoi(programme, proposer, **REEF)
    client.force_login(proposer)
    response = client.post(
        URL,
        typed(
            programme,
            eoi=str(mine.pk),
            **{
                "title": REEF["title"],
                "principles": REEF["principles"][0],
                "asks": REEF["asks"][0],
            },
        ),
    )
    assert response.status_code == 200
    assert names(response) == [reef.name]


def test_another_proposers_submitted_eoi_is_suggested(client, programme, proposer):
    other = make_eoi(programme, **REEF)
    client.force_login(proposer)
    response = client.post(
        URL,
        typed(programme, org_of(proposer), title=REEF["title"], principles=REEF["principles"][0]),
    )
    assert [(s.kind, s.obj.pk) for s in response.context["suggestions"]] == [("eoi", other.pk)]


def test_someone_elses_eoi_is_refused_and_nothing_changes(client, programme, proposer, reef):
    theirs = make_eoi(programme, submit=False, **REEF)
    before = (ExpressionOfInterest.objects.get(pk=theirs.pk).title, Vector.objects.count())
    client.force_login(proposer)
    response = client.post(URL, typed(programme, eoi=str(theirs.pk), title="Anything"))
    assert response.status_code == 403
    assert (ExpressionOfInterest.objects.get(pk=theirs.pk).title, Vector.objects.count()) == before


def test_a_person_without_an_organisation_is_refused(client, programme, stranger, reef):
    client.force_login(stranger)
    response = client.post(URL, typed(programme, title=REEF["title"]))
    assert response.status_code == 403


def test_signed_out_is_sent_to_sign_in(client, programme, reef):
    response = client.post(URL, typed(programme, title=REEF["title"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_post(client, proposer):
    client.force_login(proposer)
    assert client.get(URL).status_code == 405


def test_an_unpublished_programme_is_not_found(client, proposer):
    hidden = factories.ProgrammeFactory(is_published=False)
    client.force_login(proposer)
    assert client.post(URL, typed(hidden, title="x")).status_code == 404


def test_a_malformed_eoi_id_is_not_found(client, programme, proposer):
    client.force_login(proposer)
    assert client.post(URL, typed(programme, eoi="12x", title="x")).status_code == 404


def test_the_panel_is_limited_per_user_and_says_so(client, programme, proposer, reef, settings):
    settings.SIMILAR_DRAFT_RATE = "2/m"
    client.force_login(proposer)
    data = typed(programme, org_of(proposer), title=REEF["title"])
    assert [client.post(URL, data).status_code for _ in range(2)] == [200, 200]
    calls = embedding.stats.model_calls
    response = client.post(URL, data)
    assert response.status_code == 429
    assert b"The list is paused" in response.content
    assert embedding.stats.model_calls == calls  # nothing embedded over the limit
    # Another person has a limit of their own.
    other = factories.representative(factories.OrganisationFactory())
    client.force_login(other)
    assert client.post(URL, typed(programme, org_of(other), title=REEF["title"])).status_code == 200


class BrokenCache(BaseCache):
    """A cache whose server is down: every call fails."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache unreachable")

    add = get = set = incr = delete = get_many = _fail


def test_the_limit_fails_open_with_a_warning_when_the_cache_is_down(
    client, programme, proposer, reef, settings, caplog
):
    client.force_login(proposer)  # the session is in the database, not the cache
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}
    with caplog.at_level(logging.WARNING, logger="pledgebook.workspace.views_coalitions"):
        response = client.post(URL, typed(programme, org_of(proposer), **{"title": REEF["title"]}))
    assert response.status_code == 200
    assert names(response) == [reef.name]
    assert [r.getMessage() for r in caplog.records] == [
        "similar-draft rate limit not counted: the cache failed"
    ]


# The form: live attributes, and the panel without JavaScript ----------------------------------


def test_the_new_form_carries_the_live_panel(client, programme, proposer):
    client.force_login(proposer)
    response = client.get(
        reverse("workspace:coalition_eoi_create") + f"?programme={programme.slug}"
    )
    html = response.content.decode()
    assert f'hx-post="{URL}"' in html
    assert 'hx-include="#eoi-form"' in html
    assert "input changed delay:800ms from:#id_title" in html
    assert "input changed delay:800ms from:#id_principles" in html
    assert 'id="similar-results" aria-live="polite"' in html
    assert "As you write the title, summary, principles and asks" in html


def test_without_javascript_the_saved_draft_shows_its_similar_initiatives(
    client, programme, proposer, reef
):
    mine = make_eoi(programme, proposer, submit=False, **REEF)
    client.force_login(proposer)
    response = client.get(reverse("workspace:coalition_eoi_edit", args=[mine.pk]))
    assert names(response) == [reef.name]
    assert f'hx-vals=\'{{"eoi": "{mine.pk}"}}\'' in response.content.decode()


def test_a_refused_save_shows_the_panel_for_what_was_typed(client, programme, proposer, reef):
    eois = ExpressionOfInterest.objects.count()
    client.force_login(proposer)
    response = client.post(
        reverse("workspace:coalition_eoi_create") + f"?programme={programme.slug}",
        {
            **typed(programme, org_of(proposer), title="", principles=REEF["principles"][0]),
            "asks": REEF["asks"][0],
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
            "save": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert names(response) == [reef.name]
    assert ExpressionOfInterest.objects.count() == eois


# The saved EOI's page: labels that mean what they say ----------------------------------------


def test_an_unrelated_proposal_is_not_called_possibly_the_same(client, programme, proposer):
    """Both are ocean proposals, with different aims: before calibration every such pair scored
    above the raw 0.87 of "possibly the same initiative"."""
    make_eoi(
        programme,
        title="Port waste reception for ships in the Baltic",
        principles=("Ships must land their garbage in port",),
        asks=("Fund waste reception facilities in small Estonian ports",),
    )
    mine = make_eoi(programme, proposer, **REEF)
    client.force_login(proposer)
    response = client.get(reverse("workspace:coalition_eoi", args=[mine.pk]))
    assert response.context["suggestions"] == []
    assert b"possibly the same initiative" not in response.content
    assert b"Nothing close in meaning found yet." in response.content


def test_a_shown_score_never_reads_above_its_label():
    from pledgebook.coalitions.similar import Suggestion

    s = Suggestion(kind="coalition", obj=None, score=0.5496)  # type: ignore[arg-type]
    assert s.label == "related"
    assert s.shown_score == 0.54
