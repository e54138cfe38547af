"""Participation: registration in person or online, the in-person capacity and its waiting
list (a freed place goes to the first waiting, who is told), changes of mode, marked sessions,
the figures of the secretariat's page, the registrations CSV, and the pages."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from pledgebook.core.models import AuditEntry
from pledgebook.core.site import absolute_url
from pledgebook.forum.domain import participation
from pledgebook.forum.figures import participation as figures
from pledgebook.forum.models import Registration, Session, SessionMark
from pledgebook.organisations.models import Category
from pledgebook.reference.models import Country
from tests import factories

pytestmark = pytest.mark.django_db
M, S = Registration.Mode, Registration.Status


@pytest.fixture
def event():
    return factories.upcoming_event(in_person_capacity=2, name="Partnership Forum 2025")


def person(name: str = ""):
    return factories.UserFactory(**({"username": f"{name}@example.org"} if name else {}))


def state(user, event) -> tuple[str, str]:
    r = Registration.objects.get(user=user, event=event)
    return r.mode, r.status


def actions(registration) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="forum.registration", object_id=registration.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Registering -------------------------------------------------------------------------------------


def test_registering_in_person_takes_a_place_and_confirms_it(event):
    ada = person("ada")
    kenya = Country.objects.get(iso2="KE")
    organisation = factories.OrganisationFactory()
    factories.representative(organisation, ada)

    registration = participation.register(
        actor=ada,
        event=event,
        mode=M.IN_PERSON,
        organisation=organisation,
        category=Category.WOMEN,
        country=kenya,
        gender=Registration.Gender.WOMAN,
    )

    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.mode, stored.status, stored.organisation, stored.category, stored.country) == (
        M.IN_PERSON,
        S.REGISTERED,
        organisation,
        Category.WOMEN,
        kenya,
    )
    assert actions(stored) == ["registration.registered"]
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Registered for Partnership Forum 2025"
    assert "You are registered to take part in Partnership Forum 2025 in person." in message.body
    assert absolute_url(register_url(event)) in message.body


def test_past_the_capacity_in_person_goes_to_the_waiting_list_and_online_does_not(event):
    for name in ("a", "b"):
        participation.register(actor=person(name), event=event, mode=M.IN_PERSON)
    mail.outbox.clear()
    late, remote = person("late"), person("remote")

    waiting = participation.register(actor=late, event=event, mode=M.IN_PERSON)
    participation.register(actor=remote, event=event, mode=M.ONLINE)

    assert state(late, event) == (M.IN_PERSON, S.WAITLISTED)
    assert state(remote, event) == (M.ONLINE, S.REGISTERED)
    assert actions(waiting) == ["registration.waitlisted"]
    assert mail.outbox[0].subject == "On the waiting list for Partnership Forum 2025"
    assert "you are on the waiting list" in mail.outbox[0].body
    assert participation.places_left(event) == 0


def test_registering_again_changes_the_one_registration(event):
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.IN_PERSON)
    participation.register(
        actor=ada, event=event, mode=M.IN_PERSON, gender=Registration.Gender.WOMAN
    )
    assert Registration.objects.filter(user=ada).count() == 1
    assert Registration.objects.get(user=ada).gender == Registration.Gender.WOMAN
    assert state(ada, event) == (M.IN_PERSON, S.REGISTERED)


def test_a_person_with_a_place_keeps_it_when_registering_again_at_capacity(event):
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.IN_PERSON)
    participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    participation.register(actor=ada, event=event, mode=M.IN_PERSON, category=Category.YOUTH_LED)
    assert state(ada, event) == (M.IN_PERSON, S.REGISTERED)


def test_registration_refused_when_closed_unpublished_or_anonymous(event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        participation.register(actor=AnonymousUser(), event=event, mode=M.ONLINE)
    event.registration_open = False
    event.save()
    with pytest.raises(PermissionDenied):
        participation.register(actor=person(), event=event, mode=M.ONLINE)
    event.registration_open, event.is_published = True, False
    event.save()
    with pytest.raises(PermissionDenied):
        participation.register(actor=person(), event=event, mode=M.ONLINE)
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_bad_details_are_refused_at_their_field(event):
    stranger_org = factories.OrganisationFactory()
    event.is_hybrid = False
    event.save()
    with pytest.raises(ValidationError) as refused:
        participation.register(
            actor=person(),
            event=event,
            mode=M.ONLINE,
            organisation=stranger_org,
            category="aliens",
            gender="x",
        )
    assert refused.value.message_dict == {
        "mode": ["This event takes place in person only."],
        "organisation": ["You do not act for this organisation."],
        "category": ["Choose a stakeholder category from the list."],
        "gender": ["Choose a gender from the list."],
    }
    assert Registration.objects.count() == 0


# Cancelling and the waiting list ---------------------------------------------------------------


@pytest.mark.dates
def test_cancelling_a_place_gives_it_to_the_first_waiting_who_is_told(event):
    ada, bea = person("ada"), person("bea")
    first_place = participation.register(actor=ada, event=event, mode=M.IN_PERSON)
    participation.register(actor=bea, event=event, mode=M.IN_PERSON)
    cai, dan = person("cai"), person("dan")
    participation.register(actor=cai, event=event, mode=M.IN_PERSON)
    participation.register(actor=dan, event=event, mode=M.IN_PERSON)
    mail.outbox.clear()

    participation.cancel_registration(actor=ada, registration=first_place)

    assert state(ada, event) == (M.IN_PERSON, S.CANCELLED)
    assert state(cai, event) == (M.IN_PERSON, S.REGISTERED)
    assert state(dan, event) == (M.IN_PERSON, S.WAITLISTED)
    promoted = Registration.objects.get(user=cai)
    assert actions(promoted) == ["registration.waitlisted", "registration.moved_off_waitlist"]
    assert actions(first_place) == ["registration.registered", "registration.cancelled"]
    (message,) = mail.outbox
    assert message.to == ["cai@example.org"]
    assert message.subject == "A place in person for you at Partnership Forum 2025"


def test_cancelling_from_the_waiting_list_gives_no_place(event):
    for _ in range(2):
        participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    cai, dan = person("cai"), person("dan")
    waiting = participation.register(actor=cai, event=event, mode=M.IN_PERSON)
    participation.register(actor=dan, event=event, mode=M.IN_PERSON)

    participation.cancel_registration(actor=cai, registration=waiting)

    assert state(dan, event) == (M.IN_PERSON, S.WAITLISTED)
    assert participation.places_left(event) == 0


def test_only_the_person_or_the_secretariat_cancels_and_not_twice(event):
    ada = person("ada")
    registration = participation.register(actor=ada, event=event, mode=M.ONLINE)
    with pytest.raises(PermissionDenied):
        participation.cancel_registration(actor=person(), registration=registration)
    assert state(ada, event) == (M.ONLINE, S.REGISTERED)

    participation.cancel_registration(
        actor=factories.staff(event.programme), registration=registration
    )
    assert state(ada, event) == (M.ONLINE, S.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        participation.cancel_registration(actor=ada, registration=registration)
    assert refused.value.messages == [
        "This registration is cancelled: it cannot be cancelled again."
    ]


def test_a_cancelled_person_registering_again_joins_the_end_of_the_queue(event):
    ada = person("ada")
    mine = participation.register(actor=ada, event=event, mode=M.IN_PERSON)
    participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    waiting = person("waiting")
    participation.register(actor=waiting, event=event, mode=M.IN_PERSON)
    participation.cancel_registration(actor=ada, registration=mine)  # waiting gets the place

    participation.register(actor=ada, event=event, mode=M.IN_PERSON)

    assert state(waiting, event) == (M.IN_PERSON, S.REGISTERED)
    assert state(ada, event) == (M.IN_PERSON, S.WAITLISTED)


# Changing the mode -----------------------------------------------------------------------------


def test_going_online_frees_the_place_and_coming_back_waits(event):
    ada = person("ada")
    mine = participation.register(actor=ada, event=event, mode=M.IN_PERSON)
    participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    cai = person("cai")
    participation.register(actor=cai, event=event, mode=M.IN_PERSON)

    participation.change_mode(actor=ada, registration=mine, mode=M.ONLINE)
    assert state(ada, event) == (M.ONLINE, S.REGISTERED)
    assert state(cai, event) == (M.IN_PERSON, S.REGISTERED)

    participation.change_mode(actor=ada, registration=mine, mode=M.IN_PERSON)
    assert state(ada, event) == (M.IN_PERSON, S.WAITLISTED)


def test_changing_the_mode_refused_to_others_and_to_the_same_mode(event):
    ada = person("ada")
    mine = participation.register(actor=ada, event=event, mode=M.ONLINE)
    with pytest.raises(PermissionDenied):
        participation.change_mode(actor=person(), registration=mine, mode=M.IN_PERSON)
    with pytest.raises(ValidationError) as refused:
        participation.change_mode(actor=ada, registration=mine, mode=M.ONLINE)
    assert refused.value.message_dict == {"mode": ["You are already registered this way."]}
    assert state(ada, event) == (M.ONLINE, S.REGISTERED)


# Marked sessions -------------------------------------------------------------------------------


def test_a_registered_person_marks_and_unmarks_sessions(event):
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.ONLINE)
    later = factories.SessionFactory(event=event, title="Later")
    session = factories.SessionFactory(
        event=event,
        title="Opening",
        starts_at=later.starts_at.replace(hour=later.starts_at.hour - 1),
    )

    participation.mark_session(actor=ada, session=later)
    participation.mark_session(actor=ada, session=session)
    participation.mark_session(actor=ada, session=session)  # twice: still one mark

    assert [s.title for s in participation.my_sessions(ada, event)] == ["Opening", "Later"]
    assert participation.unmark_session(actor=ada, session=session) is True
    assert participation.unmark_session(actor=ada, session=session) is False
    assert [s.title for s in participation.my_sessions(ada)] == ["Later"]


def test_marking_refused_without_a_registration_or_on_a_cancelled_session(event):
    session = factories.SessionFactory(event=event)
    with pytest.raises(PermissionDenied):
        participation.mark_session(actor=person(), session=session)
    ada = person("ada")
    mine = participation.register(actor=ada, event=event, mode=M.ONLINE)
    cancelled = factories.SessionFactory(event=event, status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        participation.mark_session(actor=ada, session=cancelled)
    assert refused.value.messages == [
        "This session is cancelled: it cannot be added to your sessions."
    ]
    participation.cancel_registration(actor=ada, registration=mine)
    with pytest.raises(PermissionDenied):
        participation.mark_session(actor=ada, session=session)
    assert SessionMark.objects.count() == 0


# Figures ---------------------------------------------------------------------------------------


def test_the_figures_count_places_held_and_every_breakdown_adds_up(event):
    kenya, france = Country.objects.get(iso2="KE"), Country.objects.get(iso2="FR")
    participation.register(
        actor=person(), event=event, mode=M.IN_PERSON, category=Category.WOMEN, country=kenya
    )
    participation.register(
        actor=person(),
        event=event,
        mode=M.IN_PERSON,
        category=Category.YOUTH_LED,
        country=france,
        gender=Registration.Gender.MAN,
    )
    participation.register(actor=person(), event=event, mode=M.IN_PERSON)  # waiting
    participation.register(
        actor=person(), event=event, mode=M.ONLINE, category=Category.WOMEN, country=kenya
    )
    gone = participation.register(actor=person(), event=event, mode=M.ONLINE)
    participation.cancel_registration(actor=gone.user, registration=gone)

    found = figures(event)

    assert (found.in_person, found.online, found.waitlisted, found.total) == (2, 1, 1, 3)
    for breakdown in (found.by_category, found.by_region, found.by_gender):
        assert breakdown.total == found.total
    assert [(key, i, o) for key, _label, i, o in found.by_category.rows] == [
        (Category.WOMEN, 1, 1),
        (Category.YOUTH_LED, 1, 0),
    ]
    assert [(label, i, o) for _key, label, i, o in found.by_gender.rows] == [
        ("Man", 1, 0),
        ("Not given", 1, 1),
    ]
    regions = {label: (i, o) for _key, label, i, o in found.by_region.rows}
    assert regions == {
        kenya.region.name: (1, 1),
        france.region.name: (1, 0),
    }


# Two people taking the last place at once (PostgreSQL) ------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_place_at_once_one_gets_it():
    """Two people register in person for the last place, each on their own connection. The
    first keeps its transaction open until the second is seen waiting on the event's lock;
    the second then counts the first's place and joins the waiting list."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are tested on PostgreSQL")
    event = factories.upcoming_event(in_person_capacity=1)
    ada, bea = person("ada"), person("bea")
    first_done = threading.Event()
    outcomes: dict[str, object] = {}

    def waiting_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a snapshot taken at its first read.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    def first() -> None:
        try:
            with transaction.atomic():
                participation.register(actor=ada, event=event, mode=M.IN_PERSON)
                first_done.set()
                for _attempt in range(200):
                    if waiting_on_a_lock():
                        outcomes["second waited"] = True
                        break
                    threading.Event().wait(0.05)
            outcomes["first"] = "done"
        except Exception as exc:
            outcomes["first"] = exc
        finally:
            first_done.set()
            connections.close_all()

    def second() -> None:
        try:
            first_done.wait(timeout=30)
            participation.register(actor=bea, event=event, mode=M.IN_PERSON)
            outcomes["second"] = "done"
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert (outcomes["first"], outcomes["second"]) == ("done", "done")
    assert outcomes.get("second waited") is True
    assert state(ada, event) == (M.IN_PERSON, S.REGISTERED)
    assert state(bea, event) == (M.IN_PERSON, S.WAITLISTED)


