"""The forum in the demo: the 2025 ECOSOC Partnership Forum and the 2024 UN Civil Society
Conference (``demo.forum_data`` holds the texts and the lists of sessions; this module creates
them).

Events, rooms and sessions go through ``forum.domain.schedule`` (``create_event``,
``add_room``, ``save_session``), so their permission checks, slot rules and audit entries are
the real ones.  What has no domain function yet (side-event proposals and their decisions,
session summaries with their recommendations and announced commitments, reminders,
stakeholder statements, registrations and session marks, the consultation and its responses,
subscribers to the digests)
is written to the models directly, one method each (``propose``, ``summarise``,
``make_statement``, ``register``, ``respond``), so each can be switched to its domain function
alone.

Both events are in the past: every session has ended, its summary was due 14 days after it
(the programme's ``ForumSettings.summary_due_days``), and the states are those a secretariat
would see afterwards.  In the Partnership Forum: summaries submitted, one late, one begun and
not submitted (leader@'s side event: a task in leader@'s workspace), one missing; proposals
accepted (with co-organisers), declined with a reason, and one still waiting; statements
selected, submitted and declined; registrations past the in-person capacity on the waiting
list; the global consultation, closed, with its responses (not yet grouped into themes).

Registrations are generated people (``participant-NNN@``, a fixed random seed) and the people
of the demo organisations; they are created in bulk (one password hash for all), so the forum
adds little to the time of ``load_demo``.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from pledgebook.commitments.models import Commitment
from pledgebook.demo import data
from pledgebook.demo import forum_data as fd
from pledgebook.demo.loaded import Loaded
from pledgebook.forum import similar
from pledgebook.forum.domain import cochairs, compile, consultations, digest, schedule
from pledgebook.forum.models import (
    AnnouncedCommitment,
    Answer,
    Consultation,
    ConsultationQuestion,
    ConsultationResponse,
    Event,
    ForumSettings,
    Recommendation,
    Registration,
    Room,
    Session,
    SessionMark,
    SessionSummary,
    SideEventProposal,
    Statement,
    Subscriber,
    SummaryReminder,
)
from pledgebook.organisations.models import Organisation
from pledgebook.reference.models import Country, Goal
from pledgebook.similarity import engine

PARTICIPANT = "participant-{:03d}"
SEED = 2025


def participant_handle(number: int) -> str:
    return PARTICIPANT.format(number)


class ForumLoader:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.secretariat = loaded.users["secretariat"]
        self.events: dict[str, Event] = {}
        self.sessions: dict[str, Session] = {}
        self.rooms: dict[tuple[str, str], Room] = {}
        self.goals = {g.number: g for g in Goal.objects.all()}
        self.countries = {c.iso2: c for c in Country.objects.all()}

    def load(self) -> None:
        for spec in fd.EVENTS:
            self.load_event(spec)
        forum = self.events[fd.PARTNERSHIP_FORUM_2025.slug]
        self.load_registrations(forum)
        consultation = self.load_consultation(forum, fd.PF_CONSULTATION)
        for spec in fd.EVENTS:
            self.load_subscribers(self.events[spec.slug])
        self.embed_texts()
        consultations.group_responses(actor=self.secretariat, consultation=consultation)
        for spec in fd.EVENTS:
            self.load_cochairs_summary(self.events[spec.slug])

    # Outcomes (domain functions): themes, Co-Chairs' Summaries, the digest --------------------

    def embed_texts(self) -> None:
        """The vectors of the recommendations and answers, in batches (as the background
        indexing computes them after each submission), so that grouping and compiling read
        them instead of embedding one text at a time."""
        programmes = [event.programme for event in self.events.values()]
        recommendation_ids, answer_ids = recommendation_and_answer_ids(programmes)
        engine.index_many(
            similar.RECOMMENDATION_KIND,
            Recommendation.objects.filter(pk__in=recommendation_ids).values_list("pk", "text"),
        )
        engine.index_many(
            similar.ANSWER_KIND, Answer.objects.filter(pk__in=answer_ids).values_list("pk", "text")
        )

    def load_cochairs_summary(self, event: Event) -> None:
        draft = compile.compile_draft(actor=self.secretariat, event=event, wait_for=None)
        content = {**draft.content, "introduction": fd.COCHAIRS_INTRODUCTIONS[event.slug]}
        edited = cochairs.save_version(
            actor=self.secretariat,
            summary=draft.summary,
            content=content,
            note="Introduction written by the Co-Chairs' team",
            based_on=draft,
        )
        cochairs.publish(actor=self.secretariat, summary=draft.summary, version=edited)
        if event.slug in fd.DIGEST_EVENTS:
            digest.send_digest(actor=self.secretariat, summary=draft.summary)

    # Helpers ---------------------------------------------------------------------------------

    def at(self, spec: fd.EventSpec, day: dt.date, time: tuple[int, int]) -> dt.datetime:
        """A moment of the venue's day, as an aware datetime."""
        zone = zoneinfo.ZoneInfo(spec.time_zone)
        return dt.datetime(day.year, day.month, day.day, *time, tzinfo=zone)

    def goal_list(self, numbers: list[int]) -> list[Goal]:
        try:
            return [self.goals[n] for n in numbers]
        except KeyError as error:
            raise CommandError(f"Unknown SDG {error.args[0]} in the forum demo") from error

    def org(self, key: str) -> Organisation:
        return self.loaded.orgs[key]

    # Events, rooms, sessions (domain functions) ------------------------------------------------

    def load_event(self, spec: fd.EventSpec) -> None:
        programme = self.loaded.programmes[spec.programme]
        ForumSettings.objects.update_or_create(
            programme=programme,
            defaults={
                "summary_due_days": fd.SUMMARY_DUE_DAYS,
                "summary_instructions": fd.SUMMARY_INSTRUCTIONS,
            },
        )
        event = schedule.create_event(
            actor=self.secretariat,
            programme=programme,
            slug=spec.slug,
            name=spec.name,
            acronym=spec.acronym,
            description=spec.description,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            venue=spec.venue,
            time_zone=spec.time_zone,
            is_hybrid=True,
            online_url=spec.online_url,
            in_person_capacity=spec.in_person_capacity,
            registration_open=False,  # the event is over
            proposals_open=False,
            is_published=True,
        )
        self.events[spec.slug] = event
        for name, capacity, virtual in spec.rooms:
            self.rooms[spec.slug, name] = schedule.add_room(
                actor=self.secretariat,
                event=event,
                name=name,
                capacity=capacity,
                is_virtual=virtual,
            )
        for session_spec in spec.sessions:
            self.make_session(spec, event, session_spec)
        for proposal in spec.proposals:
            self.propose(spec, event, proposal)
        due_days = ForumSettings.for_programme(programme).summary_due_days
        for session_spec in [*spec.sessions, *(p.session for p in spec.proposals if p.session)]:
            if session_spec.summary is not None:
                self.summarise(
                    self.sessions[session_spec.key], session_spec, session_spec.summary, due_days
                )
        for statement in spec.statements:
            self.make_statement(event, statement)

    def make_session(self, event_spec: fd.EventSpec, event: Event, spec: fd.SessionSpec) -> Session:
        themes = [self.loaded.themes[event_spec.programme, slug] for slug in spec.themes]
        organisers = [self.loaded.people[key] for key in spec.organisers]
        if spec.by_secretariat:
            organisers.append(self.secretariat)
        speakers = [
            {
                "name": s.name,
                "title": s.title,
                "organisation": self.org(s.org) if s.org else None,
                "affiliation": s.affiliation,
            }
            for s in spec.speakers
        ]
        session = schedule.save_session(
            actor=self.secretariat,
            event=event,
            speakers=speakers,
            kind=spec.kind,
            segment=spec.segment,
            title=spec.title,
            description=spec.description,
            starts_at=self.at(event_spec, spec.day, spec.start),
            ends_at=self.at(event_spec, spec.day, spec.end),
            room=self.rooms[event_spec.slug, spec.room] if spec.room else None,
            online_url=spec.online_url,
            organisations=[self.org(key) for key in spec.orgs],
            organisers=organisers,
            themes=themes,
            goals=self.goal_list(spec.goals),
        )
        self.sessions[spec.key] = session
        return session

    # Side-event proposals (no domain function yet) ------------------------------------------

    def propose(self, event_spec: fd.EventSpec, event: Event, spec: fd.ProposalSpec) -> None:
        proposed_at = self.at(event_spec, event.starts_on, (10, 0)) - dt.timedelta(
            days=spec.days_before
        )
        proposal = SideEventProposal.objects.create(
            event=event,
            organisation=self.org(spec.org),
            proposed_by=self.loaded.people[spec.org],
            title=spec.title,
            description=spec.description,
            starts_at=self.at(event_spec, spec.day, spec.start),
            ends_at=self.at(event_spec, spec.day, spec.end),
            room=self.rooms[event_spec.slug, spec.room],
            expected_participants=spec.expected,
        )
        proposal.co_organisers.set([self.org(key) for key in spec.co_organisers])
        proposal.themes.set([self.loaded.themes[event_spec.programme, s] for s in spec.themes])
        proposal.goals.set(self.goal_list(spec.goals))
        proposal.created_at = proposed_at
        if spec.status != SideEventProposal.Status.SUBMITTED:
            proposal.status = spec.status
            proposal.decision_reason = spec.reason
            proposal.decided_by = self.secretariat
            proposal.decided_at = proposed_at + dt.timedelta(days=10)
        if spec.status == SideEventProposal.Status.ACCEPTED:
            if spec.session is None:  # pragma: no cover - a mistake in forum_data
                raise CommandError(f"Accepted proposal {spec.title!r} has no session")
            proposal.session = self.make_session(event_spec, event, spec.session)
        proposal.save()

    # Session summaries (no domain function yet) ---------------------------------------------

    def summarise(
        self, session: Session, session_spec: fd.SessionSpec, spec: fd.SummarySpec, due_days: int
    ) -> SessionSummary:
        """The summary of an ended session: the task went out when it ended, a reminder before
        the deadline to those who had not submitted by then, one after it to the late ones."""
        due = session.ends_at + dt.timedelta(days=due_days)
        submitted = spec.state in ("submitted", "late")
        submitted_at = session.ends_at + dt.timedelta(days=spec.days_after) if submitted else None
        if submitted_at is not None and (submitted_at > due) != (spec.state == "late"):
            raise CommandError(f"Summary of {session.title!r}: {spec.state} but {spec.days_after}d")
        if session_spec.organisers:
            author = self.loaded.people[session_spec.organisers[0]]
        else:
            author = self.secretariat
        summary = SessionSummary.objects.create(
            session=session,
            status=SessionSummary.Status.SUBMITTED if submitted else SessionSummary.Status.DRAFT,
            due_at=due,
            key_messages=spec.key_messages,
            participants_in_person=spec.in_person,
            participants_online=spec.online,
            participation_by_category=spec.by_category,
            submitted_at=submitted_at,
            submitted_by=author if submitted else None,
            task_sent_at=session.ends_at,
        )
        Recommendation.objects.bulk_create(
            Recommendation(summary=summary, text=text, position=position)
            for position, text in enumerate(spec.recommendations)
        )
        programme = session.event.programme
        for position, announced in enumerate(spec.announcements):
            commitment = None
            if announced.commitment:
                commitment = Commitment.objects.filter(
                    programme=programme, title=announced.commitment
                ).first()
                if commitment is None:
                    raise CommandError(f"No demo commitment {announced.commitment!r}")
            AnnouncedCommitment.objects.create(
                summary=summary,
                commitment=commitment,
                title=announced.title,
                maker=announced.maker or (commitment.organisation.name if commitment else ""),
                amount=Decimal(announced.amount) if announced.amount else None,
                currency=announced.currency,
                contact_email=announced.contact_email,
                # The invitation to register it went with the submission (not sent again).
                prompt_sent_at=submitted_at if announced.contact_email else None,
                position=position,
            )
        kinds = [(SummaryReminder.Kind.TASK, session.ends_at)]
        before = due - dt.timedelta(days=3)
        if submitted_at is None or submitted_at > before:
            kinds.append((SummaryReminder.Kind.BEFORE, before))
        if submitted_at is None or submitted_at > due:
            kinds.append((SummaryReminder.Kind.AFTER, due + dt.timedelta(days=3)))
        reminders = SummaryReminder.objects.bulk_create(
            SummaryReminder(summary=summary, kind=kind) for kind, _ in kinds
        )
        for reminder, (_, sent_at) in zip(reminders, kinds, strict=True):
            reminder.sent_at = sent_at
        SummaryReminder.objects.bulk_update(reminders, ["sent_at"])
        SessionSummary.objects.filter(pk=summary.pk).update(created_at=session.ends_at)
        return summary

    # Stakeholder statements (no domain function yet) ----------------------------------------

    def make_statement(self, event: Event, spec: fd.StatementSpec) -> Statement:
        session = self.sessions[spec.session]
        submitted_at = session.starts_at - dt.timedelta(days=12)
        decided = spec.status != Statement.Status.SUBMITTED
        statement = Statement.objects.create(
            session=session,
            organisation=self.org(spec.org),
            submitted_by=self.loaded.people[spec.org],
            title=spec.title,
            text=spec.text,
            status=spec.status,
            decision_reason=spec.reason,
            decided_by=self.secretariat if decided else None,
            decided_at=submitted_at + dt.timedelta(days=5) if decided else None,
        )
        Statement.objects.filter(pk=statement.pk).update(created_at=submitted_at)
        return statement

    # Registrations and session marks (no domain function yet) -------------------------------

    def load_registrations(self, event: Event) -> None:
        """The people of the demo organisations organising a session register in person
        first, then generated participants in person and online; past the in-person capacity,
        the waiting list.  Two online registrations were cancelled."""
        rng = random.Random(SEED)
        people = self.generated_people(rng, fd.PF_REGISTRATIONS)
        organisers = sorted(
            {key for spec in self.forum_sessions() for key in spec.organisers},
            key=lambda key: self.org(key).name,
        )
        entries: list[dict[str, Any]] = [
            {
                "user": self.loaded.people[key],
                "mode": Registration.Mode.IN_PERSON,
                "organisation": self.org(key),
                "category": self.org(key).category,
                "country": self.org(key).country,
                "gender": (
                    Registration.Gender.MAN
                    if key in fd.MEN_ORGANISERS
                    else Registration.Gender.WOMAN
                ),
            }
            for key in organisers
        ]
        modes = [Registration.Mode.IN_PERSON] * fd.PF_IN_PERSON
        modes += [Registration.Mode.ONLINE] * (len(people) - len(modes))
        rng.shuffle(modes)
        for (user, gender), mode in zip(people, modes, strict=True):
            entries.append(
                {
                    "user": user,
                    "mode": mode,
                    "organisation": None,
                    "category": rng.choice(fd.PF_CATEGORIES) if rng.random() > 0.05 else "",
                    "country": (
                        self.countries[rng.choice(fd.PF_COUNTRIES)] if rng.random() > 0.05 else None
                    ),
                    "gender": gender,
                }
            )
        self.register(event, entries, rng)

    def forum_sessions(self) -> list[fd.SessionSpec]:
        spec = fd.PARTNERSHIP_FORUM_2025
        return [*spec.sessions, *(p.session for p in spec.proposals if p.session)]

    def generated_people(self, rng: random.Random, count: int) -> list[tuple[Any, str]]:
        """``count`` fictional people (first names matching the gender they give, when they
        give one), created in bulk with the demo password."""
        G = Registration.Gender
        genders: list[str] = []
        users = []
        for number in range(1, count + 1):
            roll = rng.random()
            gender: str
            if roll < 0.52:
                gender, first = G.WOMAN, rng.choice(fd.WOMEN_NAMES)
            elif roll < 0.90:
                gender, first = G.MAN, rng.choice(fd.MEN_NAMES)
            elif roll < 0.94:
                gender, first = G.ANOTHER, rng.choice(fd.OTHER_NAMES)
            elif roll < 0.97:
                gender, first = G.UNSAID, rng.choice(fd.OTHER_NAMES)
            else:
                gender, first = "", rng.choice(fd.OTHER_NAMES)
            address = data.email(participant_handle(number))
            users.append(
                get_user_model()(
                    username=address,
                    email=address,
                    first_name=first,
                    last_name=rng.choice(fd.FAMILY_NAMES),
                    password=self.loaded.password,
                    is_active=True,
                )
            )
            genders.append(gender)
        created = get_user_model().objects.bulk_create(users)
        return list(zip(created, genders, strict=True))

    def register(self, event: Event, entries: list[dict[str, Any]], rng: random.Random) -> None:
        capacity = event.in_person_capacity
        opened = dt.datetime(2024, 12, 2, 15, 0, tzinfo=dt.UTC)
        closed = dt.datetime(2025, 2, 3, 22, 0, tzinfo=dt.UTC)
        step = (closed - opened) / max(len(entries), 1)
        registrations = []
        holding = 0
        online = 0
        for entry in entries:
            status = Registration.Status.REGISTERED
            if entry["mode"] == Registration.Mode.IN_PERSON:
                if capacity is not None and holding >= capacity:
                    status = Registration.Status.WAITLISTED
                else:
                    holding += 1
            else:
                online += 1
                if online <= fd.PF_CANCELLED:
                    status = Registration.Status.CANCELLED
            registrations.append(Registration(event=event, status=status, **entry))
        created = Registration.objects.bulk_create(registrations)
        for position, registration in enumerate(created):
            registration.created_at = opened + step * position
        Registration.objects.bulk_update(created, ["created_at"])
        sessions = list(event.sessions.order_by("starts_at", "pk"))
        marks = []
        for registration in created:
            if registration.status != Registration.Status.REGISTERED:
                continue
            for session in rng.sample(sessions, rng.randint(1, 4)):
                marks.append(SessionMark(session=session, user=registration.user))
        SessionMark.objects.bulk_create(marks)

    # Subscribers to the digests (no domain function yet) ------------------------------------

    def load_subscribers(self, event: Event) -> None:
        """Who receives the programme's digests: the people of the organisations that
        organised a session, and registrants who ticked the box (every third); one of them has
        unsubscribed, one never confirmed."""
        people = {
            user.pk: user
            for session in event.sessions.prefetch_related("organisations__people")
            for organisation in session.organisations.all()
            for user in organisation.people.all()
        }
        for registration in event.registrations.select_related("user").order_by("pk")[::3]:
            people.setdefault(registration.user.pk, registration.user)
        confirmed = event.starts_on - dt.timedelta(days=20)
        moment = dt.datetime(confirmed.year, confirmed.month, confirmed.day, 12, tzinfo=dt.UTC)
        subscribers = [
            Subscriber(programme=event.programme, email=user.email, user=user, confirmed_at=moment)
            for user in sorted(people.values(), key=lambda u: u.username)
        ]
        subscribers[-1].confirmed_at = None
        subscribers[-2].unsubscribed_at = moment + dt.timedelta(days=3)
        Subscriber.objects.bulk_create(subscribers)

    # The global consultation (no domain function yet) ---------------------------------------

    def load_consultation(self, event: Event, spec: fd.ConsultationSpec) -> Consultation:
        """Closed before the Forum, with its responses from the form and from a spreadsheet;
        grouping them into themes is left to the consultation's own action."""
        rng = random.Random(SEED + 1)
        consultation = Consultation.objects.create(
            programme=event.programme,
            event=event,
            slug=spec.slug,
            title=spec.title,
            description=spec.description,
            audience=Consultation.Audience.PUBLIC,
            opens_at=spec.opens,
            closes_at=spec.closes,
            is_published=True,
        )
        questions = [
            ConsultationQuestion.objects.create(
                consultation=consultation,
                text=text,
                help_text=help_text,
                required=position == 0,
                position=position,
            )
            for position, (text, help_text) in enumerate(spec.questions)
        ]
        step = (spec.closes - spec.opens) / (spec.responses + 1)
        imported = round(spec.responses * spec.imported_share)
        responses = []
        for number in range(spec.responses):
            anonymous = rng.random() < 0.2
            first = rng.choice(fd.WOMEN_NAMES + fd.MEN_NAMES)
            responses.append(
                ConsultationResponse(
                    consultation=consultation,
                    name="" if anonymous else f"{first} {rng.choice(fd.FAMILY_NAMES)}",
                    organisation_name="" if anonymous else rng.choice(RESPONDENT_ORGS),
                    category=rng.choice(fd.PF_CATEGORIES),
                    country=self.countries[rng.choice(fd.PF_COUNTRIES)],
                    source=(
                        ConsultationResponse.Source.IMPORT
                        if number < imported
                        else ConsultationResponse.Source.FORM
                    ),
                )
            )
        created = ConsultationResponse.objects.bulk_create(responses)
        for number, response in enumerate(created):
            response.created_at = spec.opens + step * (number + 1)
        ConsultationResponse.objects.bulk_update(created, ["created_at"])
        answers = []
        for response in created:
            for position, (question, themes) in enumerate(
                zip(questions, spec.templates, strict=True)
            ):
                if position > 0 and rng.random() < 0.15:
                    continue  # the second question is optional
                answers.append(
                    Answer(response=response, question=question, text=self.answer(rng, themes))
                )
        Answer.objects.bulk_create(answers)
        return consultation

    @staticmethod
    def answer(rng: random.Random, themes: list[list[str]]) -> str:
        # The first themes of each question recur most, as in the seed ("challenges like
        # climate change, poverty, and inequality").
        weights = [len(themes) - i for i in range(len(themes))]
        (templates,) = rng.choices(themes, weights=weights)
        text = rng.choice(templates).format(
            place=rng.choice(fd.PLACES), group=rng.choice(fd.GROUPS)
        )
        return text[0].upper() + text[1:]


