"""Co-makers answer (confirm or decline), and the lead's later changes of substance ask them
again (commitments.domain.confirm_co_maker, decline_co_maker, save_draft)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from pledgebook.commitments import domain
from pledgebook.commitments.models import CoMaker, Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import CommitmentType, ProgrammeRole
from pledgebook.reference.models import Country, Currency
from tests import factories

pytestmark = pytest.mark.django_db
S = Commitment.Status
State = CoMaker.State


@pytest.fixture
def lead(member):
    return member


@pytest.fixture
def partner(theme):
    org = factories.OrganisationFactory(name="Partner Org")
    return org, factories.member_of(theme, organisation=org)


@pytest.fixture
def draft(theme, lead, partner):
    """A draft of ``lead``'s organisation naming the partner as co-maker (mail outbox emptied)."""
    commitment = factories.CommitmentFactory(
        theme=theme, organisation=lead.organisations.get(), title="Train 500 teachers"
    )
    domain.save_draft(actor=lead, commitment=commitment, co_makers=[partner[0]])
    mail.outbox.clear()
    return commitment


@pytest.fixture
def row(draft, partner):
    return CoMaker.objects.get(commitment=draft, organisation=partner[0])


def state(row: CoMaker) -> tuple:
    row.refresh_from_db()
    return (
        row.state,
        row.confirmed_by,
        row.declined_by,
        row.decline_reason,
        row.confirmed_at is None,
        row.declined_at is None,
    )


# Declining -------------------------------------------------------------------------------


def test_a_co_maker_declines_with_a_reason_and_the_lead_is_told(draft, row, lead, partner):
    _org, person = partner

    domain.decline_co_maker(actor=person, co_maker=row, reason="  Not in our plan this year. ")

    assert state(row) == (State.DECLINED, None, person, "Not in our plan this year.", True, False)
    entry = AuditEntry.objects.get(action="commitment.co_maker_declined")
    assert (entry.actor, entry.object_id, entry.reason, entry.data) == (
        person,
        draft.pk,
        "Not in our plan this year.",
        {"organisation": "Partner Org"},
    )
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == "Partner Org declined to co-make your commitment"
    assert "Partner Org declined its part in “Train 500 teachers”." in message.body
    assert "Their reason: Not in our plan this year." in message.body
    assert f"/workspace/commitments/{draft.pk}/" in message.body


def test_the_reason_is_optional(row, partner):
    domain.decline_co_maker(actor=partner[1], co_maker=row)
    assert state(row)[:4] == (State.DECLINED, None, partner[1], "")
    assert "Their reason" not in mail.outbox[0].body


@pytest.mark.parametrize("who", ["lead", "stranger", "reviewer", "secretariat"])
def test_only_the_co_makers_people_can_decline(row, lead, programme, who):
    actor = {
        "lead": lead,
        "stranger": factories.UserFactory(),
        "reviewer": factories.staff(programme, ProgrammeRole.Role.REVIEWER),
        "secretariat": factories.staff(programme),
    }[who]
    before = state(row)

    with pytest.raises(PermissionDenied):
        domain.decline_co_maker(actor=actor, co_maker=row, reason="Hijack")

    assert state(row) == before
    assert AuditEntry.objects.filter(action="commitment.co_maker_declined").count() == 0
    assert mail.outbox == []


def test_declining_twice_changes_nothing(row, partner):
    domain.decline_co_maker(actor=partner[1], co_maker=row, reason="No")
    domain.decline_co_maker(actor=partner[1], co_maker=row, reason="Still no")
    assert state(row)[3] == "No"
    assert AuditEntry.objects.filter(action="commitment.co_maker_declined").count() == 1
    assert len(mail.outbox) == 1


def test_while_the_draft_is_editable_an_answer_can_change(row, partner):
    person = partner[1]
    domain.confirm_co_maker(actor=person, co_maker=row)
    domain.decline_co_maker(actor=person, co_maker=row, reason="Changed our mind")
    assert state(row)[:4] == (State.DECLINED, None, person, "Changed our mind")
    domain.confirm_co_maker(actor=person, co_maker=row)
    assert state(row) == (State.CONFIRMED, person, None, "", False, True)


def test_once_submitted_an_answer_given_cannot_change(draft, row, lead, partner):
    domain.confirm_co_maker(actor=partner[1], co_maker=row)
    domain.submit_commitment(actor=lead, commitment=draft)
    before = state(row)
    audits = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as err:
        domain.decline_co_maker(actor=partner[1], co_maker=row, reason="Too late")

    assert err.value.messages == [
        f"Your organisation has answered, and the commitment is submitted: its answer can no "
        f"longer change. Write to {draft.organisation.name} if something is wrong."
    ]
    assert state(row) == before
    assert AuditEntry.objects.count() == audits


def test_once_submitted_a_pending_co_maker_still_answers(draft, row, lead, partner):
    domain.submit_commitment(actor=lead, commitment=draft)
    domain.decline_co_maker(actor=partner[1], co_maker=row)
    assert state(row)[0] == State.DECLINED


