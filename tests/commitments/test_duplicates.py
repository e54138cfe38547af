"""Similar commitments (commitments.duplicates): indexed through the similarity backlog when a
commitment changes, found across the programme's network with a score and reasons, never
itself, never one already linked with it, never a draft or another's unpublished one."""

import datetime as dt

import pytest

from pledgebook.coalitions.models import CoalitionSettings
from pledgebook.commitments import domain, duplicates, initiatives
from pledgebook.commitments.models import Commitment
from pledgebook.organisations.models import Representative
from pledgebook.similarity import backlog, engine
from pledgebook.similarity.models import IndexRequest, Vector
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

REEF = (
    "Coral reef restoration in Fiji",
    "Coastal villages will grow coral in nurseries and replant 40 hectares of damaged reef "
    "around Viti Levu by 2028, with divers trained from the villages.",
)
SOLAR = (
    "Solar power for rural clinics in Kenya",
    "We will equip 120 rural health clinics with solar panels and batteries so that vaccines "
    "stay cold and births are attended at night.",
)


def indexed(*commitments: Commitment) -> None:
    """As the product does it: the change's hook marks them, the background batch embeds."""
    duplicates.reindex(commitment_ids=[c.pk for c in commitments])
    result = backlog.run_batch()
    assert result.remaining == 0


def org(name: str):
    """Organisations named apart (the factory's "Organisation 12" and "Organisation 13" are one
    organisation to the pair scorer's fuzzy match of names)."""
    return factories.OrganisationFactory(name=name)


@pytest.fixture
def registered(theme):
    reef = commitment_in(
        theme, title=REEF[0], description=REEF[1], organisation=org("Fiji Reef Villages")
    )
    solar = commitment_in(
        theme,
        title=SOLAR[0],
        description=SOLAR[1],
        organisation=org("Kenya Off-Grid Health Alliance"),
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2029, 6, 30),
    )
    indexed(reef, solar)
    return reef, solar


def test_saving_a_draft_queues_it_for_the_index(member, theme):
    organisation = Representative.objects.get(user=member).organisation
    draft = Commitment(programme=theme.programme, organisation=organisation, title=REEF[0])
    domain.save_draft(actor=member, commitment=draft, themes=[theme])
    # The change marked it in the backlog and queued a batch (the tests' task backend runs it
    # at once: the backlog is empty again and the vector is the text's).
    assert IndexRequest.objects.count() == 0
    stored = Vector.objects.get(kind="commitment", object_id=draft.pk)
    assert stored.text_digest == engine.digest(REEF[0])
    draft.description = REEF[1]
    domain.save_draft(actor=member, commitment=draft, themes=[theme])
    stored = Vector.objects.get(kind="commitment", object_id=draft.pk)
    assert stored.text_digest == engine.digest(f"{REEF[0]}\n{REEF[1]}")


def test_a_near_copy_finds_the_registered_commitment_with_reasons(registered, theme):
    reef, _solar = registered
    copy = commitment_in(
        theme,
        title="Restoring coral reefs in Fiji",
        description=REEF[1],
        status=Commitment.Status.IN_REVIEW,
        organisation=org("Coral Gardeners of Viti Levu"),
    )
    indexed(copy)
    found = duplicates.similar_commitments(copy, k=5)
    assert [s.commitment for s in found] == [reef]
    (s,) = found
    assert s.label == "same"
    assert s.reasons[0] == "nearly the same title"
    assert "the same description" in s.reasons


def test_a_draft_being_typed_is_compared_without_being_stored(registered, theme):
    reef, _solar = registered
    vectors = Vector.objects.count()
    found = duplicates.similar_to_draft(
        programme=theme.programme,
        organisation=factories.OrganisationFactory(),
        title="Coral reef restoration in Fiji",
        description=REEF[1],
    )
    assert [s.commitment for s in found] == [reef]
    assert found[0].reasons[0] == "same title"
    assert Vector.objects.count() == vectors
    assert duplicates.similar_to_draft(programme=theme.programme, title=" ") == []


def test_itself_and_linked_ones_are_never_suggested(registered, theme, programme):
    reef, _solar = registered
    copy = commitment_in(
        theme,
        title="Restoring coral reefs in Fiji",
        description=REEF[1],
        organisation=org("Coral Gardeners of Viti Levu"),
    )
    indexed(copy)
    assert [s.commitment for s in duplicates.similar_commitments(reef)] == [copy]
    initiatives.link(actor=factories.staff(programme), commitment=copy, other=reef)
    assert duplicates.similar_commitments(reef) == []
    assert duplicates.similar_commitments(copy) == []


def test_drafts_and_others_unpublished_ones_are_not_shown_to_a_maker(theme):
    draft = commitment_in(theme, title=REEF[0], description=REEF[1], status="draft")
    in_review = commitment_in(theme, title=REEF[0], description=REEF[1], status="in_review")
    indexed(draft, in_review)
    maker_sees = duplicates.similar_to_draft(
        programme=theme.programme,
        organisation=factories.OrganisationFactory(),
        title=REEF[0],
        description=REEF[1],
    )
    assert maker_sees == []
    staff_sees = duplicates.similar_to_draft(
        programme=theme.programme, title=REEF[0], description=REEF[1], staff=True
    )
    assert [s.commitment for s in staff_sees] == [in_review]


def test_the_network_decides_which_programmes_are_searched(registered):
    reef, _solar = registered
    elsewhere = commitment_in(
        factories.ThemeFactory(),
        title="Restoring coral reefs in Fiji",
        description=REEF[1],
        organisation=org("Coral Gardeners of Viti Levu"),
    )
    indexed(elsewhere)
    assert [s.commitment for s in duplicates.similar_commitments(elsewhere)] == [reef]
    CoalitionSettings.objects.create(programme=elsewhere.programme, shares_network=False)
    assert duplicates.similar_commitments(elsewhere) == []


def test_a_deleted_commitment_loses_its_vector(registered):
    reef, _solar = registered
    pk = reef.pk
    reef.delete()
    duplicates.reindex(commitment_ids=[pk])  # nothing to queue: it is gone
    # What the index still holds is dropped when it is found gone.
    backlog.mark("commitment", [pk])
    backlog.run_batch()
    assert Vector.objects.filter(kind="commitment", object_id=pk).count() == 0
