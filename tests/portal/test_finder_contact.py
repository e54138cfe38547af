"""Contact requests of the partner finder (pledgebook.portal.domain.finder and the workspace
pages): send, reply, decline; limits; mail relayed without anyone's address; permissions
allowed and denied (denied changes nothing)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from pledgebook.core.models import AuditEntry
from pledgebook.organisations.models import Category as C
from pledgebook.portal.domain import finder as domain
from pledgebook.portal.models import ContactRequest
from tests import factories
from tests.portal import factories_finder as ff

pytestmark = pytest.mark.django_db

ALICE = "alice.sender@example.org"
ANNA = "anna.colleague@example.org"
BOB = "bob.recipient@example.org"
BEA = "bea.colleague@example.org"
CARL = "carl.stranger@example.org"


@pytest.fixture
def people(db):
    a = ff.org("Kenya Women Network", C.WOMEN, "KE")
    b = ff.org("Nordic Foundation", C.PHILANTHROPY, "NO")
    c = ff.org("Third Org", C.ACADEMIA, "BR")
    alice = factories.representative(a, factories.UserFactory(username=ALICE))
    anna = factories.representative(a, factories.UserFactory(username=ANNA))
    bob = factories.representative(b, factories.UserFactory(username=BOB))
    bea = factories.representative(b, factories.UserFactory(username=BEA))
    carl = factories.representative(c, factories.UserFactory(username=CARL))
    return {"a": a, "b": b, "c": c, "alice": alice, "anna": anna, "bob": bob, "bea": bea,
            "carl": carl}  # fmt: skip


def send(p, **kwargs):
    kwargs.setdefault("actor", p["alice"])
    kwargs.setdefault("sender", p["a"])
    kwargs.setdefault("recipient", p["b"])
    kwargs.setdefault("message", "We run women's fisheries; would you fund a pilot?")
    return domain.send_contact_request(**kwargs)


def _addresses(message) -> set[str]:
    return {*message.to, *message.cc, *message.bcc, *message.reply_to}


# Send --------------------------------------------------------------------------------------


def test_send_mails_the_recipients_from_the_platform_without_the_senders_address(people):
    req = send(people)
    assert (req.sender, req.recipient, req.sent_by, req.status) == (
        people["a"],
        people["b"],
        people["alice"],
        ContactRequest.Status.SENT,
    )
    [message] = mail.outbox
    assert sorted(message.to) == [BEA, BOB]
    assert message.reply_to == []
    assert message.from_email == settings.DEFAULT_FROM_EMAIL  # the platform's own address
    assert "Reply-To" not in message.extra_headers
    assert message.subject == "Kenya Women Network would like to partner with you"
    assert "We run women's fisheries; would you fund a pilot?" in message.body
    assert f"/workspace/partners/requests/{req.pk}/" in message.body
    for address in (ALICE, ANNA, "alice.sender", "example.org"):
        assert address not in message.body
        assert address not in message.subject
    entry = AuditEntry.objects.get(action="contact_request.sent")
    assert (entry.actor, entry.object_id) == (people["alice"], req.pk)


def test_send_to_ones_own_organisation_is_refused_at_the_field(people):
    with pytest.raises(ValidationError) as refused:
        send(people, recipient=people["a"])
    assert refused.value.message_dict == {
        "recipient": ["This is your own organisation: choose another one to contact."]
    }
    assert ContactRequest.objects.count() == 0
    assert mail.outbox == []


def test_the_same_pair_again_within_a_day_is_refused_and_allowed_the_next_day(people):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        send(people)
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 59, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError) as refused:
            send(people, actor=people["anna"])
        assert refused.value.message_dict == {
            "recipient": [
                "Kenya Women Network already wrote to Nordic Foundation in the last 24 hours: "
                "wait for their reply, or write again tomorrow."
            ]
        }
        send(people, recipient=people["c"])  # another organisation: fine
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC), tick=False):
        send(people)
    assert ContactRequest.objects.filter(recipient=people["b"]).count() == 2


@override_settings(PORTAL_CONTACT_REQUESTS_PER_DAY=2)
def test_at_most_the_daily_limit_per_organisation(people):
    others = [ff.org(f"Org {i}", C.SCIENCE, "DE") for i in range(3)]
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        send(people, recipient=others[0])
        send(people, recipient=others[1], actor=people["anna"])
        with pytest.raises(ValidationError) as refused:
            send(people, recipient=others[2])
    assert refused.value.messages == [
        "Kenya Women Network has sent its 2 contact requests of the last 24 hours: send this "
        "one tomorrow."
    ]
    assert ContactRequest.objects.count() == 2
    # Another organisation has its own count.
    domain.send_contact_request(
        actor=people["bob"], sender=people["b"], recipient=others[2], message="Hello"
    )


def test_the_default_daily_limit_is_ten():
    assert domain.daily_limit() == domain.DEFAULT_DAILY_LIMIT == 10


@pytest.mark.parametrize("message", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_message_is_refused(people, message):
    with pytest.raises(ValidationError) as refused:
        send(people, message=message)
    assert list(refused.value.message_dict) == ["message"]
    assert ContactRequest.objects.count() == 0


@pytest.mark.parametrize("who", ["anonymous", "bob", "carl", "staff"])
def test_send_denied_to_anyone_not_representing_the_sender(people, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "anonymous": AnonymousUser(),
        "bob": people["bob"],
        "carl": people["carl"],
        "staff": factories.UserFactory(is_staff=True),
    }[who]
    with pytest.raises(PermissionDenied):
        send(people, actor=actor)
    assert ContactRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


# Reply and decline -------------------------------------------------------------------------


def test_reply_is_relayed_to_the_sender_only_without_the_recipients_address(people):
    req = send(people)
    mail.outbox.clear()
    domain.reply_contact_request(actor=people["bob"], request=req, reply="Yes: let us talk.")
    req.refresh_from_db()
    assert (req.status, req.reply, req.replied_by) == (
        "replied",
        "Yes: let us talk.",
        people["bob"],
    )
    [message] = mail.outbox
    assert message.to == [ALICE]
    assert message.reply_to == []
    assert message.subject == "Nordic Foundation replied to your contact request"
    assert "Yes: let us talk." in message.body
    for address in (BOB, BEA, "bob.recipient"):
        assert address not in message.body
    assert (
        AuditEntry.objects.filter(action="contact_request.replied", object_id=req.pk).count() == 1
    )


def test_a_reply_goes_to_the_senders_organisation_when_the_sender_left(people):
    req = send(people)
    people["alice"].is_active = False
    people["alice"].save()
    mail.outbox.clear()
    domain.reply_contact_request(actor=people["bea"], request=req, reply="Yes")
    assert mail.outbox[0].to == [ANNA]


def test_decline_with_a_reason_is_relayed(people):
    req = send(people)
    mail.outbox.clear()
    domain.decline_contact_request(actor=people["bea"], request=req, reason="Not our focus.")
    req.refresh_from_db()
    assert (req.status, req.reply) == ("declined", "Not our focus.")
    assert mail.outbox[0].to == [ALICE]
    assert mail.outbox[0].subject == "Nordic Foundation declined your contact request"


def test_a_second_answer_is_refused(people):
    req = send(people)
    domain.reply_contact_request(actor=people["bob"], request=req, reply="Yes")
    with pytest.raises(ValidationError):
        domain.reply_contact_request(actor=people["bea"], request=req, reply="No")
    with pytest.raises(ValidationError):
        domain.decline_contact_request(actor=people["bea"], request=req)
    req.refresh_from_db()
    assert (req.status, req.reply, req.replied_by) == ("replied", "Yes", people["bob"])


@pytest.mark.parametrize("who", ["anonymous", "alice", "anna", "carl"])
def test_reply_and_decline_denied_to_anyone_not_representing_the_recipient(people, who):
    from django.contrib.auth.models import AnonymousUser

    req = send(people)
    mail.outbox.clear()
    actor = AnonymousUser() if who == "anonymous" else people[who]
    with pytest.raises(PermissionDenied):
        domain.reply_contact_request(actor=actor, request=req, reply="Hi")
    with pytest.raises(PermissionDenied):
        domain.decline_contact_request(actor=actor, request=req)
    req.refresh_from_db()
    assert (req.status, req.reply, req.replied_by) == ("sent", "", None)
    assert mail.outbox == []
    assert not AuditEntry.objects.exclude(action="contact_request.sent").exists()


def test_the_recipient_of_one_request_cannot_answer_anothers(people):
    """Bob's organisation was written to once; the request from A to C is not his to answer."""
    send(people)
    other = send(people, recipient=people["c"])
    with pytest.raises(PermissionDenied):
        domain.reply_contact_request(actor=people["bob"], request=other, reply="Hi")
    other.refresh_from_db()
    assert other.status == "sent"


