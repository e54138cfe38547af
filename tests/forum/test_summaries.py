"""Session summaries: the forum settings, the organisers' task when a session ends, the
reminders before and after the deadline, saving and submitting (late, not ended, empty), the
announced commitments, the pages of the workspace and the console, and the public include."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.core import workers
from pledgebook.core.models import AuditEntry
from pledgebook.forum.domain import summaries as domain
from pledgebook.forum.domain.summaries import AnnouncementInput, RecommendationInput
from pledgebook.forum.models import (
    AnnouncedCommitment,
    ForumSettings,
    Recommendation,
    Session,
    SessionSummary,
    SummaryReminder,
)
from pledgebook.forum.similar import RECOMMENDATION_KIND
from pledgebook.forum.summary_status import tasks_of, tracker
from pledgebook.forum.validation import local
from pledgebook.organisations.models import Category
from pledgebook.programmes.models import Programme, ProgrammeRole
from pledgebook.similarity.models import IndexRequest
from tests import factories

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def programme_() -> Programme:
    return factories.ProgrammeFactory(
        kind=Programme.Kind.PARTNERSHIP_FORUM,
        stakeholder_categories=["member_state", "civil_society", "youth_led"],
    )


@pytest.fixture
def event(programme_: Programme) -> Any:
    return factories.EventFactory(programme=programme_)


@pytest.fixture
def organiser() -> Any:
    return factories.UserFactory(first_name="Amina", last_name="Yusuf")


@pytest.fixture
def secretariat(programme_: Programme) -> Any:
    return factories.staff(programme_)


def ended_session(event: Any, organiser: Any, *, ended: dt.timedelta = HOUR, **kw: Any) -> Session:
    """A session of ``event`` organised by ``organiser`` that ended ``ended`` ago."""
    ends_at = kw.pop("ends_at", timezone.now() - ended)
    return factories.SessionFactory(
        event=event,
        starts_at=ends_at - 2 * HOUR,
        ends_at=ends_at,
        organisers=[organiser] if organiser else [],
        **kw,
    )


def draft(session: Session, actor: Any, **kw: Any) -> SessionSummary:
    return domain.save_summary(actor=actor, session=session, **kw)


def written(session: Session, actor: Any) -> SessionSummary:
    return draft(
        session,
        actor,
        key_messages="Financing must reach local organisations.",
        recommendations=[RecommendationInput("Pool funds for local action.")],
    )


# Settings ------------------------------------------------------------------------------------


@pytest.mark.dates
def test_the_setting_changes_the_due_date(client: Client, event, organiser, secretariat) -> None:
    """The secretariat sets 7 days in the console; a session that ends is due 7 days later."""
    programme = event.programme
    client.force_login(secretariat)
    url = reverse("console:forum_settings", kwargs={"programme": programme.slug})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "summary_due_days": "7",
            "remind_days_before": "2",
            "remind_days_after": "1",
            "summary_instructions": "Three recommendations at most, please.",
        },
    )
    assert response.status_code == 302
    settings = ForumSettings.objects.get(programme=programme)
    assert (settings.summary_due_days, settings.remind_days_before, settings.remind_days_after) == (
        7,
        2,
        1,
    )
    session = ended_session(event, organiser)
    assert domain.open_summary_tasks() == 1
    assert SessionSummary.objects.get(session=session).due_at == session.ends_at + 7 * DAY
    assert AuditEntry.objects.filter(action="programme.forum_settings").count() == 1
    # The instructions are shown above the form.
    client.force_login(organiser)
    page = client.get(reverse("workspace:forum_summary", kwargs={"session": session.pk}))
    assert "Three recommendations at most, please." in page.content.decode()


@pytest.mark.dates
def test_default_due_date_is_fourteen_days(event, organiser) -> None:
    session = ended_session(event, organiser)
    domain.open_summary_tasks()
    assert SessionSummary.objects.get(session=session).due_at == session.ends_at + 14 * DAY


def test_settings_refused_by_a_reviewer_and_for_a_reminder_before_the_task(
    client: Client, event
) -> None:
    programme = event.programme
    url = reverse("console:forum_settings", kwargs={"programme": programme.slug})
    data = {"summary_due_days": "5", "remind_days_before": "1", "remind_days_after": "1"}
    client.force_login(factories.staff(programme, ProgrammeRole.Role.REVIEWER))
    assert client.post(url, data).status_code == 403
    assert not ForumSettings.objects.exists()

    client.force_login(factories.staff(programme))
    response = client.post(url, {**data, "remind_days_before": "5"})
    assert response.status_code == 200
    assert response.context["form"].errors["remind_days_before"] == [
        "Summaries are due 5 days after a session: a reminder 5 days before the deadline "
        "would come before the task itself. Give fewer days, or 0 for no reminder."
    ]
    assert not ForumSettings.objects.exists()


# The task --------------------------------------------------------------------------------------


@pytest.mark.dates
def test_the_task_appears_only_after_the_session_ends(client: Client, event, organiser) -> None:
    now = timezone.now()
    session = ended_session(event, organiser, ends_at=now + HOUR)
    assert domain.open_summary_tasks(now=now) == 0
    assert not SessionSummary.objects.exists()
    assert tasks_of(organiser, now) == []
    assert mail.outbox == []

    later = session.ends_at + dt.timedelta(minutes=1)
    assert domain.open_summary_tasks(now=later) == 1
    summary = SessionSummary.objects.get(session=session)
    assert summary.status == SessionSummary.Status.DRAFT
    assert summary.due_at == session.ends_at + 14 * DAY
    assert summary.task_sent_at == later
    (message,) = mail.outbox
    assert message.to == [organiser.email]
    assert message.subject == (
        f"Please write the summary of “{session.title}” by {local(event, summary.due_at)}"
    )
    base = django_settings.SITE_URL.rstrip("/")
    assert f"\n{base}/workspace/forum/summaries/{session.pk}/\n" in message.body
    assert f"\n{base}/workspace/forum/summaries/\n" in message.body
    [row] = tasks_of(organiser, later)
    assert (row.session, row.state) == (session, "due")


def test_the_task_goes_to_representatives_when_no_person_is_named(event) -> None:
    organisation = factories.OrganisationFactory()
    people = [factories.representative(organisation), factories.representative(organisation)]
    session = ended_session(event, None, organisations=[organisation])
    assert domain.open_summary_tasks() == 1
    (message,) = mail.outbox
    assert message.to == sorted(p.email for p in people)
    assert SummaryReminder.objects.get().summary.session == session


def test_the_task_is_sent_once_even_when_the_check_runs_twice(event, organiser) -> None:
    assert domain.run_checks in workers._checks  # registered by ForumConfig.ready
    session = ended_session(event, organiser)
    domain.run_checks()
    domain.run_checks()
    assert domain.open_summary_tasks() == 0
    assert len(mail.outbox) == 1
    assert SummaryReminder.objects.filter(summary__session=session, kind="task").count() == 1
    assert SessionSummary.objects.count() == 1


def test_another_workers_task_is_not_sent_again(event, organiser) -> None:
    """Two workers: the other has written the task row (and queued its mail) first."""
    session = ended_session(event, organiser)
    summary = factories.SessionSummaryFactory(session=session)
    SummaryReminder.objects.create(summary=summary, kind=SummaryReminder.Kind.TASK)
    assert domain.open_summary_tasks() == 0
    assert mail.outbox == []


def test_a_draft_written_before_the_end_gets_its_task_when_the_session_ends(
    event, organiser
) -> None:
    now = timezone.now()
    session = ended_session(event, organiser, ends_at=now + HOUR)
    summary = draft(session, organiser, key_messages="Prepared in advance.")
    assert domain.open_summary_tasks(now=now) == 0
    assert domain.open_summary_tasks(now=now + 2 * HOUR) == 1
    summary.refresh_from_db()
    assert summary.key_messages == "Prepared in advance."
    assert summary.reminders.get().kind == "task"


def test_no_task_for_a_cancelled_session_or_one_long_past(event, organiser) -> None:
    ended_session(event, organiser, status=Session.Status.CANCELLED)
    ended_session(event, organiser, ended=60 * DAY)
    assert domain.open_summary_tasks() == 0
    assert not SessionSummary.objects.exists()


# Reminders -------------------------------------------------------------------------------------


@pytest.mark.dates
def test_reminders_before_and_after_are_sent_once_each(event, organiser) -> None:
    session = ended_session(event, organiser)
    domain.open_summary_tasks(now=session.ends_at)
    summary = SessionSummary.objects.get()
    due = summary.due_at
    mail.outbox.clear()

    assert domain.send_summary_reminders(now=due - 4 * DAY) == 0
    assert domain.send_summary_reminders(now=due - 2 * DAY) == 1
    assert domain.send_summary_reminders(now=due - 1 * DAY) == 0
    assert domain.send_summary_reminders(now=due + 1 * DAY) == 0
    assert domain.send_summary_reminders(now=due + 3 * DAY) == 1
    assert domain.send_summary_reminders(now=due + 4 * DAY) == 0
    assert [m.subject for m in mail.outbox] == [
        f"Reminder: the summary of “{session.title}” is due by {local(event, due)}",
        f"The summary of “{session.title}” is overdue",
    ]
    assert all(m.to == [organiser.email] for m in mail.outbox)
    assert list(summary.reminders.order_by("pk").values_list("kind", flat=True)) == [
        "task",
        "before",
        "after",
    ]


@pytest.mark.dates
def test_the_periodic_check_run_twice_reminds_once(event, organiser) -> None:
    session = ended_session(event, organiser, ended=HOUR)
    domain.run_checks()
    summary = SessionSummary.objects.get(session=session)
    with time_machine.travel(summary.due_at + 3 * DAY + HOUR, tick=False):
        domain.run_checks()
        domain.run_checks()
    assert [m.subject for m in mail.outbox][1:] == [f"The summary of “{session.title}” is overdue"]
    assert summary.reminders.filter(kind="after").count() == 1


def test_no_reminder_for_a_submitted_summary(event, organiser) -> None:
    session = ended_session(event, organiser)
    domain.open_summary_tasks(now=session.ends_at)
    summary = written(session, organiser)
    domain.submit_summary(actor=organiser, summary=summary)
    mail.outbox.clear()
    assert domain.send_summary_reminders(now=summary.due_at + 10 * DAY) == 0
    assert mail.outbox == []


def test_a_before_reminder_is_not_sent_when_the_task_came_in_those_days(event, organiser) -> None:
    domain.configure_forum(
        actor=factories.staff(event.programme),
        programme=event.programme,
        summary_due_days=3,
        remind_days_before=2,
        remind_days_after=0,
    )
    session = ended_session(event, organiser, ended=2 * DAY)
    domain.open_summary_tasks()
    summary = SessionSummary.objects.get(session=session)
    assert domain.send_summary_reminders(now=summary.due_at - HOUR) == 0
    # remind_days_after=0: no reminder after the deadline either.
    assert domain.send_summary_reminders(now=summary.due_at + 30 * DAY) == 0


# Submitting ------------------------------------------------------------------------------------


def test_a_session_that_has_not_happened_is_refused(event, organiser) -> None:
    session = ended_session(event, organiser, ends_at=timezone.now() + 2 * HOUR)
    summary = written(session, organiser)
    with pytest.raises(ValidationError) as refused:
        domain.submit_summary(actor=organiser, summary=summary)
    assert "This session has not happened yet" in refused.value.messages[0]
    summary.refresh_from_db()
    assert summary.status == "draft"
    assert summary.submitted_at is None
    assert not AuditEntry.objects.filter(action__startswith="session_summary.submitted").exists()


def test_an_empty_template_is_refused(event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = draft(session, organiser, participants_in_person=40)
    with pytest.raises(ValidationError) as refused:
        domain.submit_summary(actor=organiser, summary=summary)
    assert refused.value.message_dict == {
        "key_messages": [
            "The summary is empty: write the session's key messages or at least one "
            "recommendation before submitting it."
        ]
    }
    summary.refresh_from_db()
    assert summary.status == "draft"


@pytest.mark.dates
def test_on_time_and_late(event, organiser) -> None:
    on_time = ended_session(event, organiser, ended=2 * DAY)
    late = ended_session(event, organiser, ended=20 * DAY)
    first = domain.submit_summary(actor=organiser, summary=written(on_time, organiser))
    second = domain.submit_summary(actor=organiser, summary=written(late, organiser))
    assert (first.status, first.is_late) == ("submitted", False)
    assert (second.status, second.is_late) == ("submitted", True)
    assert second.submitted_by == organiser
    entries = dict(
        AuditEntry.objects.filter(action__startswith="session_summary.submitted").values_list(
            "object_id", "action"
        )
    )
    assert entries == {
        first.pk: "session_summary.submitted",
        second.pk: "session_summary.submitted_late",
    }
    assert AuditEntry.objects.get(object_id=second.pk, action__endswith="late").data["late"]


def test_a_submitted_summary_cannot_be_submitted_again(event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = domain.submit_summary(actor=organiser, summary=written(session, organiser))
    with pytest.raises(ValidationError) as refused:
        domain.submit_summary(actor=organiser, summary=summary)
    assert refused.value.messages == [
        "This summary is already submitted: it cannot be submitted again."
    ]


def test_submission_queues_the_recommendations_embeddings(database_tasks, event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = draft(
        session,
        organiser,
        recommendations=[RecommendationInput("One."), RecommendationInput("Two.")],
    )
    assert not IndexRequest.objects.filter(kind=RECOMMENDATION_KIND).exists()
    domain.submit_summary(actor=organiser, summary=summary)
    queued = set(
        IndexRequest.objects.filter(kind=RECOMMENDATION_KIND).values_list("object_id", flat=True)
    )
    assert queued == set(summary.recommendations.values_list("pk", flat=True))
    assert len(queued) == 2


def test_organisers_revise_a_submitted_summary(event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = domain.submit_summary(actor=organiser, summary=written(session, organiser))
    [kept] = summary.recommendations.all()
    revised = draft(
        session,
        organiser,
        key_messages="Financing must reach local organisations, fast.",
        recommendations=[
            RecommendationInput("Pool funds for local action.", kept.pk),
            RecommendationInput("Publish what is disbursed."),
        ],
    )
    assert revised.status == "submitted"
    assert revised.key_messages == "Financing must reach local organisations, fast."
    assert list(revised.recommendations.values_list("pk", "text")) == [
        (kept.pk, "Pool funds for local action."),
        (kept.pk + 1, "Publish what is disbursed."),
    ]
    assert AuditEntry.objects.filter(action="session_summary.revised").count() == 1


def test_rows_are_kept_changed_and_removed_in_place(event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = draft(
        session,
        organiser,
        recommendations=[
            RecommendationInput("A."),
            RecommendationInput(""),
            RecommendationInput("B."),
        ],
    )
    _a, b = summary.recommendations.all()
    draft(
        session,
        organiser,
        recommendations=[RecommendationInput("B, sharper.", b.pk), RecommendationInput("  ")],
    )
    assert list(Recommendation.objects.values_list("pk", "text", "position")) == [
        (b.pk, "B, sharper.", 0)
    ]


# Announced commitments -------------------------------------------------------------------------


def test_announced_commitments_linked_or_described_and_the_invitation_sent_once(
    event, organiser
) -> None:
    theme = factories.ThemeFactory(programme=event.programme)
    public = factories.CommitmentFactory(
        theme=theme, status=Commitment.Status.CONFIRMED, title="Solar for 100 clinics"
    )
    session = ended_session(event, organiser)
    summary = draft(
        session,
        organiser,
        key_messages="Energy access.",
        announcements=[
            AnnouncementInput(commitment_id=public.pk),
            AnnouncementInput(
                title="Mini-grid fund",
                maker="Sahel Energy Alliance",
                amount=Decimal("2500000"),
                currency="USD",
                contact_email="fund@sahel.example",
            ),
            AnnouncementInput(),  # an empty row: ignored
        ],
    )
    linked, described = summary.announcements.all()
    assert (linked.commitment, linked.title) == (public, "Solar for 100 clinics")
    assert (described.commitment, described.title, described.currency) == (
        None,
        "Mini-grid fund",
        "USD",
    )
    assert mail.outbox == []  # a draft invites nobody

    domain.submit_summary(actor=organiser, summary=summary)
    (invitation,) = mail.outbox
    assert invitation.to == ["fund@sahel.example"]
    assert invitation.subject == f"Register “Mini-grid fund” on {event.programme.name}"
    assert "/accounts/signup/" in invitation.body
    described.refresh_from_db()
    assert described.prompt_sent_at is not None

    # A revision keeps the row (its id given) and invites nobody again.
    draft(
        session,
        organiser,
        key_messages="Energy access.",
        announcements=[
            AnnouncementInput(commitment_id=public.pk, id=linked.pk),
            AnnouncementInput(
                title="Mini-grid fund",
                maker="Sahel Energy Alliance",
                contact_email="fund@sahel.example",
                id=described.pk,
            ),
        ],
    )
    assert len(mail.outbox) == 1


def test_an_announcement_must_be_a_public_commitment_of_the_programme(event, organiser) -> None:
    other = factories.CommitmentFactory(status=Commitment.Status.CONFIRMED)
    draft_one = factories.CommitmentFactory(theme=factories.ThemeFactory(programme=event.programme))
    session = ended_session(event, organiser)
    for commitment in (other, draft_one):
        with pytest.raises(ValidationError) as refused:
            draft(
                session, organiser, announcements=[AnnouncementInput(commitment_id=commitment.pk)]
            )
        assert refused.value.message_dict == {
            "announcements-0": [f"Choose a public commitment of {event.programme.name}."]
        }
    with pytest.raises(ValidationError) as refused:
        draft(
            session,
            organiser,
            announcements=[AnnouncementInput(maker="Someone", amount=Decimal(5))],
        )
    assert refused.value.message_dict == {
        "announcements-0": [
            "Choose the commitment on the platform, or give the title of the one announced.",
            "Give the currency of the amount.",
        ]
    }
    assert not SessionSummary.objects.exists()
    assert not AnnouncedCommitment.objects.exists()


def test_participation_by_the_programmes_categories(event, organiser) -> None:
    session = ended_session(event, organiser)
    with pytest.raises(ValidationError) as refused:
        draft(
            session,
            organiser,
            participants_in_person=10,
            participants_online=5,
            participation_by_category={"civil_society": 12, "youth_led": 4},
        )
    assert refused.value.message_dict == {
        "participation_by_category": [
            "16 people are counted by category, more than the 15 who took part in person and "
            "online."
        ]
    }
    with pytest.raises(ValidationError):
        draft(session, organiser, participation_by_category={Category.ACADEMIA.value: 3})
    summary = draft(
        session,
        organiser,
        participants_in_person=10,
        participants_online=5,
        participation_by_category={"civil_society": 11, "youth_led": 4, "member_state": 0},
    )
    assert summary.participation_by_category == {"civil_society": 11, "youth_led": 4}


# Permissions -----------------------------------------------------------------------------------


def test_who_may_write_a_summary(event, organiser, secretariat) -> None:
    organisation = factories.OrganisationFactory()
    representative = factories.representative(organisation)
    session = ended_session(event, organiser, organisations=[organisation])
    for allowed in (organiser, representative, secretariat):
        assert draft(session, allowed, key_messages=f"By {allowed.email}").key_messages == (
            f"By {allowed.email}"
        )
    other_secretariat = factories.staff(factories.ProgrammeFactory())
    stranger = factories.UserFactory()
    reviewer = factories.staff(event.programme, ProgrammeRole.Role.REVIEWER)
    summary = SessionSummary.objects.get()
    for denied in (stranger, reviewer, other_secretariat):
        with pytest.raises(PermissionDenied):
            draft(session, denied, key_messages="Hijacked")
        with pytest.raises(PermissionDenied):
            domain.submit_summary(actor=denied, summary=summary)
    summary.refresh_from_db()
    assert (summary.key_messages, summary.status) == (f"By {secretariat.email}", "draft")


def test_the_form_is_denied_to_others_and_nothing_changes(client: Client, event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = written(session, organiser)
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403
    response = client.post(url, {**form_data(), "key_messages": "Hijacked", "submit": "1"})
    assert response.status_code == 403
    summary.refresh_from_db()
    assert (summary.key_messages, summary.status) == (
        "Financing must reach local organisations.",
        "draft",
    )
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))


# The workspace form ----------------------------------------------------------------------------


def form_data(recommendations: list[str] = (), **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key_messages": "",
        "participants_in_person": "",
        "participants_online": "",
        "recommendations-TOTAL_FORMS": str(len(recommendations)),
        "recommendations-INITIAL_FORMS": "0",
        "announcements-TOTAL_FORMS": "0",
        "announcements-INITIAL_FORMS": "0",
    }
    for i, text in enumerate(recommendations):
        data[f"recommendations-{i}-text"] = text
        data[f"recommendations-{i}-id"] = ""
    data.update(fields)
    return data


def test_the_draft_is_kept_when_the_submission_is_refused(client: Client, event, organiser) -> None:
    session = ended_session(event, organiser, ends_at=timezone.now() + 3 * HOUR)
    client.force_login(organiser)
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    response = client.post(
        url,
        form_data(
            ["Invest in data.", ""],
            key_messages="Data gaps hold back action.",
            participants_in_person="40",
            submit="1",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This session has not happened yet" in page
    assert "Your draft is saved, but it was not submitted." in page
    summary = SessionSummary.objects.get(session=session)
    assert (summary.status, summary.key_messages, summary.participants_in_person) == (
        "draft",
        "Data gaps hold back action.",
        40,
    )
    assert list(summary.recommendations.values_list("text", flat=True)) == ["Invest in data."]
    assert "Data gaps hold back action." in page and "Invest in data." in page


def test_an_empty_template_is_refused_at_the_key_messages(client: Client, event, organiser) -> None:
    session = ended_session(event, organiser)
    client.force_login(organiser)
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    response = client.post(url, form_data(["", ""], participants_online="12", submit="1"))
    assert response.status_code == 200
    assert response.context["form"].errors["key_messages"] == [
        "The summary is empty: write the session's key messages or at least one "
        "recommendation before submitting it."
    ]
    summary = SessionSummary.objects.get()
    assert (summary.status, summary.participants_online) == ("draft", 12)


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(
    client: Client, event, organiser
) -> None:
    session = ended_session(event, organiser)
    client.force_login(organiser)
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    response = client.post(url, form_data(["First."], key_messages="Typed.", add="recommendation"))
    assert response.status_code == 200
    formset = response.context["recommendations"]
    assert [f["text"].value() for f in formset.forms] == ["First.", None]
    assert response.context["form"]["key_messages"].value() == "Typed."
    assert not SessionSummary.objects.exists()


@pytest.mark.dates
def test_submit_through_the_form_and_the_task_list(client: Client, event, organiser) -> None:
    theme = factories.ThemeFactory(programme=event.programme)
    public = factories.CommitmentFactory(
        theme=theme, status=Commitment.Status.CONFIRMED, title="Solar for 100 clinics"
    )
    session = ended_session(event, organiser)
    client.force_login(organiser)
    home = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:forum_summary", kwargs={"session": session.pk}) in home
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    data = form_data(
        ["Pool funds.", "Share data.", ""],
        key_messages="Energy access needs finance.",
        participants_in_person="30",
        participants_online="20",
        category_civil_society="25",
        submit="1",
    )
    data.update(
        {
            "announcements-TOTAL_FORMS": "1",
            "announcements-0-commitment": str(public.pk),
            "announcements-0-find": "solar",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("workspace:forum_summaries")
    summary = SessionSummary.objects.get()
    assert (summary.status, summary.is_late) == ("submitted", False)
    assert summary.participation_by_category == {"civil_society": 25}
    assert summary.announcements.get().commitment == public
    listing = client.get(response.url).content.decode()
    assert "summary-submitted" in listing


def test_the_commitment_finder_lists_public_commitments_of_the_programme_by_title(
    client: Client, event, organiser
) -> None:
    theme = factories.ThemeFactory(programme=event.programme)
    solar = factories.CommitmentFactory(
        theme=theme, status=Commitment.Status.CONFIRMED, title="Solar for 100 clinics"
    )
    factories.CommitmentFactory(theme=theme, status=Commitment.Status.CONFIRMED, title="Water")
    factories.CommitmentFactory(theme=theme, title="Solar draft")  # not public
    factories.CommitmentFactory(status=Commitment.Status.CONFIRMED, title="Solar elsewhere")
    session = ended_session(event, organiser)
    client.force_login(organiser)
    url = reverse("workspace:forum_summary_commitments", kwargs={"session": session.pk})
    response = client.get(url, {"prefix": "announcements-0", "announcements-0-find": "sol"})
    assert response.status_code == 200
    values = re.findall(r'<option value="(\d*)"', response.content.decode())
    assert values == ["", str(solar.pk)]
    client.force_login(factories.UserFactory())
    assert client.get(url, {"prefix": "announcements-0"}).status_code == 404


# The console tracker ---------------------------------------------------------------------------


def tracker_world(event: Any, organiser: Any) -> dict[str, Session]:
    sessions = {
        "submitted": ended_session(event, organiser, ended=2 * DAY),
        "late": ended_session(event, organiser, ended=20 * DAY),
        "missing": ended_session(event, organiser, ended=16 * DAY),
        "due": ended_session(event, organiser, ended=3 * DAY),
        "no_row": ended_session(event, organiser, ended=HOUR),
        "future": ended_session(event, organiser, ends_at=timezone.now() + DAY),
        "cancelled": ended_session(event, organiser, status=Session.Status.CANCELLED),
    }
    for name in ("submitted", "late"):
        domain.submit_summary(actor=organiser, summary=written(sessions[name], organiser))
    for name in ("missing", "due"):
        written(sessions[name], organiser)
    return sessions


@pytest.mark.dates
def test_the_trackers_counts(event, organiser) -> None:
    sessions = tracker_world(event, organiser)
    rows, counts = tracker(event, timezone.now())
    assert counts == {"submitted": 1, "late": 1, "missing": 1, "due": 2}
    assert {row.session.pk: row.state for row in rows} == {
        sessions["submitted"].pk: "submitted",
        sessions["late"].pk: "late",
        sessions["missing"].pk: "missing",
        sessions["due"].pk: "due",
        sessions["no_row"].pk: "due",
    }


@pytest.mark.dates
def test_the_tracker_page_filters_and_links_each_summary(
    client: Client, event, organiser, secretariat
) -> None:
    sessions = tracker_world(event, organiser)
    programme = event.programme
    client.force_login(secretariat)
    url = reverse(
        "console:forum_summaries", kwargs={"programme": programme.slug, "event": event.slug}
    )
    page = client.get(url).content.decode()
    assert re.findall(r'<strong data-state="(\w+)">(\d+)</strong>', page) == [
        ("all", "5"),
        ("submitted", "1"),
        ("late", "1"),
        ("missing", "1"),
        ("due", "2"),
    ]
    only_missing = client.get(url, {"status": "missing"}).content.decode()
    assert re.findall(r'<tr data-state="(\w+)">', only_missing) == ["missing"]
    detail = reverse(
        "console:forum_summary",
        kwargs={"programme": programme.slug, "event": event.slug, "session": sessions["late"].pk},
    )
    assert detail in page
    read = client.get(detail).content.decode()
    assert "Pool funds for local action." in read and "Submitted late" in read


def test_the_tracker_is_the_secretariats_of_this_programme_only(
    client: Client, event, organiser, secretariat
) -> None:
    programme = event.programme
    session = ended_session(event, organiser)
    written(session, organiser)
    urls = [
        reverse(
            "console:forum_summaries", kwargs={"programme": programme.slug, "event": event.slug}
        ),
        reverse(
            "console:forum_summary",
            kwargs={"programme": programme.slug, "event": event.slug, "session": session.pk},
        ),
        reverse("console:forum_settings", kwargs={"programme": programme.slug}),
    ]
    for person, expected in (
        (secretariat, 200),
        (factories.staff(programme, ProgrammeRole.Role.REVIEWER), 403),
        (organiser, 403),
        (factories.staff(factories.ProgrammeFactory()), 403),
    ):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [expected] * 3
    # An event of another programme, through this programme's URL: 404.
    other = factories.EventFactory()
    client.force_login(secretariat)
    url = reverse(
        "console:forum_summaries", kwargs={"programme": programme.slug, "event": other.slug}
    )
    assert client.get(url).status_code == 404


# The public include ----------------------------------------------------------------------------


def test_the_public_include_shows_key_messages_and_recommendations_only(event, organiser) -> None:
    session = ended_session(event, organiser)
    summary = draft(
        session,
        organiser,
        key_messages="Energy access needs finance.",
        recommendations=[RecommendationInput("Pool funds.")],
        participants_in_person=10,
        participation_by_category={"youth_led": 7},
        announcements=[
            AnnouncementInput(title="Mini-grid fund", contact_email="fund@sahel.example")
        ],
    )
    include = "public/forum/_session_summary.html"
    assert render_to_string(include, {"summary": summary}).strip() == ""
    domain.submit_summary(actor=organiser, summary=summary)
    html = render_to_string(include, {"summary": summary})
    assert "Energy access needs finance." in html and "Pool funds." in html
    for hidden in ("fund@sahel.example", "Mini-grid fund", "Youth", organiser.email, "Amina"):
        assert hidden not in html
    assert render_to_string(include, {"summary": None}).strip() == ""


def test_without_javascript_the_find_button_narrows_the_list_and_saves_nothing(
    client: Client, event, organiser
) -> None:
    theme = factories.ThemeFactory(programme=event.programme)
    solar = factories.CommitmentFactory(
        theme=theme, status=Commitment.Status.CONFIRMED, title="Solar for 100 clinics"
    )
    factories.CommitmentFactory(theme=theme, status=Commitment.Status.CONFIRMED, title="Water")
    session = ended_session(event, organiser)
    client.force_login(organiser)
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    data = form_data(["Typed."], key_messages="Kept.", find="announcements-0")
    data.update({"announcements-TOTAL_FORMS": "1", "announcements-0-find": "SOLAR"})
    response = client.post(url, data)
    assert response.status_code == 200
    [row] = response.context["announcements"].forms
    assert [value for value, _label in row.fields["commitment"].choices] == ["", str(solar.pk)]
    assert response.context["form"]["key_messages"].value() == "Kept."
    assert not SessionSummary.objects.exists()


def test_the_summary_pages_say_which_announcements_are_not_on_the_platform_yet(
    client: Client, event, organiser, secretariat
) -> None:
    session = ended_session(event, organiser)
    summary = draft(
        session,
        organiser,
        key_messages="Energy.",
        announcements=[
            AnnouncementInput(title="Mini-grid fund", contact_email="fund@sahel.example"),
            AnnouncementInput(title="Clean cooking pledge"),
        ],
    )
    client.force_login(organiser)
    form_page = client.get(reverse("workspace:forum_summary", kwargs={"session": session.pk}))
    text = form_page.content.decode()
    assert "invited to register it when the summary is submitted" in text
    assert "invite them: give a contact e-mail below" in text
    domain.submit_summary(actor=organiser, summary=summary)
    client.force_login(secretariat)
    read = client.get(
        reverse(
            "console:forum_summary",
            kwargs={"programme": event.programme.slug, "event": event.slug, "session": session.pk},
        )
    ).content.decode()
    assert read.count("not on the platform yet") == 2
    assert "fund@sahel.example invited to register it on " in read
    assert "invite them: no contact e-mail was given" in read
    settings_page = client.get(
        reverse("console:forum_settings", kwargs={"programme": event.programme.slug})
    ).content.decode()
    assert (
        reverse(
            "console:forum_summaries",
            kwargs={"programme": event.programme.slug, "event": event.slug},
        )
        in settings_page
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_mail_once() -> None:
    """Two workers run the periodic check at the same instant (threads, each with its own
    connection): one task and one reminder per summary, one mail each.  PostgreSQL only:
    SQLite's shared in-memory test database refuses concurrent writers outright."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (make test-postgres)")
    programme = factories.ProgrammeFactory(kind=Programme.Kind.PARTNERSHIP_FORUM)
    event = factories.EventFactory(programme=programme)
    organiser = factories.UserFactory()
    sessions = [ended_session(event, organiser, ended=HOUR * (i + 1)) for i in range(5)]
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def worker(run: Any, now: dt.datetime) -> None:
        try:
            barrier.wait()
            run(now=now)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    for run, now in (
        (domain.open_summary_tasks, timezone.now()),
        (domain.send_summary_reminders, timezone.now() + 12 * DAY),
    ):
        threads = [threading.Thread(target=worker, args=(run, now)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert SessionSummary.objects.count() == len(sessions)
    kinds = sorted(SummaryReminder.objects.values_list("kind", flat=True))
    assert kinds == ["before"] * 5 + ["task"] * 5
    assert len(mail.outbox) == 10


def test_an_organiser_revises_a_submitted_summary_through_the_form(
    client: Client, event, organiser
) -> None:
    session = ended_session(event, organiser)
    summary = domain.submit_summary(actor=organiser, summary=written(session, organiser))
    [kept] = summary.recommendations.all()
    client.force_login(organiser)
    url = reverse("workspace:forum_summary", kwargs={"session": session.pk})
    page = client.get(url).content.decode()
    assert "Save changes" in page and "Save and submit" not in page
    data = form_data(["Pool funds for local action, by 2027."], key_messages="Revised.", save="1")
    data.update({"recommendations-0-id": str(kept.pk), "recommendations-INITIAL_FORMS": "1"})
    response = client.post(url, data)
    assert response.status_code == 302
    summary.refresh_from_db()
    assert (summary.status, summary.key_messages) == ("submitted", "Revised.")
    assert list(summary.recommendations.values_list("pk", "text")) == [
        (kept.pk, "Pool funds for local action, by 2027.")
    ]
    assert AuditEntry.objects.filter(action="session_summary.revised", actor=organiser).count() == 1