# Pages -----------------------------------------------------------------------------------------


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def register_url(event) -> str:
    return reverse(
        "workspace:forum_register",
        kwargs={"programme": event.programme.slug, "event": event.slug},
    )


def test_anonymous_people_are_sent_to_sign_in_and_come_back(event):
    response = client_for().get(register_url(event))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={register_url(event)}"
    assert client_for().post(register_url(event), {"mode": "online"}).status_code == 302
    assert Registration.objects.count() == 0


def test_the_register_page_registers_and_says_the_waiting_list_plainly(event):
    for _ in range(2):
        participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    ada = person("ada")
    client = client_for(ada)
    page = client.get(register_url(event)).content.decode()
    assert (
        "All places in person are taken: registering in person puts you on the waiting list."
        in page
    )

    response = client.post(
        register_url(event), {"mode": "in_person", "category": "women"}, follow=True
    )

    assert state(ada, event) == (M.IN_PERSON, S.WAITLISTED)
    html = response.content.decode()
    assert "All places in person are taken: you are on the waiting list." in html
    assert "You are on the waiting list for a place in person." in html
    assert "You are number 1 on the list." in html


def test_the_register_page_changes_and_cancels(event):
    ada = person("ada")
    client = client_for(ada)
    client.post(register_url(event), {"mode": "in_person"})
    assert state(ada, event) == (M.IN_PERSON, S.REGISTERED)
    client.post(register_url(event), {"mode": "online", "gender": "woman"})
    assert state(ada, event) == (M.ONLINE, S.REGISTERED)
    cancel = reverse(
        "workspace:forum_registration_cancel",
        kwargs={"programme": event.programme.slug, "event": event.slug},
    )
    assert client.post(cancel).status_code == 302
    assert state(ada, event) == (M.ONLINE, S.CANCELLED)