# Pages -------------------------------------------------------------------------------------


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def contact_url(org, **query) -> str:
    url = reverse("workspace:partner_contact", kwargs={"slug": org.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_contact_page_sends_and_shows_the_request(people):
    page = client_for(people["alice"]).post(
        contact_url(people["b"]), {"sender": people["a"].pk, "message": "Hello there"}
    )
    req = ContactRequest.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("workspace:partner_request", args=[req.pk])
    shown = client_for(people["alice"]).get(page["Location"]).content.decode()
    assert "Hello there" in shown
    assert "Waiting for a reply" in shown
    assert BOB not in shown and BEA not in shown


def test_the_contact_page_keeps_what_was_typed_and_says_why(people):
    client = client_for(people["alice"])
    client.post(contact_url(people["b"]), {"sender": people["a"].pk, "message": "First"})
    page = client.post(contact_url(people["b"]), {"sender": people["a"].pk, "message": "Again!"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "already wrote to Nordic Foundation in the last 24 hours" in html
    assert ">\nAgain!</textarea>" in html
    assert ContactRequest.objects.count() == 1


def test_a_person_sending_too_fast_is_refused_and_keeps_the_message(people, monkeypatch):
    from pledgebook.accounts import throttle

    monkeypatch.setitem(throttle.LIMITS, "contact", [("user", "2/h")])
    client = client_for(people["alice"])
    for org in (people["b"], people["c"]):
        client.post(contact_url(org), {"sender": people["a"].pk, "message": "Hi"})
    fourth = ff.org("Fourth Org", C.SCIENCE, "DE")
    page = client.post(contact_url(fourth), {"sender": people["a"].pk, "message": "Third one"})
    assert page.status_code == 429
    assert "Too many attempts from here in a short time." in page.content.decode()
    assert ">\nThird one</textarea>" in page.content.decode()
    assert ContactRequest.objects.count() == 2


def test_contacting_ones_own_organisation_is_refused_on_the_page(people):
    page = client_for(people["alice"]).post(
        contact_url(people["a"]), {"sender": people["a"].pk, "message": "Me?"}
    )
    assert page.status_code == 200
    assert "This is your own organisation" in page.content.decode()
    assert ContactRequest.objects.count() == 0


def test_the_contact_page_remembers_what_the_request_is_about(people, programme):
    coalition = ff.coalition(programme, "Clean oceans", [people["a"]], index=False)
    client = client_for(people["alice"])
    page = client.get(contact_url(people["b"], coalition=coalition.pk))
    assert f'name="coalition" value="{coalition.pk}"' in page.content.decode()
    client.post(
        contact_url(people["b"]),
        {"sender": people["a"].pk, "message": "Join us", "coalition": coalition.pk},
    )
    assert ContactRequest.objects.get().coalition == coalition
    assert "About the coalition “Clean oceans”." in mail.outbox[0].body


@pytest.mark.parametrize("who", ["anonymous", "no_organisation", "bob_as_a"])
def test_the_contact_page_denied(people, who):
    client = client_for(
        None
        if who == "anonymous"
        else factories.UserFactory()
        if who == "no_organisation"
        else people["bob"]
    )
    page = client.post(contact_url(people["c"]), {"sender": people["a"].pk, "message": "Hi"})
    if who == "anonymous":
        assert page.status_code == 302 and "/login" in page["Location"]
    elif who == "no_organisation":
        assert page.status_code == 403
    else:  # Bob may only send from his own organisation: A is not a choice
        assert page.status_code == 200
        assert "Select a valid choice" in page.content.decode()
    assert ContactRequest.objects.count() == 0


def test_the_recipient_replies_on_the_page_and_the_sender_reads_it(people):
    req = send(people)
    mail.outbox.clear()
    url = reverse("workspace:partner_request", args=[req.pk])
    bob = client_for(people["bob"])
    assert 'name="reply"' in bob.get(url).content.decode()
    assert 'name="reply"' not in client_for(people["alice"]).get(url).content.decode()
    page = bob.post(url, {"reply": "Gladly.", "send": ""})
    assert page.status_code == 302
    assert mail.outbox[0].to == [ALICE]
    assert "Gladly." in client_for(people["alice"]).get(url).content.decode()


def test_an_empty_reply_is_refused_at_the_field_and_a_decline_may_be_empty(people):
    req = send(people)
    url = reverse("workspace:partner_request", args=[req.pk])
    page = client_for(people["bob"]).post(url, {"reply": "  ", "send": ""})
    assert page.status_code == 200
    assert "Write a message." in page.content.decode()
    client_for(people["bob"]).post(url, {"reply": "", "decline": ""})
    req.refresh_from_db()
    assert req.status == "declined"


@pytest.mark.parametrize("who", ["anonymous", "alice", "carl"])
def test_the_reply_page_denied(people, who):
    req = send(people)
    mail.outbox.clear()
    url = reverse("workspace:partner_request", args=[req.pk])
    client = client_for(None if who == "anonymous" else people[who])
    page = client.post(url, {"reply": "Forged", "send": ""})
    expected = {"anonymous": 302, "alice": 403, "carl": 404}[who]
    assert page.status_code == expected
    req.refresh_from_db()
    assert (req.status, req.reply) == ("sent", "")
    assert mail.outbox == []


def test_a_stranger_cannot_read_a_request(people):
    req = send(people)
    url = reverse("workspace:partner_request", args=[req.pk])
    assert client_for(people["carl"]).get(url).status_code == 404
    assert client_for(people["anna"]).get(url).status_code == 200
    assert client_for(people["bea"]).get(url).status_code == 200


def test_the_workspace_finder_pages_allowed_and_denied(people, programme, theme):
    coalition = ff.coalition(programme, "Clean oceans", [people["a"]], index=False)
    commitment = factories.CommitmentFactory(theme=theme, organisation=people["a"])
    urls = [
        reverse("workspace:partners_organisation", args=[people["a"].slug]),
        reverse("workspace:partners_coalition", args=[coalition.slug]),
        reverse("workspace:partners_commitment", args=[commitment.pk]),
    ]
    for url in urls:
        assert client_for(people["alice"]).get(url).status_code == 200
        assert client_for(people["bob"]).get(url).status_code == 403
        assert client_for().get(url).status_code == 302
    home = client_for(people["alice"]).get(reverse("workspace:partners")).content.decode()
    for url in urls:
        assert url in home


# Two sends at once (PostgreSQL) --------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(PORTAL_CONTACT_REQUESTS_PER_DAY=1)
def test_two_sends_at_once_cannot_exceed_the_daily_limit():
    """Two representatives of one organisation send at once, each on their own connection, with
    one request left for the day: the first holds its transaction open until the second is
    seen waiting on the organisation's lock; the second then counts the first's request."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are tested on PostgreSQL")
    a = ff.org("Sender Org", C.WOMEN, "KE")
    b = ff.org("First Recipient", C.PHILANTHROPY, "NO")
    c = ff.org("Second Recipient", C.PHILANTHROPY, "SE")
    alice = factories.representative(a)
    anna = factories.representative(a)
    first_done = threading.Event()
    outcomes: dict[str, object] = {}

    def waiting_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    def first() -> None:
        try:
            with transaction.atomic():
                domain.send_contact_request(actor=alice, sender=a, recipient=b, message="1")
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
            domain.send_contact_request(actor=anna, sender=a, recipient=c, message="2")
            outcomes["second"] = "done"
        except ValidationError as exc:
            outcomes["second"] = exc.messages[0]
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes["first"] == "done"
    assert outcomes.get("second waited") is True
    assert outcomes["second"] == (
        "Sender Org has sent its 1 contact request of the last 24 hours: send this one tomorrow."
    )
    assert ContactRequest.objects.filter(sender=a).count() == 1
    assert timezone.now()  # the clock is real here
