"""One initiative, several registrations (commitments.initiatives): the secretariat links
duplicates with provenance, unlinks them, chooses the one that represents the initiative; a
refused change says why and changes nothing; two secretaries at once make one initiative."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from pledgebook.coalitions.models import CoalitionSettings
from pledgebook.coalitions.similar import network_programmes as coalition_network
from pledgebook.commitments import duplicates, initiatives
from pledgebook.commitments.models import Commitment, Initiative, Registration
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import Programme
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

MANGROVES = "Restore 5,000 hectares of mangroves in the Sundarbans"
MANGROVES_TEXT = (
    "Community groups will replant and protect mangrove forests along the coast of the "
    "Sundarbans, monitored by satellite each year until 2030."
)


@pytest.fixture
def secretary(programme):
    return factories.staff(programme)


@pytest.fixture
def pair(theme):
    first = commitment_in(
        theme,
        title=MANGROVES,
        description=MANGROVES_TEXT,
        organisation=factories.OrganisationFactory(name="Bangladesh Forest Department"),
    )
    second = commitment_in(
        theme,
        organisation=factories.OrganisationFactory(name="Sundarbans Community Trust"),
        title="Restoring 5,000 hectares of Sundarbans mangroves",
        description=MANGROVES_TEXT,
        status=Commitment.Status.IN_REVIEW,
    )
    return first, second


def state():
    return (
        list(
            Registration.objects.order_by("commitment_id").values_list(
                "initiative_id", "commitment_id", "is_primary", "linked_with_id", "note"
            )
        ),
        Initiative.objects.count(),
        AuditEntry.objects.filter(action__startswith="commitment.").count(),
        Commitment.objects.count(),
    )


def test_linking_two_registrations_keeps_both_with_provenance(pair, secretary):
    first, second = pair
    initiative = initiatives.link(
        actor=secretary, commitment=second, other=first, note="Same project, two partners"
    )
    rows = {r.commitment_id: r for r in Registration.objects.filter(initiative=initiative)}
    assert set(rows) == {first.pk, second.pk}
    mine = rows[second.pk]
    assert (mine.linked_with_id, mine.linked_by, mine.note) == (
        first.pk,
        secretary,
        "Same project, two partners",
    )
    assert rows[first.pk].linked_with_id == second.pk
    assert mine.score is not None and mine.score > 0.5  # similarity.duplicates.SAME_THRESHOLD
    # The score and reasons at the time are the pair scorer's (similarity.duplicates).
    assert (mine.score, mine.reasons) == duplicates.score_between(second, first)
    assert "nearly the same title" in mine.reasons
    assert Commitment.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    entries = AuditEntry.objects.filter(action="commitment.linked").order_by("object_id")
    assert [(e.object_id, e.actor, e.reason, e.data["with"]) for e in entries] == [
        (first.pk, secretary, "Same project, two partners", second.pk),
        (second.pk, secretary, "Same project, two partners", first.pk),
    ]


def test_a_third_registration_joins_the_initiative(pair, secretary, theme):
    first, second = pair
    initiative = initiatives.link(actor=secretary, commitment=second, other=first)
    third = commitment_in(theme, title="Sundarbans mangroves", description=MANGROVES_TEXT)
    assert initiatives.link(actor=secretary, commitment=third, other=second) == initiative
    assert sorted(initiative.registrations.values_list("commitment_id", flat=True)) == sorted(
        [first.pk, second.pk, third.pk]
    )
    assert [c.pk for c in initiatives.other_registrations(third, public_only=False)] == [
        first.pk,
        second.pk,
    ]


@pytest.mark.parametrize("case", ["self", "twice", "draft", "other initiative"])
def test_a_refused_link_says_why_and_changes_nothing(case, pair, secretary, theme):
    first, second = pair
    other = first
    if case == "self":
        other = second
    elif case == "twice":
        initiatives.link(actor=secretary, commitment=second, other=first)
    elif case == "draft":
        other = commitment_in(theme, title=MANGROVES, status=Commitment.Status.DRAFT)
    elif case == "other initiative":
        a, b = (commitment_in(theme, title=f"Other {i}") for i in range(2))
        initiatives.link(actor=secretary, commitment=a, other=second)
        initiatives.link(actor=secretary, commitment=b, other=first)
    before = state()
    with pytest.raises(ValidationError) as refused:
        initiatives.link(actor=secretary, commitment=second, other=other)
    assert state() == before
    expected = {
        "self": "A commitment cannot be linked to itself.",
        "twice": f"“{first.title}” is already linked with this commitment.",
        "draft": "Only submitted commitments can be linked.",
        "other initiative": (
            f"“{first.title}” is already registered as part of another initiative. Unlink one "
            "of the two first."
        ),
    }[case]
    assert refused.value.messages == [expected]


def test_a_programme_outside_the_network_cannot_be_linked(pair, secretary):
    _first, second = pair
    CoalitionSettings.objects.create(programme=second.programme, shares_network=False)
    other_programme_commitment = commitment_in(factories.ThemeFactory(), title=MANGROVES)
    before = state()
    with pytest.raises(ValidationError) as refused:
        initiatives.link(actor=secretary, commitment=second, other=other_programme_commitment)
    assert refused.value.messages == [
        "This commitment is in another programme, which does not share its network with this "
        "programme: it cannot be linked."
    ]
    assert state() == before


def test_a_programme_of_the_network_can_be_linked(pair, secretary):
    _first, second = pair
    elsewhere = commitment_in(factories.ThemeFactory(), title=MANGROVES)
    initiative = initiatives.link(actor=secretary, commitment=second, other=elsewhere)
    assert initiative.registrations.count() == 2


@pytest.mark.parametrize("shares", [True, False])
def test_the_network_is_the_one_coalitions_use(programme, shares):
    other = factories.ProgrammeFactory()
    CoalitionSettings.objects.create(programme=programme, shares_network=shares)
    CoalitionSettings.objects.create(programme=factories.ProgrammeFactory(), shares_network=False)
    for p in (programme, other):
        assert list(duplicates.network_programmes(p).order_by("pk")) == list(
            coalition_network(p).order_by("pk")
        )
    assert Programme.objects.count() == 3


@pytest.mark.parametrize("who", ["maker", "reviewer", "other secretariat", "anonymous"])
def test_only_the_programmes_secretariat_links(who, pair, theme):
    first, second = pair
    actor = {
        "maker": lambda: factories.representative(second.organisation),
        "reviewer": lambda: factories.staff(theme.programme, role="reviewer"),
        "other secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
        "anonymous": AnonymousUser,
    }[who]()
    before = state()
    with pytest.raises(PermissionDenied):
        initiatives.link(actor=actor, commitment=second, other=first)
    assert state() == before


def test_unlinking_keeps_the_commitment_and_the_provenance_in_the_audit_log(pair, secretary, theme):
    first, second = pair
    third = commitment_in(theme, title="Sundarbans mangroves", description=MANGROVES_TEXT)
    initiative = initiatives.link(actor=secretary, commitment=second, other=first, note="n1")
    initiatives.link(actor=secretary, commitment=third, other=first)
    initiatives.unlink(actor=secretary, commitment=second, note="Two projects after all")
    assert sorted(initiative.registrations.values_list("commitment_id", flat=True)) == [
        first.pk,
        third.pk,
    ]
    entry = AuditEntry.objects.get(action="commitment.unlinked")
    assert (entry.object_id, entry.reason) == (second.pk, "Two projects after all")
    assert (entry.data["linked_with"], entry.data["note"], entry.data["linked_by"]) == (
        first.pk,
        "n1",
        secretary.email,
    )
    # The last but one out dissolves the initiative.
    initiatives.unlink(actor=secretary, commitment=third)
    assert (Initiative.objects.count(), Registration.objects.count()) == (0, 0)
    assert Commitment.objects.filter(pk__in=[first.pk, second.pk, third.pk]).count() == 3


def test_unlinking_what_is_not_linked_says_so(pair, secretary):
    before = state()
    with pytest.raises(ValidationError) as refused:
        initiatives.unlink(actor=secretary, commitment=pair[0])
    assert refused.value.messages == ["This commitment is not linked with any other."]
    assert state() == before


def test_unlinking_is_the_secretariats(pair, secretary):
    first, second = pair
    initiatives.link(actor=secretary, commitment=second, other=first)
    before = state()
    with pytest.raises(PermissionDenied):
        initiatives.unlink(actor=factories.representative(second.organisation), commitment=second)
    assert state() == before


def test_the_primary_registration_is_one(pair, secretary):
    first, second = pair
    initiatives.link(actor=secretary, commitment=second, other=first)
    initiatives.make_primary(actor=secretary, commitment=second)
    initiatives.make_primary(actor=secretary, commitment=first)
    assert list(Registration.objects.filter(is_primary=True).values_list("commitment_id")) == [
        (first.pk,)
    ]
    with pytest.raises(ValidationError):
        initiatives.make_primary(actor=secretary, commitment=first)