def test_the_register_page_shows_errors_at_the_field_and_keeps_the_choices(event):
    ada = person("ada")
    other = factories.OrganisationFactory()
    response = client_for(ada).post(
        register_url(event), {"mode": "", "organisation": other.pk, "gender": "woman"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"mode", "organisation"}
    assert 'value="woman" selected' in response.content.decode()
    assert Registration.objects.count() == 0


def test_registration_closed_is_refused_by_the_page(event):
    event.registration_open = False
    event.save()
    ada = person("ada")
    page = client_for(ada).get(register_url(event))
    assert "Registration for this event is closed." in page.content.decode()
    assert client_for(ada).post(register_url(event), {"mode": "online"}).status_code == 403
    assert Registration.objects.count() == 0


def test_an_unpublished_event_is_404(event):
    event.is_published = False
    event.save()
    assert client_for(person()).get(register_url(event)).status_code == 404


@pytest.mark.dates
def test_mark_and_unmark_from_a_page_and_my_sessions_in_venue_time(event):
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.ONLINE)
    session = factories.SessionFactory(event=event, title="Opening plenary")
    client = client_for(ada)
    mark = reverse("workspace:forum_mark", kwargs={"pk": session.pk})
    unmark = reverse("workspace:forum_unmark", kwargs={"pk": session.pk})

    response = client.post(mark, {"next": "/somewhere/"})
    assert response["Location"] == "/somewhere/"
    assert SessionMark.objects.filter(user=ada, session=session).exists()

    mine = reverse(
        "workspace:forum_my_sessions",
        kwargs={"programme": event.programme.slug, "event": event.slug},
    )
    html = client.get(mine).content.decode()
    assert "Opening plenary" in html
    assert "10:00" in html  # the factory's 10:00 at the venue (America/New_York)
    assert "Times are the venue's (America/New_York)." in html
    assert "Remove from my sessions" in html

    assert client.post(unmark, {"next": "https://elsewhere.example/"})["Location"] == mine
    assert not SessionMark.objects.exists()