def test_nothing_to_answer_once_the_programme_declined_the_commitment(
    draft, row, lead, partner, programme
):
    domain.submit_commitment(actor=lead, commitment=draft)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    domain.decline_commitment(actor=reviewer, commitment=draft, reason="Out of scope")
    before = state(row)
    for answer in (domain.confirm_co_maker, domain.decline_co_maker):
        with pytest.raises(ValidationError):
            answer(actor=partner[1], co_maker=row)
    assert state(row) == before


def test_a_declined_co_maker_is_not_told_of_status_changes(draft, row, lead, partner):
    domain.decline_co_maker(actor=partner[1], co_maker=row)
    mail.outbox.clear()
    domain.submit_commitment(actor=lead, commitment=draft)
    assert [m.to for m in mail.outbox] == [[lead.email]]


# The lead changes the substance ------------------------------------------------------------


def _edit(commitment: Commitment, actor, **changes) -> None:
    """Save ``commitment`` as the workspace form does, with ``changes`` (m2m by name)."""
    fresh = Commitment.objects.get(pk=commitment.pk)
    relations = {k: v for k, v in changes.items() if k in ("types", "themes", "countries")}
    for name, value in changes.items():
        if name not in relations and name != "co_makers":
            setattr(fresh, name, value)
    co_makers = changes.get(
        "co_makers", [r.organisation for r in commitment.co_makers.select_related("organisation")]
    )
    domain.save_draft(actor=actor, commitment=fresh, co_makers=co_makers, **relations)


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"title": "Train 800 teachers"}, "title"),
        ({"description": "A different plan altogether, with other people and places."}, None),
        ({"amount": Decimal("5000")}, "amount"),
        ({"types": "policy"}, "types"),
        ({"countries": "UG"}, "countries"),
        ({"is_conditional": True, "condition": "Parliament's vote"}, None),
    ],
)
def test_a_change_of_substance_resets_the_confirmation_and_asks_again(
    draft, row, lead, partner, changes, label
):
    """The co-maker's confirmation survived the lead's later edits of the text."""
    _org, person = partner
    domain.confirm_co_maker(actor=person, co_maker=row)
    mail.outbox.clear()
    if "amount" in changes:
        changes["currency"] = Currency.objects.get(code="USD")
    if changes.get("types") == "policy":
        changes["types"] = list(CommitmentType.objects.filter(code="policy"))
    if changes.get("countries") == "UG":
        changes["countries"] = list(Country.objects.filter(iso2="UG"))

    _edit(draft, lead, **changes)

    assert state(row) == (State.PENDING, None, None, "", True, True)
    entry = AuditEntry.objects.get(action="commitment.co_makers_asked_again")
    assert entry.data["organisations"] == ["Partner Org"]
    assert set(entry.data["changed"]) == set(changes)
    [message] = mail.outbox
    assert message.to == [person.email]
    title = changes.get("title", "Train 500 teachers")
    assert message.subject == f"“{title}” changed: please confirm your part again"
    if label:
        assert f"Changed: {label}" in message.body
    assert f"/workspace/commitments/{draft.pk}/" in message.body


@pytest.mark.parametrize(
    "changes",
    [
        {"endorsement_level": "minister"},  # the lead's own matter
        {"description": "layout only"},  # the same words, laid out anew
        {"co_makers": "another"},  # another co-maker joins
        {},  # saved unchanged
    ],
)
def test_no_change_of_substance_keeps_the_confirmation(draft, row, lead, partner, theme, changes):
    domain.confirm_co_maker(actor=partner[1], co_maker=row)
    mail.outbox.clear()
    confirmed = state(row)
    if changes.get("description"):
        changes["description"] = "\n\n  ".join(draft.description.split()) + "  "
    if changes.get("co_makers"):
        other = factories.member_of(theme).organisations.get()
        changes["co_makers"] = [partner[0], other]

    _edit(draft, lead, **changes)

    assert state(row) == confirmed
    assert not AuditEntry.objects.filter(action="commitment.co_makers_asked_again").exists()
    assert all("confirm your part again" not in m.subject for m in mail.outbox)


def test_a_declined_co_maker_is_not_asked_again(draft, row, lead, partner):
    domain.decline_co_maker(actor=partner[1], co_maker=row, reason="No")
    mail.outbox.clear()

    _edit(draft, lead, title="Train 800 teachers")

    assert state(row)[:4] == (State.DECLINED, None, partner[1], "No")
    assert mail.outbox == []


def test_a_returned_commitment_edited_goes_back_with_answers_given_since(
    draft, row, lead, partner, programme
):
    domain.confirm_co_maker(actor=partner[1], co_maker=row)
    domain.submit_commitment(actor=lead, commitment=draft)
    reviewer = factories.staff(programme, ProgrammeRole.Role.REVIEWER)
    domain.return_for_revision(actor=reviewer, commitment=draft, reason="Say how many schools.")

    _edit(draft, lead, title="Train 500 teachers in 40 schools")
    assert state(row)[0] == State.PENDING
    domain.submit_commitment(actor=lead, commitment=Commitment.objects.get(pk=draft.pk))
    domain.confirm_co_maker(actor=partner[1], co_maker=row)  # pending: may still answer

    assert state(row)[0] == State.CONFIRMED
