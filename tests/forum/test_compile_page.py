"""The console's "Compile" button: the secretariat compiles; a reviewer is refused and nothing
is stored; recommendations the similarity engine has not read yet are left to it in the
background instead of keeping the editor waiting."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pledgebook.core.models import AuditEntry
from pledgebook.forum.domain import compile as compiling
from pledgebook.forum.models import CoChairsSummary, SessionSummary, SummaryVersion
from pledgebook.forum.similar import RECOMMENDATION_KIND, missing
from pledgebook.programmes.models import ProgrammeRole
from tests.factories import (
    EventFactory,
    RecommendationFactory,
    SessionFactory,
    SessionSummaryFactory,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory()
    summary = SessionSummaryFactory(
        session=SessionFactory(event=event),
        status=SessionSummary.Status.SUBMITTED,
        submitted_at=timezone.now(),
        key_messages="Finance must reach local organisations.",
    )
    RecommendationFactory(summary=summary, text="Open a window for grassroots finance.")
    return event


def _compile_url(event):
    return reverse("console:forum_cochairs_compile", args=[event.programme.slug, event.slug])


def test_the_secretariat_compiles_from_the_console(client, event):
    client.force_login(staff(event.programme))
    response = client.post(_compile_url(event), follow=True)
    assert "Version 1 compiled from the session summaries." in response.content.decode()
    summary = CoChairsSummary.objects.get(event=event)
    assert summary.versions.get().content["compiled_from"]["summaries"] == 1


def test_a_reviewer_is_refused_and_nothing_is_stored(client, event):
    client.force_login(staff(event.programme, ProgrammeRole.Role.REVIEWER))
    assert client.post(_compile_url(event)).status_code == 403
    assert not CoChairsSummary.objects.exists()
    assert not AuditEntry.objects.filter(action="cochairs_summary.compiled").exists()


def test_recommendations_not_read_yet_are_left_to_the_background(event):
    """Tests run tasks at once: the indexing queued by the refusal has run when it returns."""
    editor = staff(event.programme)
    items = [(r.pk, r.text) for r in event.sessions.get().summary.recommendations.all()]
    assert missing(RECOMMENDATION_KIND, items) == [items[0][0]]
    with pytest.raises(ValidationError) as refused:
        compiling.compile_draft(actor=editor, event=event, wait_for=0)
    assert "1 recommendations are still being read by the similarity engine" in str(refused.value)
    assert not SummaryVersion.objects.exists()
    assert missing(RECOMMENDATION_KIND, items) == []  # read in the background

    version = compiling.compile_draft(actor=editor, event=event, wait_for=0)

    assert version.number == 1