RESPONDENT_ORGS = [
    "Coastal Women's Savings Group",
    "Youth Climate Network",
    "Disability Rights Forum",
    "Farmers' Cooperative Union",
    "Community Health Volunteers Association",
    "Indigenous Peoples' Council",
    "Urban Poor Federation",
    "Independent researcher",
    "Small Business Chamber",
    "Migrant Workers' Centre",
]


def counts(programmes: list[Any]) -> dict[str, int]:
    """Rows of the forum part, for the summary of ``load_demo``."""
    events = Event.objects.filter(programme__in=programmes)
    sessions = Session.objects.filter(event__in=events)
    summaries = SessionSummary.objects.filter(session__in=sessions)
    registrations = Registration.objects.filter(event__in=events)
    return {
        "forum events": events.count(),
        "forum sessions": sessions.count(),
        "side-event proposals": SideEventProposal.objects.filter(event__in=events).count(),
        "session summaries submitted": summaries.filter(status="submitted").count(),
        "session summaries not submitted": summaries.exclude(status="submitted").count(),
        "recommendations": Recommendation.objects.filter(summary__in=summaries).count(),
        "stakeholder statements": Statement.objects.filter(session__in=sessions).count(),
        "registrations": registrations.filter(status="registered").count(),
        "registrations waitlisted": registrations.filter(status="waitlisted").count(),
        "consultation responses": ConsultationResponse.objects.filter(
            consultation__programme__in=programmes
        ).count(),
        "digest subscribers": Subscriber.objects.filter(programme__in=programmes).count(),
    }


def recommendation_and_answer_ids(programmes: Any) -> tuple[list[int], list[int]]:
    """The demo's recommendations and consultation answers, whose similarity vectors (kept by
    kind and id) outlive the deletion of the programmes."""
    recommendations = Recommendation.objects.filter(
        summary__session__event__programme__in=programmes
    ).values_list("pk", flat=True)
    answers = Answer.objects.filter(response__consultation__programme__in=programmes).values_list(
        "pk", flat=True
    )
    return list(recommendations), list(answers)
