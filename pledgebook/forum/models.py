"""The forum of a programme (seeds 000 and 002): its events, their sessions and side events,
who takes part, what each session concluded (the organisers' summaries), the statements and
consultations that feed it, and the Co-Chairs' Summary compiled from all of it, with its
digest.

Models are thin: every state change lives in ``forum/domain/`` (one module per part: schedule,
proposals, participation, summaries, statements, consultations, cochairs, digest), permissions
in ``forum/rules.py``, content rules in ``forum/validation.py``.

Times: a session's ``starts_at``/``ends_at`` are aware datetimes (stored in UTC); they are
shown in the event's ``time_zone`` (``Event.zone``), never the server's.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pledgebook.organisations.models import Category


def _token() -> str:
    return secrets.token_urlsafe(24)


class ForumSettings(models.Model):
    """A programme's forum settings (one row per programme; ``for_programme`` gives the
    defaults when there is none), so ``programmes`` needs no change."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="forum_settings"
    )
    summary_due_days = models.PositiveSmallIntegerField(
        _("session summaries due within (days)"),
        default=14,
        help_text=_("Days after a session ends by which its organisers submit the summary."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder before the deadline (days)"), default=3
    )
    remind_days_after = models.PositiveSmallIntegerField(
        _("reminder after the deadline (days)"), default=3
    )
    summary_instructions = models.TextField(
        _("instructions to session organisers"),
        blank=True,
        help_text=_("Shown above the summary form: what the secretariat asks of a summary."),
    )

    class Meta:
        verbose_name_plural = "forum settings"

    def __str__(self) -> str:
        return f"Forum settings of {self.programme}"

    @classmethod
    def for_programme(cls, programme: models.Model) -> ForumSettings:
        found = cls.objects.filter(programme=programme).first()
        return found or cls(programme=programme)  # type: ignore[misc]


class EventQuerySet(models.QuerySet["Event"]):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def public(self):
        return self.filter(is_published=True, programme__is_published=True)


class Event(models.Model):
    """One gathering of a programme: the 2025 Partnership Forum, the 2024 Civil Society
    Conference."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="events"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("Used by schedule apps.")
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("The venue's time zone (IANA name such as America/New_York)."),
    )
    is_hybrid = models.BooleanField(_("hybrid (in person and online)"), default=True)
    online_url = models.URLField(_("online participation link"), max_length=500, blank=True)
    in_person_capacity = models.PositiveIntegerField(
        _("in-person capacity"),
        null=True,
        blank=True,
        help_text=_("Registrations in person past it join the waiting list. Empty: no limit."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    proposals_open = models.BooleanField(_("side-event proposals open"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="event_slug_per_programme"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "public:event", kwargs={"programme": self.programme.slug, "event": self.slug}
        )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def has_ended(self, now: dt.datetime) -> bool:
        """Whether the event's last day is over, as the venue's clock reads ``now``."""
        return now.astimezone(self.zone).date() > self.ends_on

    def days(self) -> list[dt.date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + dt.timedelta(days=i) for i in range(max(count, 0))]


class Room(models.Model):
    """A room of the venue, or a virtual room; sessions in one room may not overlap."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_virtual = models.BooleanField(_("virtual"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_per_event"),
        ]

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(models.QuerySet["Session"]):
    def for_programme(self, programme):
        return self.filter(event__programme=programme)

    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def public(self):
        return self.scheduled().filter(
            event__is_published=True, event__programme__is_published=True
        )


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        SDG_SEGMENT = "sdg_segment", _("SDG action segment")
        BREAKOUT = "breakout", _("Thematic breakout or workshop")
        SIDE_EVENT = "side_event", _("Side event")
        FIRESIDE = "fireside", _("Fireside chat")
        PITCH = "pitch", _("Pitch")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    segment = models.CharField(
        _("segment"),
        max_length=200,
        blank=True,
        help_text=_(
            "The part of the programme it belongs to, for instance 'SDG Action Segment: Goal "
            "14'. The Co-Chairs' Summary is grouped by it (by kind when empty)."
        ),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True, default="en")
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="forum_sessions",
        verbose_name=_("organising organisations"),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_sessions",
        verbose_name=_("organisers"),
        help_text=_("The people who write the session's summary."),
    )
    themes = models.ManyToManyField(
        "programmes.Theme", blank=True, related_name="sessions", verbose_name=_("themes")
    )
    goals = models.ManyToManyField(
        "reference.Goal", blank=True, related_name="sessions", verbose_name=_("SDGs")
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "public:session",
            kwargs={
                "programme": self.event.programme.slug,
                "event": self.event.slug,
                "session": self.pk,
            },
        )

    @property
    def segment_label(self) -> str:
        return self.segment or str(self.get_kind_display())

    def has_ended(self, now: dt.datetime) -> bool:
        return self.ends_at <= now


class Speaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, help_text=_("When not an organisation here.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class SideEventProposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="side_event_proposals",
        verbose_name=_("proposing organisation"),
    )
    co_organisers = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="co_organised_proposals",
        verbose_name=_("co-organisers"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("room")
    )
    expected_participants = models.PositiveIntegerField(_("expected participants"))
    themes = models.ManyToManyField("programmes.Theme", blank=True, verbose_name=_("themes"))
    goals = models.ManyToManyField("reference.Goal", blank=True, verbose_name=_("SDGs"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    session = models.OneToOneField(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        ANOTHER = "another", _("Another gender")
        UNSAID = "unsaid", _("Prefer not to say")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_registrations"
    )
    mode = models.CharField(_("taking part"), max_length=12, choices=Mode.choices)
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True
    )
    category = models.CharField(
        _("stakeholder category"), max_length=32, choices=Category.choices, blank=True
    )
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


class SessionMark(models.Model):
    """A session a registered person means to attend ("my sessions")."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_marks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_mark_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.user} marks {self.session}"


class SessionSummary(models.Model):
    """What a session concluded, written by its organisers on the programme's template."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="summary")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    due_at = models.DateTimeField(_("due"))
    key_messages = models.TextField(_("key messages"), blank=True)
    participants_in_person = models.PositiveIntegerField(
        _("participants in person"), null=True, blank=True
    )
    participants_online = models.PositiveIntegerField(
        _("participants online"), null=True, blank=True
    )
    #: {stakeholder category code: number of participants}
    participation_by_category = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "session summaries"

    def __str__(self) -> str:
        return f"Summary of {self.session}"

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at


class Recommendation(models.Model):
    summary = models.ForeignKey(
        SessionSummary, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class AnnouncedCommitment(models.Model):
    """A commitment or partnership announced at a session: linked to the commitment on the
    platform when it exists, else described (and its makers prompted to register it)."""

    summary = models.ForeignKey(
        SessionSummary, on_delete=models.CASCADE, related_name="announcements"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
    )
    title = models.CharField(_("title"), max_length=300)
    maker = models.CharField(_("made by"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Not on the platform yet: we invite them to register it."),
    )
    prompt_sent_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class SummaryReminder(models.Model):
    """One mail about a session summary (the task, a reminder before, one after the
    deadline), never sent twice."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        BEFORE = "before", _("Before the deadline")
        AFTER = "after", _("After the deadline")

    summary = models.ForeignKey(SessionSummary, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "kind"], name="one_summary_reminder_each"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.summary}"


class Statement(models.Model):
    """A written statement an organisation submits for a plenary; published on the session
    page once the secretariat selects it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected and published")
        DECLINED = "declined", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="statements")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="statements"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("statement"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    class Audience(models.TextChoices):
        PUBLIC = "public", _("Anyone")
        SIGNED_IN = "signed_in", _("Anyone signed in")
        THEME_MAKERS = "theme_makers", _("Commitment makers of a theme")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="consultations"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("open to"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    theme = models.ForeignKey(
        "programmes.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("theme"),
        help_text=_("For 'commitment makers of a theme': whose makers may respond."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    is_published = models.BooleanField(_("published"), default=False)
    themes_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="consultation_slug_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: dt.datetime) -> bool:
        return self.is_published and self.opens_at <= now < self.closes_at


class ConsultationQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class ConsultationResponse(models.Model):
    class Source(models.TextChoices):
        FORM = "form", _("Form")
        IMPORT = "import", _("Imported file")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    category = models.CharField(
        _("stakeholder category"), max_length=32, choices=Category.choices, blank=True
    )
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.consultation}"


class Answer(models.Model):
    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_each"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ConsultationTheme(models.Model):
    """A recurring theme of a consultation's answers (grouped by the embedding model): its
    label, how many answers, and representative quotes."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="themes_found"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=300)
    count = models.PositiveIntegerField()
    #: [answer text, ...] the answers closest to the theme's centre
    quotes = models.JSONField(default=list)
    answers = models.ManyToManyField(Answer, related_name="themes")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class CoChairsSummary(models.Model):
    """The Co-Chairs' Summary of an event: every version kept (``versions``), the current one
    the newest, the published one named."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="cochairs_summary")
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_version = models.ForeignKey(
        "SummaryVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Co-Chairs' Summary"
        verbose_name_plural = "Co-Chairs' Summaries"

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> SummaryVersion | None:
        return self.versions.order_by("-number").first()


class SummaryVersion(models.Model):
    """One version of a Co-Chairs' Summary, never changed once written.

    ``content`` is ``{"introduction": str, "sections": [{"key", "title", "points": [{"id",
    "text", "sources": [{"kind": "recommendation"|"consultation_theme"|"announcement",
    "id": int}], "merged": bool}]}]}``; ``sources`` is for editors only, never published."""

    summary = models.ForeignKey(CoChairsSummary, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summary", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["summary", "number"], name="one_cochairs_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.summary} v{self.number}"


class Subscriber(models.Model):
    """Someone who receives a programme's digests; unsubscribes in one click from any of
    them (``token``)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="subscribers"
    )
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "email"], name="one_subscription_each"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class Digest(models.Model):
    """The follow-up digest of a published Co-Chairs' Summary, as sent."""

    summary = models.ForeignKey(CoChairsSummary, on_delete=models.CASCADE, related_name="digests")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    #: The published version the digest was composed from: a second digest of the same
    #: version is refused (``forum.domain.digest.send_digest``).
    version = models.ForeignKey(
        SummaryVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="digests"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
