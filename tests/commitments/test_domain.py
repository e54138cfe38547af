"""Domain rules of applications and commitments: permission, state, audit, notification."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pledgebook.commitments import domain
from pledgebook.commitments.models import Application, AssessmentOverride, CoMaker, Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.programmes.models import ProgrammeRole
from tests import factories

S = Commitment.Status


@pytest.fixture
def commitment(theme, member):
    org = member.organisations.get()
    return factories.CommitmentFactory(theme=theme, organisation=org)


@pytest.fixture
def reviewer(programme):
    return factories.staff(programme, ProgrammeRole.Role.REVIEWER)


@pytest.fixture
def secretariat(programme):
    return factories.staff(programme)


# Applications ----------------------------------------------------------------------------


def test_apply_to_several_themes_sets_due_date_from_programme(programme, theme):
    programme.application_review_days = 10
    programme.save()
    other = factories.ThemeFactory(programme=programme)
    org = factories.OrganisationFactory()
    user = factories.representative(org)
    now = timezone.now()
    apps = domain.apply_to_join(actor=user, organisation=org, themes=[theme, other], now=now)
    assert [a.theme for a in apps] == [theme, other]
    assert {a.due_at for a in apps} == {now + dt.timedelta(days=10)}
    assert {a.status for a in apps} == {Application.Status.PENDING}
    assert AuditEntry.objects.filter(action="application.submitted").count() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_apply_for_an_organisation_one_does_not_represent_is_denied(theme):
    org = factories.OrganisationFactory()
    stranger = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        domain.apply_to_join(actor=stranger, organisation=org, themes=[theme])
    assert Application.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_apply_twice_to_the_same_theme_is_refused(theme):
    org = factories.OrganisationFactory()
    user = factories.representative(org)
    domain.apply_to_join(actor=user, organisation=org, themes=[theme])
    with pytest.raises(ValidationError) as err:
        domain.apply_to_join(actor=user, organisation=org, themes=[theme])
    assert "already applied" in str(err.value)
    assert Application.objects.count() == 1


def test_apply_across_two_programmes_at_once_is_refused(theme):
    other = factories.ThemeFactory()
    org = factories.OrganisationFactory()
    user = factories.representative(org)
    with pytest.raises(ValidationError):
        domain.apply_to_join(actor=user, organisation=org, themes=[theme, other])
    assert Application.objects.count() == 0


@pytest.mark.dates
@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (-dt.timedelta(days=100), True),  # before the window opens: to be ready in time
        (-dt.timedelta(days=30), True),  # inside
        (-dt.timedelta(microseconds=1), True),  # the last instant of 8 April
        (dt.timedelta(0), False),
        (dt.timedelta(days=600), False),
    ],
)
def test_applications_end_when_registration_closes(theme, offset, accepted):
    programme = theme.programme
    # Midnight where the clock is: 8 April is the last day in every time zone.
    closes = timezone.make_aware(dt.datetime(2024, 4, 9))
    programme.registration_opens_at = closes - dt.timedelta(days=53)
    programme.registration_closes_at = closes
    programme.save()
    now = closes + offset
    org = factories.OrganisationFactory()
    user = factories.representative(org)

    if accepted:
        [app] = domain.apply_to_join(actor=user, organisation=org, themes=[theme], now=now)
        assert (app.status, app.submitted_at) == (Application.Status.PENDING, now)
        assert len(mail.outbox) == 1
        return
    with pytest.raises(ValidationError) as err:
        domain.apply_to_join(actor=user, organisation=org, themes=[theme], now=now)
    assert err.value.message_dict == {
        "programme": [
            f"Registration for {programme.name} closed on 8 April 2024: "
            "it no longer accepts applications."
        ]
    }
    assert Application.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.dates
def test_applications_are_refused_once_the_window_has_closed_today(theme):
    """Without ``now``: the clock of the request decides."""
    programme = theme.programme
    programme.registration_opens_at = timezone.now() - dt.timedelta(days=30)
    programme.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    programme.save()
    org = factories.OrganisationFactory()
    user = factories.representative(org)
    with pytest.raises(ValidationError):
        domain.apply_to_join(actor=user, organisation=org, themes=[theme])
    assert Application.objects.count() == 0


def test_secretariat_approves_and_applicant_is_told(theme, secretariat):
    app = factories.ApplicationFactory(theme=theme)
    rep = factories.representative(app.organisation)
    domain.decide_application(actor=secretariat, application=app, approve=True)
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED
    assert app.decided_by == secretariat
    assert mail.outbox[-1].to == [rep.email]
    assert "is now confirmed" in mail.outbox[-1].body


def test_decline_needs_a_reason(theme, secretariat):
    app = factories.ApplicationFactory(theme=theme)
    with pytest.raises(ValidationError):
        domain.decide_application(actor=secretariat, application=app, approve=False, reason=" ")
    app.refresh_from_db()
    assert app.status == Application.Status.PENDING


@pytest.mark.parametrize("who", ["reviewer", "other_secretariat", "nobody"])
def test_only_the_programmes_secretariat_decides(theme, reviewer, who):
    app = factories.ApplicationFactory(theme=theme)
    actor = {
        "reviewer": reviewer,
        "other_secretariat": factories.staff(factories.ProgrammeFactory()),
        "nobody": factories.UserFactory(),
    }[who]
    with pytest.raises(PermissionDenied):
        domain.decide_application(actor=actor, application=app, approve=True)
    app.refresh_from_db()
    assert app.status == Application.Status.PENDING
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


# Commitments -----------------------------------------------------------------------------


def test_submit_inside_window_records_audit_and_notifies(commitment, member):
    domain.submit_commitment(actor=member, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.status == S.SUBMITTED
    assert commitment.submitted_at is not None
    entry = AuditEntry.objects.get(action="commitment.submitted")
    assert (entry.actor, entry.object_id, entry.data) == (
        member,
        commitment.pk,
        {"from": "draft", "to": "submitted"},
    )
    assert mail.outbox[-1].to == [member.email]


def test_submit_outside_window_keeps_the_draft(commitment, member, programme):
    programme.registration_closes_at = timezone.now() - dt.timedelta(hours=1)
    programme.save()
    with pytest.raises(ValidationError) as err:
        domain.submit_commitment(actor=member, commitment=commitment)
    assert "inside the window" in err.value.messages[0]
    commitment.refresh_from_db()
    assert commitment.status == S.DRAFT
    assert commitment.title.startswith("Train 500")


def test_submit_before_window_is_scheduled(commitment, member, programme):
    programme.registration_opens_at = None
    programme.save()
    with pytest.raises(ValidationError) as err:
        domain.submit_commitment(actor=member, commitment=commitment)
    assert err.value.messages == ["Registration of commitments has not been scheduled yet."]


def test_incomplete_commitment_cannot_be_submitted(commitment, member):
    commitment.description = "Too short."
    commitment.save()
    with pytest.raises(ValidationError) as err:
        domain.submit_commitment(actor=member, commitment=commitment)
    assert err.value.message_dict == {
        "description": ["Describe the commitment in at least 20 words."]
    }
    commitment.refresh_from_db()
    assert commitment.status == S.DRAFT


def test_someone_elses_commitment_cannot_be_submitted(commitment):
    with pytest.raises(PermissionDenied):
        domain.submit_commitment(actor=factories.UserFactory(), commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.status == S.DRAFT
    assert AuditEntry.objects.count() == 0


def test_review_path_confirm_then_feature(commitment, member, reviewer, secretariat):
    domain.submit_commitment(actor=member, commitment=commitment)
    domain.start_review(actor=reviewer, commitment=commitment)
    domain.confirm_commitment(actor=reviewer, commitment=commitment)
    assert commitment.status == S.CONFIRMED
    assert commitment.decided_at is not None
    with pytest.raises(PermissionDenied):
        domain.feature_commitment(actor=reviewer, commitment=commitment)
    domain.feature_commitment(actor=secretariat, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.status == S.FEATURED
    assert list(
        AuditEntry.objects.filter(object_id=commitment.pk)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "commitment.submitted",
        "commitment.in_review",
        "commitment.confirmed",
        "commitment.featured",
    ]


def test_return_for_revision_needs_reason_and_reopens_editing(commitment, member, reviewer):
    domain.submit_commitment(actor=member, commitment=commitment)
    with pytest.raises(ValidationError):
        domain.return_for_revision(actor=reviewer, commitment=commitment, reason="")
    commitment.refresh_from_db()
    assert commitment.status == S.SUBMITTED
    domain.return_for_revision(actor=reviewer, commitment=commitment, reason="Add a target.")
    assert commitment.status == S.RETURNED
    assert member.has_perm("commitments.change_commitment", commitment)
    assert "Add a target." in mail.outbox[-1].body
    domain.submit_commitment(actor=member, commitment=commitment)
    assert commitment.status == S.SUBMITTED


def test_reviewer_of_another_programme_cannot_review(commitment, member):
    domain.submit_commitment(actor=member, commitment=commitment)
    outsider = factories.staff(factories.ProgrammeFactory(), ProgrammeRole.Role.REVIEWER)
    count = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        domain.confirm_commitment(actor=outsider, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.status == S.SUBMITTED
    assert AuditEntry.objects.count() == count


def test_a_confirmed_commitment_cannot_be_declined(commitment, member, reviewer):
    domain.submit_commitment(actor=member, commitment=commitment)
    domain.confirm_commitment(actor=reviewer, commitment=commitment)
    with pytest.raises(ValidationError):
        domain.decline_commitment(actor=reviewer, commitment=commitment, reason="No.")
    commitment.refresh_from_db()
    assert commitment.status == S.CONFIRMED


def test_submitted_commitment_is_no_longer_editable_by_its_maker(commitment, member):
    domain.submit_commitment(actor=member, commitment=commitment)
    commitment.title = "Changed after submission"
    with pytest.raises(PermissionDenied):
        domain.save_draft(actor=member, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.title.startswith("Train 500")


def test_save_draft_requires_membership(theme):
    org = factories.OrganisationFactory()
    user = factories.representative(org)
    draft = Commitment(programme=theme.programme, organisation=org, title="x")
    with pytest.raises(PermissionDenied):
        domain.save_draft(actor=user, commitment=draft)
    assert Commitment.objects.count() == 0


def test_co_makers_are_invited_and_confirm(theme, member):
    org = member.organisations.get()
    partner_user = factories.member_of(theme)
    partner = partner_user.organisations.get()
    draft = Commitment(programme=theme.programme, organisation=org, title="Joint work")
    domain.save_draft(actor=member, commitment=draft, co_makers=[partner], themes=[theme])
    co_maker = CoMaker.objects.get(commitment=draft)
    assert mail.outbox[-1].to == [partner_user.email]
    with pytest.raises(PermissionDenied):
        domain.confirm_co_maker(actor=member, co_maker=co_maker)
    co_maker.refresh_from_db()
    assert co_maker.confirmed_at is None
    domain.confirm_co_maker(actor=partner_user, co_maker=co_maker)
    co_maker.refresh_from_db()
    assert co_maker.confirmed_by == partner_user
    # Removing the co-maker from the draft removes the invitation.
    domain.save_draft(actor=member, commitment=draft, co_makers=[])
    assert CoMaker.objects.count() == 0


def test_override_needs_note_and_a_known_criterion(commitment, reviewer):
    with pytest.raises(ValidationError):
        domain.override_criterion(
            actor=reviewer, commitment=commitment, criterion="funding", met=True, note=""
        )
    with pytest.raises(ValidationError):
        domain.override_criterion(
            actor=reviewer, commitment=commitment, criterion="beauty", met=True, note="n"
        )
    assert AssessmentOverride.objects.count() == 0
    domain.override_criterion(
        actor=reviewer, commitment=commitment, criterion="funding", met=True, note="Budgeted."
    )
    domain.override_criterion(
        actor=reviewer, commitment=commitment, criterion="funding", met=False, note="Not new."
    )
    assert list(AssessmentOverride.objects.values_list("criterion", "met", "note")) == [
        ("funding", False, "Not new.")
    ]


def test_override_by_a_maker_is_denied(commitment, member):
    with pytest.raises(PermissionDenied):
        domain.override_criterion(
            actor=member, commitment=commitment, criterion="funding", met=True, note="Mine"
        )
    assert AssessmentOverride.objects.count() == 0


def test_a_stale_draft_never_overwrites_a_submission(commitment, member):
    stale = Commitment.objects.get(pk=commitment.pk)
    domain.submit_commitment(actor=member, commitment=commitment)
    stale.title = "Edited in another tab"
    with pytest.raises(PermissionDenied):
        domain.save_draft(actor=member, commitment=stale)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.title[:9]) == (S.SUBMITTED, "Train 500")
