"""The follow-up digest: subscribing (one click signed in, double opt-in otherwise, no
enumeration, throttled), unsubscribing in one click (RFC 8058 POST, one-button page), the
digest composed from the published Co-Chairs' Summary and the commitments announced, sent
once per published version to the active subscribers only, each with their own link."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pledgebook.commitments.models import Commitment
from pledgebook.core import site
from pledgebook.core.models import AuditEntry
from pledgebook.core.notify import notify
from pledgebook.forum import digesting
from pledgebook.forum.domain import digest as domain
from pledgebook.forum.models import (
    AnnouncedCommitment,
    CoChairsSummary,
    Digest,
    Event,
    SessionSummary,
    Subscriber,
    SummaryVersion,
)
from pledgebook.programmes.models import ProgrammeRole
from tests import factories

pytestmark = pytest.mark.django_db


def point(pid: str, text: str, *kinds: str) -> dict[str, Any]:
    return {
        "id": pid,
        "text": text,
        "sources": [{"kind": k, "id": i} for i, k in enumerate(kinds, 1)],
        "merged": False,
    }


CONTENT: dict[str, Any] = {
    "introduction": "The forum met in New York.",
    "sections": [
        {
            "key": "plenary",
            "title": "Plenary",
            "points": [
                point(
                    "p1",
                    "Partnerships must be  accountable\nto the people they serve.",
                    "recommendation",
                ),
                point("p2", "Publish progress every year.", "recommendation", "recommendation"),
                point(
                    "p3",
                    "An editor's own point.",
                ),
            ],
        },
        {
            "key": "sdg14",
            "title": "SDG Action Segment: Goal 14",
            "points": [
                point("p4", "Ocean finance needs blended instruments.", "recommendation"),
                point("p5", "Fund coastal communities directly.", "recommendation"),
            ],
        },
        {"key": "empty", "title": "Nothing said", "points": []},
        {
            "key": "consultation",
            "title": "What the consultation said",
            "points": [point("p6", "Respondents ask for simpler reporting.", "consultation_theme")],
        },
        {
            "key": "commitments",
            "title": "Commitments announced",
            "points": [point("p7", "A blue bond of USD 1 million.", "announcement")],
        },
    ],
}


def publish(event: Event, content: dict[str, Any], *, number: int = 1) -> CoChairsSummary:
    """The event's Co-Chairs' Summary with version ``number`` published (made directly: the
    compile/publish domain is another part's)."""
    summary, _ = CoChairsSummary.objects.get_or_create(
        event=event, defaults={"title": "Co-Chairs' Summary"}
    )
    version = SummaryVersion.objects.create(summary=summary, number=number, content=content)
    summary.status = CoChairsSummary.Status.PUBLISHED
    summary.published_version = version
    summary.published_at = timezone.now()
    summary.save()
    return summary


def announce(event: Event) -> dict[str, Any]:
    """Announcements at two sessions: three in a submitted summary, one in a draft (not
    counted)."""
    submitted = factories.SessionSummaryFactory(
        session=factories.SessionFactory(event=event, title="Ocean plenary"),
        status=SessionSummary.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    draft = factories.SessionSummaryFactory(session=factories.SessionFactory(event=event))
    public = factories.CommitmentFactory(
        title="Blue bonds for island states", status=Commitment.Status.CONFIRMED
    )
    hidden = factories.CommitmentFactory(title="Not public yet", status=Commitment.Status.DRAFT)
    AnnouncedCommitment.objects.create(
        summary=submitted,
        commitment=public,
        title="Blue bond",
        amount=Decimal("1000000"),
        currency="USD",
        position=0,
    )
    AnnouncedCommitment.objects.create(
        summary=submitted,
        title="Mangrove fund",
        amount=Decimal("50000.50"),
        currency="EUR",
        position=1,
    )
    AnnouncedCommitment.objects.create(
        summary=submitted, commitment=hidden, title="Coral pledge", position=2
    )
    AnnouncedCommitment.objects.create(
        summary=draft, title="Draft only", amount=Decimal("999"), currency="USD"
    )
    return {"public": public, "hidden": hidden}


@pytest.fixture
def event() -> Event:
    return factories.EventFactory(name="Partnership Forum 2025")


@pytest.fixture
def secretariat(event: Event) -> Any:
    return factories.staff(event.programme)


def subscriber(event: Event, email: str, *, active: bool = True, **fields: Any) -> Subscriber:
    return Subscriber.objects.create(
        programme=event.programme,
        email=email,
        confirmed_at=timezone.now() if active else None,
        **fields,
    )


def links(event: Event) -> list[str]:
    lines = ["LINKS"]
    try:
        path = reverse(
            "public:cochairs_summary",
            kwargs={"programme": event.programme.slug, "event": event.slug},
        )
        lines.append(f"The full Co-Chairs' Summary: {site.base_url()}{path}")
    except NoReverseMatch:
        pass
    try:
        event_path = event.get_absolute_url()
    except NoReverseMatch:
        event_path = f"/programmes/{event.programme.slug}/"
    lines.append(f"The event: {site.base_url()}{event_path}")
    return lines


# Composition -------------------------------------------------------------------------------


def test_the_digest_is_composed_from_the_published_version_and_the_announcements(
    event: Event,
) -> None:
    made = announce(event)
    publish(event, CONTENT)
    subject, body = digesting.compose_digest(event)
    assert subject == "Partnership Forum 2025: outcomes and recommendations"
    assert body.split("\n") == [
        "The Co-Chairs' Summary of Partnership Forum 2025 is published. Here is what came out "
        "of it.",
        "",
        "KEY OUTCOMES",
        "- Plenary: Partnerships must be accountable to the people they serve.",
        "- SDG Action Segment: Goal 14: Ocean finance needs blended instruments.",
        "- What the consultation said: Respondents ask for simpler reporting.",
        "",
        "ACTIONABLE RECOMMENDATIONS",
        "- Publish progress every year.",
        "- Fund coastal communities directly.",
        "",
        "COMMITMENTS ANNOUNCED",
        "3 commitments and partnerships announced, 2 of them registered on the platform.",
        "Money announced: EUR 50,000.50; USD 1,000,000.",
        f"- Blue bonds for island states: {site.base_url()}/commitments/{made['public'].pk}/",
        "",
        *links(event),
        "",
    ]
    # Never the points' sources, never the unpublished draft's announcement.
    assert "Draft only" not in body and "Not public yet" not in body


def test_the_digest_reads_the_published_version_not_a_newer_draft(event: Event) -> None:
    summary = publish(event, CONTENT)
    SummaryVersion.objects.create(
        summary=summary,
        number=2,
        content={"sections": [{"title": "Draft", "points": [point("x", "Unpublished words.")]}]},
    )
    _subject, body = digesting.compose_digest(event)
    assert "Unpublished words." not in body
    assert "- Plenary: Partnerships must be accountable to the people they serve." in body


def test_more_recommendations_than_the_digest_shows_are_counted(event: Event) -> None:
    points = [point(f"p{i}", f"Recommendation {i}.", "recommendation") for i in range(12)]
    publish(event, {"sections": [{"key": "s", "title": "Breakouts", "points": points}]})
    _subject, body = digesting.compose_digest(event)
    lines = body.split("\n")
    start = lines.index("ACTIONABLE RECOMMENDATIONS")
    assert lines[start + 1 : start + 10] == [
        *(f"- Recommendation {i}." for i in range(1, 9)),
        "… and 3 more recommendations in the full summary.",
    ]
    assert "COMMITMENTS ANNOUNCED" not in body


def test_no_digest_without_a_published_summary(event: Event) -> None:
    with pytest.raises(digesting.NotPublished):
        digesting.compose_digest(event)
    summary = CoChairsSummary.objects.create(event=event, title="Draft summary")
    SummaryVersion.objects.create(summary=summary, number=1, content=CONTENT)
    with pytest.raises(digesting.NotPublished):
        digesting.compose_digest(event)


# Sending -----------------------------------------------------------------------------------


def test_only_active_subscribers_get_the_digest_each_with_their_own_link(
    event: Event, secretariat: Any
) -> None:
    summary = publish(event, CONTENT)
    ana = subscriber(event, "ana@example.org")
    ben = subscriber(event, "ben@example.org")
    subscriber(event, "pending@example.org", active=False)
    subscriber(event, "gone@example.org", unsubscribed_at=timezone.now())
    other = factories.EventFactory()
    subscriber(other, "elsewhere@example.org")

    digest = domain.send_digest(actor=secretariat, summary=summary)

    subject, body = digesting.compose_digest(event)
    digest.refresh_from_db()
    assert (digest.subject, digest.body, digest.recipients) == (subject, body, 2)
    assert digest.sent_at is not None and digest.created_by == secretariat
    assert digest.version == summary.published_version
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    for message, person, stranger in (
        (next(m for m in mail.outbox if m.to == ["ana@example.org"]), ana, ben),
        (next(m for m in mail.outbox if m.to == ["ben@example.org"]), ben, ana),
    ):
        link = f"{site.base_url()}/digests/unsubscribe/{person.token}/"
        assert message.subject == subject
        assert message.body.startswith(body)
        assert message.body.endswith(f"Unsubscribe in one click: {link}\n")
        assert stranger.token not in message.body
        assert message.extra_headers == {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        assert str(message.message()["List-Unsubscribe"]) == f"<{link}>"
    entry = AuditEntry.objects.get(action="digest.sent")
    assert (entry.actor, entry.object_id, entry.programme, entry.data) == (
        secretariat,
        digest.pk,
        event.programme,
        {"recipients": 2, "version": summary.published_version_id},
    )


def test_sending_an_unpublished_summary_is_refused_and_changes_nothing(
    event: Event, secretariat: Any
) -> None:
    subscriber(event, "ana@example.org")
    summary = CoChairsSummary.objects.create(event=event, title="Draft")
    SummaryVersion.objects.create(summary=summary, number=1, content=CONTENT)
    with pytest.raises(ValidationError) as refused:
        domain.send_digest(actor=secretariat, summary=summary)
    assert refused.value.messages == [
        "The Co-Chairs' Summary is not published: publish it before sending its digest."
    ]
    assert (Digest.objects.count(), len(mail.outbox), AuditEntry.objects.count()) == (0, 0, 0)


def test_sending_twice_is_refused_until_a_changed_version_is_published(
    event: Event, secretariat: Any
) -> None:
    subscriber(event, "ana@example.org")
    summary = publish(event, CONTENT)
    domain.send_digest(actor=secretariat, summary=summary)
    with pytest.raises(ValidationError) as refused:
        domain.send_digest(actor=secretariat, summary=summary)
    assert refused.value.messages == [
        "The digest of this version of the Co-Chairs' Summary has already been sent. A new "
        "digest can be sent once a changed version is published."
    ]
    assert (Digest.objects.count(), len(mail.outbox)) == (1, 1)

    changed = dict(CONTENT, introduction="Revised.")
    summary = publish(event, changed, number=2)
    second = domain.send_digest(actor=secretariat, summary=summary)
    assert second.version.number == 2
    assert (Digest.objects.count(), len(mail.outbox)) == (2, 2)


@pytest.mark.parametrize("who", ["stranger", "reviewer", "other_secretariat", "anonymous"])
def test_only_the_secretariat_sends_the_digest(event: Event, who: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    subscriber(event, "ana@example.org")
    summary = publish(event, CONTENT)
    actor = {
        "stranger": lambda: factories.UserFactory(),
        "reviewer": lambda: factories.staff(event.programme, ProgrammeRole.Role.REVIEWER),
        "other_secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        domain.send_digest(actor=actor, summary=summary)
    assert (Digest.objects.count(), len(mail.outbox), AuditEntry.objects.count()) == (0, 0, 0)


def test_notify_sets_extra_headers_only_when_asked() -> None:
    notify(
        to=["a@example.org"],
        template="forum_subscription_confirm",
        context={"programme": factories.ProgrammeFactory(name="P"), "confirm_url": "http://x/c/"},
        headers={"List-Unsubscribe": "<http://x/u/>"},
    )
    notify(
        to=["b@example.org"],
        template="forum_subscription_confirm",
        context={"programme": factories.ProgrammeFactory(name="Q"), "confirm_url": "http://x/c/"},
    )
    assert mail.outbox[0].extra_headers == {"List-Unsubscribe": "<http://x/u/>"}
    assert mail.outbox[0].message()["List-Unsubscribe"] == "<http://x/u/>"
    assert mail.outbox[1].extra_headers == {}
    assert mail.outbox[1].message()["List-Unsubscribe"] is None


# Subscribing -------------------------------------------------------------------------------


def subscribe_url(event: Event) -> str:
    return reverse("public:forum_subscribe", kwargs={"programme": event.programme.slug})


def test_a_signed_in_person_subscribes_their_own_address_in_one_click(
    client: Client, event: Event
) -> None:
    person = factories.UserFactory(email="Ana@Example.org", username="ana@example.org")
    client.force_login(person)
    page = client.get(subscribe_url(event))
    assert "Subscribe Ana@Example.org" in page.content.decode()
    response = client.post(subscribe_url(event), {"own": "1"}, follow=True)
    assert response.status_code == 200
    subscription = Subscriber.objects.get()
    assert (subscription.email, subscription.user, subscription.is_active) == (
        "ana@example.org",
        person,
        True,
    )
    assert "You are subscribed: the digests come to ana@example.org." in response.content.decode()
    assert mail.outbox == []
    assert AuditEntry.objects.get().action == "subscriber.subscribed"
    # Twice: nothing more.
    client.post(subscribe_url(event), {"own": "1"})
    assert (Subscriber.objects.count(), AuditEntry.objects.count()) == (1, 1)


def confirm_link(message: Any) -> str:
    found = re.search(r"https?://\S+/digests/confirm/(\S+)/", message.body)
    assert found, message.body
    return found.group(0)


def test_anyone_else_confirms_by_the_link_sent_to_the_address(client: Client, event: Event) -> None:
    response = client.post(subscribe_url(event), {"email": " Visitor@Example.org "})
    assert response.status_code == 200
    assert "We sent a link to visitor@example.org." in response.content.decode()
    pending = Subscriber.objects.get()
    assert (pending.email, pending.is_active, pending.user) == ("visitor@example.org", False, None)
    assert [m.to for m in mail.outbox] == [["visitor@example.org"]]
    assert mail.outbox[0].subject == (
        f"Confirm your subscription to the digests of {event.programme.name}"
    )
    link = confirm_link(mail.outbox[0])
    assert link == f"http://testserver/digests/confirm/{pending.token}/"
    # Opening the link (a scanner would) does not confirm; the button does.
    page = client.get(link)
    assert page.status_code == 200
    pending.refresh_from_db()
    assert not pending.is_active
    done = client.post(link)
    assert done.status_code == 200
    pending.refresh_from_db()
    assert pending.is_active
    assert AuditEntry.objects.get().action == "subscriber.subscribed"


def test_a_signed_in_person_cannot_subscribe_someone_else(client: Client, event: Event) -> None:
    client.force_login(factories.UserFactory())
    client.post(subscribe_url(event), {"email": "victim@example.org"})
    victim = Subscriber.objects.get(email="victim@example.org")
    assert not victim.is_active
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]


def test_asking_again_resends_the_link_and_does_not_tell_who_is_subscribed(
    client: Client, event: Event
) -> None:
    active = subscriber(event, "known@example.org")
    token = active.token
    answers = []
    for email in ("known@example.org", "unknown@example.org", "unknown@example.org"):
        response = client.post(subscribe_url(event), {"email": email})
        html = response.content.decode().replace(email, "X")
        # The page's CSRF token is masked anew on every response.
        answers.append((response.status_code, re.sub(r'"X-CSRFToken": "\w+"', "", html)))
    assert answers[0] == answers[1] == answers[2]
    assert [m.to for m in mail.outbox] == [
        ["known@example.org"],
        ["unknown@example.org"],
        ["unknown@example.org"],
    ]
    active.refresh_from_db()
    assert (active.is_active, active.token) == (True, token)
    assert Subscriber.objects.filter(email="unknown@example.org").count() == 1


def test_the_subscription_form_is_throttled_like_the_other_mail_forms(
    client: Client, event: Event
) -> None:
    for i in range(10):
        assert client.post(subscribe_url(event), {"email": f"p{i}@example.org"}).status_code == 200
    refused = client.post(subscribe_url(event), {"email": "eleventh@example.org"})
    assert refused.status_code == 429
    assert 'value="eleventh@example.org"' in refused.content.decode()
    assert len(mail.outbox) == 10
    assert not Subscriber.objects.filter(email="eleventh@example.org").exists()


def test_one_address_gets_three_links_an_hour_whoever_asks(client: Client, event: Event) -> None:
    answers = set()
    for i in range(5):
        response = client.post(
            subscribe_url(event), {"email": "target@example.org"}, REMOTE_ADDR=f"10.0.0.{i}"
        )
        said = "We sent a link to target@example.org." in response.content.decode()
        answers.add((response.status_code, said))
    assert answers == {(200, True)}
    assert [m.to for m in mail.outbox] == [["target@example.org"]] * 3


def test_an_unpublished_programme_takes_no_subscriptions(client: Client, event: Event) -> None:
    event.programme.is_published = False
    event.programme.save()
    assert client.post(subscribe_url(event), {"email": "a@example.org"}).status_code == 404
    with pytest.raises(ValidationError):
        domain.subscribe(programme=event.programme, email="a@example.org", actor=None)
    assert (Subscriber.objects.count(), len(mail.outbox)) == (0, 0)


# Unsubscribing -----------------------------------------------------------------------------


def test_a_mail_client_unsubscribes_in_one_post_rfc_8058(event: Event) -> None:
    person = subscriber(event, "ana@example.org")
    client = Client(enforce_csrf_checks=True)  # a mail client holds no CSRF token
    response = client.post(
        f"/digests/unsubscribe/{person.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.unsubscribed_at is not None and not person.is_active
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.programme) == (
        "subscriber.unsubscribed",
        None,
        event.programme,
    )


def test_the_link_in_the_body_opens_a_page_with_one_button(client: Client, event: Event) -> None:
    person = subscriber(event, "ana@example.org")
    url = reverse("public:forum_unsubscribe", args=[person.token])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<button") - html.count("Sign out") == 1
    person.refresh_from_db()
    assert person.is_active  # a GET (a link scanner) changes nothing
    client.post(url)
    person.refresh_from_db()
    assert not person.is_active
    assert "receives no digests" in client.get(url).content.decode()
    # Subscribing again by the confirmation link brings it back.
    client.post(reverse("public:forum_subscription_confirm", args=[person.token]))
    person.refresh_from_db()
    assert person.is_active and person.unsubscribed_at is None


def test_an_unknown_token_is_404_and_refused(client: Client, event: Event) -> None:
    subscriber(event, "ana@example.org")
    assert client.get("/digests/unsubscribe/nope/").status_code == 404
    assert client.post("/digests/unsubscribe/nope/").status_code == 404
    assert client.post("/digests/confirm/nope/").status_code == 404
    with pytest.raises(ValidationError):
        domain.unsubscribe(token="nope")
    assert Subscriber.objects.get().is_active


def test_the_digest_mail_link_unsubscribes(client: Client, event: Event, secretariat: Any) -> None:
    person = subscriber(event, "ana@example.org")
    domain.send_digest(actor=secretariat, summary=publish(event, CONTENT))
    link = re.search(r"Unsubscribe in one click: (\S+)", mail.outbox[0].body).group(1)
    client.post(link.removeprefix(site.base_url()))
    person.refresh_from_db()
    assert not person.is_active


# Console and public pages ------------------------------------------------------------------


def console_url(name: str, of: Event, **kwargs: Any) -> str:
    return reverse(f"console:{name}", kwargs={"programme": of.programme.slug, **kwargs})


def test_the_secretariat_previews_and_sends_from_the_console(
    client: Client, event: Event, secretariat: Any
) -> None:
    subscriber(event, "ana@example.org")
    subscriber(event, "pending@example.org", active=False)
    publish(event, CONTENT)
    client.force_login(secretariat)
    preview = client.get(console_url("forum_digest", event, event=event.slug))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Partnership Forum 2025: outcomes and recommendations" in html
    assert "It goes to 1 subscriber, each with their own link to unsubscribe." in html
    sent = client.post(console_url("forum_digest_send", event, event=event.slug), follow=True)
    assert "Digest sent to 1 subscriber." in sent.content.decode()
    assert Digest.objects.get().recipients == 1
    listing = client.get(console_url("forum_digests", event)).content.decode()
    assert 'id="subscribers-active">1<' in listing
    assert "Partnership Forum 2025: outcomes and recommendations" in listing
    again = client.post(console_url("forum_digest_send", event, event=event.slug), follow=True)
    assert "has already been sent" in again.content.decode()
    assert Digest.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "stranger", "reviewer", "other_secretariat"])
def test_the_console_digest_pages_are_the_secretariats(
    client: Client, event: Event, who: str
) -> None:
    subscriber(event, "ana@example.org")
    publish(event, CONTENT)
    if who != "anonymous":
        client.force_login(
            {
                "stranger": lambda: factories.UserFactory(),
                "reviewer": lambda: factories.staff(event.programme, ProgrammeRole.Role.REVIEWER),
                "other_secretariat": lambda: factories.staff(factories.ProgrammeFactory()),
            }[who]()
        )
    expected = 302 if who == "anonymous" else 403
    for url in (
        console_url("forum_digests", event),
        console_url("forum_digest", event, event=event.slug),
    ):
        assert client.get(url).status_code == expected
    assert client.post(console_url("forum_digest_send", event, event=event.slug)).status_code == (
        expected
    )
    assert (Digest.objects.count(), len(mail.outbox)) == (0, 0)


def test_an_event_of_another_programme_is_404_in_the_console(
    client: Client, event: Event, secretariat: Any
) -> None:
    other = factories.EventFactory()
    publish(other, CONTENT)
    subscriber(other, "ana@example.org")
    client.force_login(secretariat)
    url = reverse(
        "console:forum_digest_send",
        kwargs={"programme": event.programme.slug, "event": other.slug},
    )
    assert client.post(url).status_code == 404
    assert Digest.objects.count() == 0


def test_a_sent_digest_has_a_public_page(client: Client, event: Event, secretariat: Any) -> None:
    digest = domain.send_digest(actor=secretariat, summary=publish(event, CONTENT))
    url = reverse(
        "public:forum_digest", kwargs={"programme": event.programme.slug, "pk": digest.pk}
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Partnerships must be accountable to the people they serve." in page.content.decode()
    listed = client.get(subscribe_url(event)).content.decode()
    assert f'<a href="{url}">Partnership Forum 2025: outcomes and recommendations</a>' in listed
    event.is_published = False
    event.save()
    assert client.get(url).status_code == 404
    assert url not in client.get(subscribe_url(event)).content.decode()


def test_the_subscription_box_can_be_placed_on_any_page(event: Event) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    box = render_to_string(
        "public/forum/_subscribe.html", {"programme": event.programme}, request=request
    )
    assert f'href="{subscribe_url(event)}">Subscribe to the digests</a>' in box
    request.user = factories.UserFactory(email="ana@example.org", username="ana@example.org")
    box = render_to_string(
        "public/forum/_subscribe.html", {"programme": event.programme}, request=request
    )
    assert f'<form method="post" action="{subscribe_url(event)}">' in box
    assert "Subscribe ana@example.org</button>" in box
