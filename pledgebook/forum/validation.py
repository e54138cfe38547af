"""Content rules of the forum, one place each: used by the forms (errors at the field), by the
domain functions (refusal, nothing changed) and by imports.

Each check returns ``{field: [message, ...]}`` (empty when all is well)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pledgebook.commitments.models import Commitment
from pledgebook.forum.models import Event, Registration, Room, Session
from pledgebook.organisations.models import Category, Representative
from pledgebook.reference.models import Currency

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_event(
    *, starts_on: dt.date | None, ends_on: dt.date | None, time_zone: str, **rest: Any
) -> Errors:
    errors: Errors = {}
    if starts_on and ends_on and ends_on < starts_on:
        _add(errors, "ends_on", _("The last day is before the first day."))
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        _add(
            errors,
            "time_zone",
            _("“%(zone)s” is not a time zone: give a name such as America/New_York.")
            % {"zone": time_zone},
        )
    return errors


def local(event: Event, moment: dt.datetime) -> str:
    """``moment`` as the event's venue reads it (date and time)."""
    return formats.date_format(moment.astimezone(event.zone), "DATETIME_FORMAT")


def clashes(
    *,
    room: Room | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude: Session | None = None,
) -> list[Session]:
    """Scheduled sessions in ``room`` overlapping [starts_at, ends_at) (none for no room or a
    virtual room, where sessions may run side by side)."""
    if room is None or room.is_virtual:
        return []
    found = Session.objects.scheduled().filter(
        room=room, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return list(found.order_by("starts_at"))


def check_slot(
    *,
    event: Event,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    room: Room | None = None,
    expected: int | None = None,
    exclude: Session | None = None,
) -> Errors:
    """The rules of a session's place in the schedule (sessions and side-event proposals):
    it ends after it starts, within the event's days (venue time), in a room of the event,
    with no more people expected than the room holds, and not while another session uses the
    room."""
    errors: Errors = {}
    if starts_at is None or ends_at is None:
        return errors
    if ends_at <= starts_at:
        _add(errors, "ends_at", _("The session ends before it starts."))
        return errors
    first = starts_at.astimezone(event.zone).date()
    last = ends_at.astimezone(event.zone).date()
    if first < event.starts_on or last > event.ends_on:
        _add(
            errors,
            "starts_at",
            _("The event runs from %(first)s to %(last)s (venue time); this is outside it.")
            % {
                "first": formats.date_format(event.starts_on, "DATE_FORMAT"),
                "last": formats.date_format(event.ends_on, "DATE_FORMAT"),
            },
        )
    if room is not None:
        if room.event_id != event.pk:
            _add(errors, "room", _("This room is not one of the event's."))
            return errors
        if expected is not None and room.capacity is not None and expected > room.capacity:
            _add(
                errors,
                "expected_participants",
                _("%(room)s holds %(capacity)s people; %(expected)s are expected.")
                % {"room": room.name, "capacity": room.capacity, "expected": expected},
            )
        for other in clashes(room=room, starts_at=starts_at, ends_at=ends_at, exclude=exclude):
            _add(
                errors,
                "room",
                _("%(room)s is taken from %(start)s to %(end)s by “%(title)s”.")
                % {
                    "room": room.name,
                    "start": local(event, other.starts_at),
                    "end": local(event, other.ends_at),
                    "title": other.title,
                },
            )
    return errors


# Digest and subscribers (forum.domain.digest) ------------------------------------------------


def check_digest(*, summary: Any, already_sent: bool) -> Errors:
    """A digest goes out only from a published Co-Chairs' Summary, once per published
    version (``already_sent``: a digest of that version was sent)."""
    errors: Errors = {}
    if summary.status != "published" or summary.published_version_id is None:
        _add(
            errors,
            "__all__",
            _("The Co-Chairs' Summary is not published: publish it before sending its digest."),
        )
    elif already_sent:
        _add(
            errors,
            "__all__",
            _(
                "The digest of this version of the Co-Chairs' Summary has already been sent. "
                "A new digest can be sent once a changed version is published."
            ),
        )
    return errors


def check_subscription(*, programme: Any, email: str) -> Errors:
    """Subscribing to a programme's digests: a published programme, an address."""
    errors: Errors = {}
    if not getattr(programme, "is_published", False):
        _add(errors, "__all__", _("This programme is not published."))
    if not email:
        _add(errors, "email", _("Give an e-mail address."))
    return errors


# Session summaries (forum/domain/summaries.py) ---------------------------------------------------
#: The longest period a programme may give organisers to submit a summary, and the longest
#: reminder offset.
MAX_SUMMARY_DAYS = 120


def check_forum_settings(
    *, summary_due_days: int, remind_days_before: int, remind_days_after: int, **rest: Any
) -> Errors:
    """A programme's forum settings: a summary is due at least a day after its session ends;
    the reminder before the deadline (0: none) comes after the task, so it is shorter than
    the period."""
    errors: Errors = {}
    if not 1 <= summary_due_days <= MAX_SUMMARY_DAYS:
        _add(
            errors,
            "summary_due_days",
            _("Give between 1 and %(max)s days.") % {"max": MAX_SUMMARY_DAYS},
        )
    elif remind_days_before >= summary_due_days:
        _add(
            errors,
            "remind_days_before",
            _(
                "Summaries are due %(days)s days after a session: a reminder %(before)s days "
                "before the deadline would come before the task itself. Give fewer days, or 0 "
                "for no reminder."
            )
            % {"days": summary_due_days, "before": remind_days_before},
        )
    for name, value in (
        ("remind_days_before", remind_days_before),
        ("remind_days_after", remind_days_after),
    ):
        if value > MAX_SUMMARY_DAYS:
            _add(errors, name, _("Give at most %(max)s days.") % {"max": MAX_SUMMARY_DAYS})
    return errors


def check_summary(
    *,
    session: Session,
    participants_in_person: int | None,
    participants_online: int | None,
    participation_by_category: dict[str, int],
    announcements: list[Any],
    **rest: Any,
) -> Errors:
    """What a summary may hold, draft or submitted: participation by the programme's
    stakeholder categories, no more people by category than took part in all, and each
    announced commitment either a public commitment of the programme or described by a title
    (an amount with its currency)."""
    errors: Errors = {}
    programme = session.event.programme
    shown = set(programme.shown_categories())
    for code, number in participation_by_category.items():
        if code not in shown:
            _add(
                errors,
                "participation_by_category",
                _("“%(code)s” is not a stakeholder category of this programme.") % {"code": code},
            )
        elif number < 0:
            _add(errors, "participation_by_category", _("A number of people cannot be negative."))
    counted = sum(n for n in participation_by_category.values() if n > 0)
    if participants_in_person is not None or participants_online is not None:
        total = (participants_in_person or 0) + (participants_online or 0)
        if counted > total:
            _add(
                errors,
                "participation_by_category",
                _(
                    "%(counted)s people are counted by category, more than the %(total)s who "
                    "took part in person and online."
                )
                % {"counted": counted, "total": total},
            )
    for index, item in enumerate(announcements):
        for message in check_announcement(programme=programme, item=item):
            _add(errors, f"announcements-{index}", message)
    return errors


def check_announcement(*, programme: Any, item: Any) -> list[str]:
    """One commitment or partnership announced at a session: a public commitment of the
    programme, or described by a title (an amount with its currency)."""
    found: list[str] = []
    if item.commitment_id is not None:
        if (
            not Commitment.objects.public()
            .filter(pk=item.commitment_id, programme=programme)
            .exists()
        ):
            found.append(
                _("Choose a public commitment of %(programme)s.") % {"programme": programme}
            )
        return found
    if not item.title.strip():
        found.append(
            _("Choose the commitment on the platform, or give the title of the one announced.")
        )
    if item.amount is not None:
        if item.amount < 0:
            found.append(_("An amount cannot be negative."))
        if not item.currency:
            found.append(_("Give the currency of the amount."))
    if item.currency and not Currency.objects.filter(code=item.currency).exists():
        found.append(_("“%(code)s” is not a currency.") % {"code": item.currency})
    return found


# Side-event proposals and participation -------------------------------------------------------


def check_proposal(
    *,
    event: Event,
    organisation: Any,
    title: str,
    description: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    expected_participants: int | None,
    room: Room | None = None,
    co_organisers: Any = (),
    themes: Any = (),
) -> Errors:
    """A side-event proposal: what it says, who organises it, and its place in the schedule
    (:func:`check_slot` with the participants expected, so a room too small or taken at that
    time is refused at its field)."""
    errors: Errors = {}
    if not (title or "").strip():
        _add(errors, "title", _("Give the side event a title."))
    if not (description or "").strip():
        _add(errors, "description", _("Describe the side event."))
    if starts_at is None:
        _add(errors, "starts_at", _("Give the time the side event starts."))
    elif starts_at <= timezone.now():
        _add(errors, "starts_at", _("This time has passed: propose a side event still to come."))
    if ends_at is None:
        _add(errors, "ends_at", _("Give the time the side event ends."))
    if expected_participants is None or expected_participants < 1:
        _add(
            errors,
            "expected_participants",
            _("Give the number of participants you expect (at least 1)."),
        )
    if organisation is not None and any(o.pk == organisation.pk for o in co_organisers):
        _add(
            errors,
            "co_organisers",
            _("%(name)s proposes the side event; it cannot also be a co-organiser.")
            % {"name": organisation.name},
        )
    for theme in themes:
        if theme.programme_id != event.programme_id:
            _add(
                errors,
                "themes",
                _("“%(name)s” is not a theme of this programme.") % {"name": theme.name},
            )
    slot = check_slot(
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        expected=expected_participants if expected_participants else None,
    )
    for field_name, messages in slot.items():
        for message in messages:
            _add(errors, field_name, message)
    return errors


def check_registration(
    *,
    event: Event,
    actor: Any,
    mode: str,
    organisation: Any = None,
    category: str = "",
    gender: str = "",
) -> Errors:
    """A registration: for an event that is not over, a mode the event offers, an
    organisation the person acts for, a known stakeholder category and gender (all optional
    but the mode)."""
    errors: Errors = {}
    if event.has_ended(timezone.now()):
        _add(errors, "__all__", _("This event is over: it takes no more registrations."))
    if mode not in Registration.Mode.values:
        _add(errors, "mode", _("Choose to take part in person or online."))
    elif mode == Registration.Mode.ONLINE and not event.is_hybrid:
        _add(errors, "mode", _("This event takes place in person only."))
    if (
        organisation is not None
        and not Representative.objects.filter(user=actor, organisation=organisation).exists()
    ):
        _add(errors, "organisation", _("You do not act for this organisation."))
    if category and category not in Category.values:
        _add(errors, "category", _("Choose a stakeholder category from the list."))
    if gender and gender not in Registration.Gender.values:
        _add(errors, "gender", _("Choose a gender from the list."))
    return errors


def at_venue(event: Event, day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` as the venue's clock reads it (forms ask for times in venue time,
    never the server's nor the browser's)."""
    return dt.datetime.combine(day, time, tzinfo=event.zone)


# Co-Chairs' Summary: the content of a version ---------------------------------------------
#
# A version's content (``SummaryVersion.content``) is ``{"introduction": str, "sections":
# [{"key", "title", "points": [{"id", "text", "sources", "merged", ...}]}]}``.  Keys this
# check does not know (a section's "kind", a point's "sessions") are kept as they are.  Error
# keys name the edit form's fields: ``introduction``, ``section-<i>-title``,
# ``point-<i>-<j>-text`` (indices of the content given, before empty points are dropped).

#: The longest text of one point, and of the introduction.
POINT_MAX_CHARS = 5000
INTRODUCTION_MAX_CHARS = 20000


def clean_summary_content(content: Any) -> tuple[dict[str, Any], Errors]:
    """``content`` made tidy (texts stripped, empty points dropped, a missing point id
    given) and the errors that refuse it (wrong shape, a section without a title, a text too
    long, two points with the same id)."""
    errors: Errors = {}
    if not isinstance(content, dict) or not isinstance(content.get("sections", []), list):
        _add(errors, "__all__", _("The summary's content is not in the expected form."))
        return {}, errors
    introduction = content.get("introduction") or ""
    if not isinstance(introduction, str):
        _add(errors, "introduction", _("The introduction must be text."))
        introduction = ""
    introduction = introduction.strip()
    if len(introduction) > INTRODUCTION_MAX_CHARS:
        _add(
            errors,
            "introduction",
            _("The introduction is longer than %(max)s characters.")
            % {"max": INTRODUCTION_MAX_CHARS},
        )
    cleaned: dict[str, Any] = {**content, "introduction": introduction, "sections": []}
    seen_ids: set[str] = set()
    seen_keys: set[str] = set()
    for i, section in enumerate(content.get("sections") or []):
        if not isinstance(section, dict) or not isinstance(section.get("points", []), list):
            _add(errors, "__all__", _("Section %(n)s is not in the expected form.") % {"n": i + 1})
            continue
        title = section.get("title")
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            _add(errors, f"section-{i}-title", _("Give this section a title."))
        key = str(section.get("key") or f"section-{i + 1}")
        while key in seen_keys:
            key += "-2"
        seen_keys.add(key)
        points: list[dict[str, Any]] = []
        for j, point in enumerate(section.get("points") or []):
            if not isinstance(point, dict):
                _add(
                    errors,
                    "__all__",
                    _("Point %(j)s of section %(i)s is not in the expected form.")
                    % {"i": i + 1, "j": j + 1},
                )
                continue
            text = point.get("text")
            text = text.strip() if isinstance(text, str) else ""
            if not text:
                continue  # an emptied point is a deleted one
            if len(text) > POINT_MAX_CHARS:
                _add(
                    errors,
                    f"point-{i}-{j}-text",
                    _("This point is longer than %(max)s characters.") % {"max": POINT_MAX_CHARS},
                )
            point_id = str(point.get("id") or "")
            if not point_id or point_id in seen_ids:
                point_id = _new_point_id(seen_ids)
            seen_ids.add(point_id)
            sources = point.get("sources") or []
            if not isinstance(sources, list):
                sources = []
            points.append(
                {
                    **point,
                    "id": point_id,
                    "text": text,
                    "sources": sources,
                    "merged": bool(point.get("merged", False)),
                }
            )
        cleaned["sections"].append({**section, "key": key, "title": title, "points": points})
    return cleaned, errors


def _new_point_id(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"p{n}" in taken:
        n += 1
    return f"p{n}"


def recommendation_sources(point: dict[str, Any]) -> list[int]:
    """The ids of the recommendations a point came from, in order, each once."""
    found: list[int] = []
    for source in point.get("sources") or []:
        if isinstance(source, dict) and source.get("kind") == "recommendation":
            try:
                pk = int(source["id"])
            except (KeyError, TypeError, ValueError):
                continue
            if pk not in found:
                found.append(pk)
    return found


def is_merged(point: dict[str, Any]) -> bool:
    """A point an editor may split again: drawn from several recommendations."""
    return len(recommendation_sources(point)) > 1


# Statements and consultations (helper "consultations") -----------------------------------------

#: The longest statement and the longest answer to a consultation question (characters).
STATEMENT_MAX_CHARS = 20_000
ANSWER_MAX_CHARS = 10_000


def check_statement(*, session: Session, title: str, text: str, now: dt.datetime) -> Errors:
    """A written statement is for a plenary of a published event, before the plenary ends,
    with a title and a text."""
    errors: Errors = {}
    event = session.event
    if session.kind != Session.Kind.PLENARY:
        _add(
            errors,
            "session",
            _("Statements are taken for plenary sessions only; “%(title)s” is a %(kind)s.")
            % {"title": session.title, "kind": session.get_kind_display().lower()},
        )
    if session.status == Session.Status.CANCELLED:
        _add(errors, "session", _("This session is cancelled: it takes no statements."))
    if not (event.is_published and event.programme.is_published):
        _add(errors, "session", _("The event is not published: it takes no statements yet."))
    if session.has_ended(now):
        _add(
            errors,
            "session",
            _("The session ended on %(end)s (venue time): it takes no more statements.")
            % {"end": local(event, session.ends_at)},
        )
    if not title.strip():
        _add(errors, "title", _("Give the statement a title."))
    if not text.strip():
        _add(errors, "text", _("The statement is empty: write its text."))
    elif len(text) > STATEMENT_MAX_CHARS:
        _add(
            errors,
            "text",
            _("The statement is %(n)s characters long; at most %(max)s are taken.")
            % {"n": len(text), "max": STATEMENT_MAX_CHARS},
        )
    return errors


def check_consultation(
    *,
    programme: Any,
    title: str,
    audience: str,
    theme: Any,
    event: Any,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
) -> Errors:
    from pledgebook.forum.models import Consultation

    errors: Errors = {}
    if not (title or "").strip():
        _add(errors, "title", _("Give the consultation a title."))
    if opens_at is None:
        _add(errors, "opens_at", _("Give the moment the consultation opens."))
    if closes_at is None:
        _add(errors, "closes_at", _("Give the moment the consultation closes."))
    if opens_at and closes_at and closes_at <= opens_at:
        _add(errors, "closes_at", _("The consultation closes before it opens."))
    if audience not in Consultation.Audience.values:
        _add(errors, "audience", _("Choose who may respond."))
    if audience == Consultation.Audience.THEME_MAKERS and theme is None:
        _add(
            errors,
            "theme",
            _("Choose the theme whose commitment makers are consulted."),
        )
    if theme is not None and theme.programme_id != programme.pk:
        _add(errors, "theme", _("This theme is not one of the programme's."))
    if event is not None and event.programme_id != programme.pk:
        _add(errors, "event", _("This event is not one of the programme's."))
    return errors


def makes_commitments_in(user: Any, theme: Any) -> bool:
    """``user`` represents an organisation with a confirmed (or featured) commitment in
    ``theme``: a commitment maker of the theme, as a consultation on its blueprint asks."""
    from pledgebook.commitments.models import Commitment

    if not getattr(user, "is_authenticated", False) or theme is None:
        return False
    return Commitment.objects.filter(
        themes=theme,
        status__in=Commitment.PUBLIC_STATUSES,
        organisation__representative__user=user,
    ).exists()


def audience_refusal(user: Any, consultation: Any, now: dt.datetime) -> str | None:
    """Why ``user`` may not respond to ``consultation`` now (None: they may)."""
    from pledgebook.forum.models import Consultation

    if not consultation.is_published:
        return _("This consultation is not open: it has not been published.")
    if now < consultation.opens_at:
        return _("This consultation opens on %(when)s: come back then.") % {
            "when": formats.date_format(consultation.opens_at, "DATETIME_FORMAT")
        }
    if now >= consultation.closes_at:
        return _("This consultation closed on %(when)s: it takes no more responses.") % {
            "when": formats.date_format(consultation.closes_at, "DATETIME_FORMAT")
        }
    audience = consultation.audience
    if audience == Consultation.Audience.SIGNED_IN and not getattr(user, "is_authenticated", False):
        return _("This consultation is open to people signed in: sign in to respond.")
    if audience == Consultation.Audience.THEME_MAKERS and not makes_commitments_in(
        user, consultation.theme
    ):
        name = consultation.theme.name if consultation.theme else ""
        if not getattr(user, "is_authenticated", False):
            return _(
                "This consultation is open to the commitment makers of “%(theme)s”: sign in "
                "as a representative of an organisation with a confirmed commitment in it."
            ) % {"theme": name}
        return _(
            "This consultation is open to the commitment makers of “%(theme)s” only: you do "
            "not represent an organisation with a confirmed commitment in it."
        ) % {"theme": name}
    return None