def test_marking_without_a_registration_changes_nothing(event):
    session = factories.SessionFactory(event=event)
    response = client_for(person()).post(reverse("workspace:forum_mark", kwargs={"pk": session.pk}))
    assert response["Location"] == register_url(event)
    assert not SessionMark.objects.exists()


def test_marking_by_htmx_answers_with_the_button(event):
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.ONLINE)
    session = factories.SessionFactory(event=event, title="Opening plenary")
    response = client_for(ada).post(
        reverse("workspace:forum_mark", kwargs={"pk": session.pk}),
        {"next": "/x/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Remove from my sessions" in response.content.decode()


def test_the_mark_button_include_for_each_kind_of_visitor(event):
    session = factories.SessionFactory(event=event, title="Opening plenary")
    template = Template('{% include "forum/_mark_button.html" %}')

    def render(user):
        request = RequestFactory().get("/session/")
        request.user = user
        return template.render(Context({"session": session, "request": request}))

    from django.contrib.auth.models import AnonymousUser

    assert "Register for the event to add this session to yours" in render(AnonymousUser())
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.ONLINE)
    assert "Add to my sessions" in render(ada)
    participation.mark_session(actor=ada, session=session)
    assert "Remove from my sessions" in render(ada)


# Console participation page and the registrations CSV ---------------------------------------


def participation_url(event) -> str:
    return reverse(
        "console:forum_participation",
        kwargs={"programme": event.programme.slug, "event": event.slug},
    )


def test_the_console_page_shows_the_figures_of_figures_py(event):
    kenya = Country.objects.get(iso2="KE")
    participation.register(
        actor=person(), event=event, mode=M.IN_PERSON, category=Category.WOMEN, country=kenya
    )
    participation.register(actor=person(), event=event, mode=M.ONLINE)
    secretariat = factories.staff(event.programme)

    response = client_for(secretariat).get(participation_url(event))

    assert response.status_code == 200
    assert response.context["figures"] == figures(event)
    html = response.content.decode()
    assert kenya.region.name in html
    assert "Women&#x27;s and feminist organisation or movement" in html
    assert "?programme=" in html and "forum-registrations-csv" in html


def test_the_registrations_csv_for_the_secretariat_only(event):
    ada = person("ada")
    participation.register(actor=ada, event=event, mode=M.IN_PERSON, category=Category.WOMEN)
    elsewhere = factories.upcoming_event()
    participation.register(actor=person(), event=elsewhere, mode=M.ONLINE)
    url = reverse("api:export", kwargs={"identifier": "forum-registrations-csv"})
    params = {"programme": event.programme.slug, "event": event.slug}

    assert client_for().get(url, params).status_code == 404
    assert client_for(ada).get(url, params).status_code == 404
    other = factories.staff(elsewhere.programme)
    assert client_for(other).get(url, params).status_code == 404

    response = client_for(factories.staff(event.programme)).get(url, params)
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == (
        "event,name,email,mode,status,organisation,category,country,gender,registered_at"
    )
    assert len(lines) == 2
    assert lines[1].startswith(f"{event.slug},,ada@example.org,in_person,registered,,women,,,")

    # Without ?event=, still only the programme it was granted on.
    response = client_for(factories.staff(event.programme)).get(
        url, {"programme": event.programme.slug}
    )
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 2


def test_the_workspace_events_page_offers_what_each_person_may_do(event):
    event.proposals_open = True
    event.save()
    hidden = factories.EventFactory(programme=event.programme, is_published=False)
    organisation = factories.OrganisationFactory()
    representative = factories.representative(organisation)
    url = reverse("workspace:forum_events")

    html = client_for(representative).get(url).content.decode()
    assert event.name in html and hidden.name not in html
    assert (
        reverse(
            "workspace:forum_propose",
            kwargs={"programme": event.programme.slug, "event": event.slug},
        )
        in html
    )
    assert register_url(event) in html

    html = client_for(person()).get(url).content.decode()
    assert "Propose a side event" not in html
    assert register_url(event) in html
    assert client_for().get(url).status_code == 302


def test_the_secretariat_gives_places_freed_by_a_larger_capacity(event):
    for _ in range(2):
        participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    cai, dan, eve = person("cai"), person("dan"), person("eve")
    for someone in (cai, dan, eve):
        participation.register(actor=someone, event=event, mode=M.IN_PERSON)
    event.in_person_capacity = 4
    event.save()
    with pytest.raises(PermissionDenied):
        participation.give_free_places(actor=cai, event=event)
    assert state(cai, event) == (M.IN_PERSON, S.WAITLISTED)
    mail.outbox.clear()

    given = participation.give_free_places(actor=factories.staff(event.programme), event=event)

    assert [r.user for r in given] == [cai, dan]
    assert state(eve, event) == (M.IN_PERSON, S.WAITLISTED)
    assert sorted(m.to[0] for m in mail.outbox) == ["cai@example.org", "dan@example.org"]


def test_a_newcomer_does_not_pass_those_already_waiting(event):
    for _ in range(2):
        participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    cai = person("cai")
    participation.register(actor=cai, event=event, mode=M.IN_PERSON)
    event.in_person_capacity = 3
    event.save()

    newcomer = person("new")
    participation.register(actor=newcomer, event=event, mode=M.IN_PERSON)

    assert state(newcomer, event) == (M.IN_PERSON, S.WAITLISTED)
    assert state(cai, event) == (M.IN_PERSON, S.WAITLISTED)


def test_the_console_gives_free_places_and_only_the_secretariat(event):
    for _ in range(2):
        participation.register(actor=person(), event=event, mode=M.IN_PERSON)
    cai = person("cai")
    participation.register(actor=cai, event=event, mode=M.IN_PERSON)
    event.in_person_capacity = 3
    event.save()
    url = reverse(
        "console:forum_give_places",
        kwargs={"programme": event.programme.slug, "event": event.slug},
    )
    secretariat = factories.staff(event.programme)
    page = client_for(secretariat).get(participation_url(event)).content.decode()
    assert "Give the free places to the first on the waiting list" in page

    assert client_for(cai).post(url).status_code == 403
    assert state(cai, event) == (M.IN_PERSON, S.WAITLISTED)

    response = client_for(secretariat).post(url, follow=True)
    assert "1 person on the waiting list has a place now" in response.content.decode()
    assert state(cai, event) == (M.IN_PERSON, S.REGISTERED)
