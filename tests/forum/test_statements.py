"""Stakeholder statements for plenaries: submitted by a representative, withdrawn, selected
(published on the session page) or declined by the secretariat, who notifies the organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pledgebook.core.models import AuditEntry
from pledgebook.forum.domain import statements as domain
from pledgebook.forum.models import Session, Statement
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return factories.EventFactory()


@pytest.fixture
def plenary(event):
    """A plenary of the event that ends tomorrow (statements are taken before it ends)."""
    now = timezone.now()
    return factories.SessionFactory(
        event=event,
        kind=Session.Kind.PLENARY,
        title="Opening plenary",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=1),
    )


@pytest.fixture
def organisation():
    return factories.OrganisationFactory(name="Women's Water Network")


@pytest.fixture
def rep(organisation):
    return factories.representative(organisation)


@pytest.fixture
def secretariat(event):
    return factories.staff(event.programme)


def submit(rep, session, organisation, **kw):
    return domain.submit_statement(
        actor=rep,
        session=session,
        organisation=organisation,
        title=kw.get("title", "Water for all"),
        text=kw.get("text", "We call on member states to fund rural water systems."),
    )


def test_a_representative_submits_a_statement(plenary, organisation, rep):
    statement = submit(rep, plenary, organisation)
    assert statement.status == Statement.Status.SUBMITTED
    assert statement.submitted_by == rep
    entry = AuditEntry.objects.get(action="statement.submitted")
    assert entry.programme == plenary.event.programme


def test_someone_else_cannot_submit_for_the_organisation(plenary, organisation):
    outsider = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        submit(outsider, plenary, organisation)
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"kind": Session.Kind.BREAKOUT}, "session", "Statements are taken for plenary"),
        ({"status": Session.Status.CANCELLED}, "session", "This session is cancelled"),
    ],
)
def test_refused_for_other_sessions(plenary, organisation, rep, change, field, message):
    Session.objects.filter(pk=plenary.pk).update(**change)
    plenary.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        submit(rep, plenary, organisation)
    assert exc.value.message_dict[field][0].startswith(message)
    assert Statement.objects.count() == 0


def test_refused_for_an_unpublished_event(plenary, organisation, rep):
    plenary.event.is_published = False
    plenary.event.save()
    with pytest.raises(ValidationError) as exc:
        submit(rep, plenary, organisation)
    assert exc.value.message_dict["session"] == [
        "The event is not published: it takes no statements yet."
    ]
    assert Statement.objects.count() == 0


def test_refused_with_an_empty_text(plenary, organisation, rep):
    with pytest.raises(ValidationError) as exc:
        submit(rep, plenary, organisation, text="   \n ")
    assert exc.value.message_dict == {"text": ["The statement is empty: write its text."]}
    assert Statement.objects.count() == 0


@pytest.mark.dates
def test_refused_after_the_session_ended(event, organisation, rep):
    ended = factories.SessionFactory(event=event, kind=Session.Kind.PLENARY)  # ended days ago
    with pytest.raises(ValidationError) as exc:
        submit(rep, ended, organisation)
    assert exc.value.message_dict["session"][0].startswith("The session ended on ")
    assert Statement.objects.count() == 0


def test_withdraw_by_the_organisation_only(plenary, organisation, rep):
    statement = submit(rep, plenary, organisation)
    with pytest.raises(PermissionDenied):
        domain.withdraw_statement(actor=factories.UserFactory(), statement=statement)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SUBMITTED
    domain.withdraw_statement(actor=rep, statement=statement)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        domain.withdraw_statement(actor=rep, statement=statement)


def test_select_publishes_and_notifies(plenary, organisation, rep, secretariat):
    statement = submit(rep, plenary, organisation)
    mail.outbox.clear()
    domain.select_statement(actor=secretariat, statement=statement)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SELECTED
    assert statement.decided_by == secretariat
    assert [m.to for m in mail.outbox] == [[rep.email]]
    assert mail.outbox[0].subject == "Your statement “Water for all” was selected"
    assert "/workspace/forum/statements/" in mail.outbox[0].body
    try:
        session_url = plenary.get_absolute_url()
    except NoReverseMatch:  # the public session page is another helper's (merged later)
        session_url = ""
    assert session_url in mail.outbox[0].body
    assert list(domain.published_statements(plenary)) == [statement]
    assert AuditEntry.objects.filter(action="statement.selected").count() == 1


def test_only_the_secretariat_selects_or_declines(plenary, organisation, rep):
    statement = submit(rep, plenary, organisation)
    other_secretariat = factories.staff(factories.ProgrammeFactory())
    for actor in (rep, other_secretariat, factories.UserFactory()):
        with pytest.raises(PermissionDenied):
            domain.select_statement(actor=actor, statement=statement)
        with pytest.raises(PermissionDenied):
            domain.decline_statement(actor=actor, statement=statement, reason="No")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SUBMITTED
    assert list(domain.published_statements(plenary)) == []


def test_decline_needs_a_reason_and_notifies_it(plenary, organisation, rep, secretariat):
    statement = submit(rep, plenary, organisation)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as exc:
        domain.decline_statement(actor=secretariat, statement=statement, reason=" ")
    assert exc.value.message_dict == {"reason": ["Give the reason the organisation will read."]}
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SUBMITTED
    assert mail.outbox == []
    domain.decline_statement(actor=secretariat, statement=statement, reason="Too many speakers.")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DECLINED
    assert statement.decision_reason == "Too many speakers."
    assert mail.outbox[0].subject == "Your statement “Water for all” was not selected"
    assert "Reason: Too many speakers." in mail.outbox[0].body


def test_a_withdrawn_statement_cannot_be_selected(plenary, organisation, rep, secretariat):
    statement = submit(rep, plenary, organisation)
    domain.withdraw_statement(actor=rep, statement=statement)
    with pytest.raises(ValidationError) as exc:
        domain.select_statement(actor=secretariat, statement=statement)
    assert exc.value.messages == ["This statement is withdrawn: it cannot be selected."]


def test_the_public_include_shows_selected_statements_only(plenary, organisation, rep, secretariat):
    chosen = submit(rep, plenary, organisation, text="Fund <b>rural</b> water.")
    submit(rep, plenary, organisation, title="Second", text="Not chosen text.")
    domain.select_statement(actor=secretariat, statement=chosen)
    html = render_to_string("public/forum/_statements.html", domain.statements_context(plenary))
    assert "Women&#x27;s Water Network" in html
    assert "Fund &lt;b&gt;rural&lt;/b&gt; water." in html
    assert "Not chosen text." not in html
    empty = factories.SessionFactory(event=plenary.event)
    assert "Statements" not in render_to_string(
        "public/forum/_statements.html", domain.statements_context(empty)
    )


# Pages -------------------------------------------------------------------------------------------


def test_workspace_submit_page(client, plenary, organisation, rep):
    client.force_login(rep)
    url = reverse("workspace:forum_statement_submit")
    page = client.get(url)
    assert page.status_code == 200
    assert "Opening plenary" in page.content.decode()
    empty = client.post(
        url,
        {"organisation": organisation.pk, "session": plenary.pk, "title": "T", "text": ""},
    )
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert Statement.objects.count() == 0
    done = client.post(
        url,
        {
            "organisation": organisation.pk,
            "session": plenary.pk,
            "title": "Water for all",
            "text": "Fund rural water.",
        },
    )
    assert done.status_code == 302
    assert Statement.objects.get().organisation == organisation
    mine = client.get(reverse("workspace:forum_statements"))
    assert "Water for all" in mine.content.decode()


def test_workspace_submit_refuses_another_organisation(client, plenary, rep):
    other = factories.OrganisationFactory()
    client.force_login(rep)
    response = client.post(
        reverse("workspace:forum_statement_submit"),
        {"organisation": other.pk, "session": plenary.pk, "title": "T", "text": "Text"},
    )
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_console_statements_page(client, plenary, organisation, rep, secretariat):
    statement = submit(rep, plenary, organisation)
    event = plenary.event
    url = reverse("console:forum_statements", args=[event.programme.slug, event.slug])
    client.force_login(rep)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    listing = client.get(reverse("console:forum_consultations", args=[event.programme.slug]))
    assert f'href="{url}"' in listing.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "Water for all" in page.content.decode()
    select = reverse("console:forum_statement_select", args=[event.programme.slug, statement.pk])
    assert client.post(select).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SELECTED


def test_console_statement_of_another_programme_is_404(client, plenary, organisation, rep):
    statement = submit(rep, plenary, organisation)
    elsewhere = factories.ProgrammeFactory()
    boss = factories.staff(elsewhere)
    client.force_login(boss)
    response = client.post(
        reverse("console:forum_statement_select", args=[elsewhere.slug, statement.pk])
    )
    assert response.status_code == 404
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SUBMITTED
