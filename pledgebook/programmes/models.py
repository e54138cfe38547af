"""Programmes: the processes a secretariat runs, their themes, blueprints and settings.

Every rule that varies between processes (registration window, review deadline, allowed
durations, accepted commitment types) is data on the programme, not a constant in code.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.organisations.models import all_categories, grouped_choices


class CommitmentType(models.Model):
    """Financial, advocacy, policy, programmatic (seed 001 section 6); rows, so that a
    programme can accept a subset and a new type needs no code change."""

    code = models.SlugField(max_length=32, primary_key=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    FINANCIAL = "financial"


class Programme(models.Model):
    class Kind(models.TextChoices):
        ACTION_COALITIONS = "action_coalitions", _("Action coalitions and commitments")
        CONFERENCE = "conference", _("Conference with coalitions")
        PARTNERSHIP_FORUM = "partnership_forum", _("Partnership forum")

    class ReportingCycle(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        SEMI_ANNUAL = "semi_annual", _("Every six months")
        NONE = "none", _("No reporting")

    class ReportingJoins(models.TextChoices):
        """When a commitment confirmed while a reporting cycle is open first reports
        (``reporting.expected``)."""

        OPEN_CYCLE = "open_cycle", _("In the cycle that is open when it is confirmed")
        NEXT_CYCLE = "next_cycle", _("From the next cycle to open")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    summary = models.TextField(_("summary"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    commitment_types = models.ManyToManyField(
        CommitmentType, verbose_name=_("commitment types accepted"), blank=True
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    application_review_days = models.PositiveSmallIntegerField(
        _("days to decide an application"), default=21
    )
    leader_min_years = models.PositiveSmallIntegerField(_("leaders: minimum years"), default=5)
    leader_max_years = models.PositiveSmallIntegerField(_("leaders: maximum years"), default=5)
    maker_min_years = models.PositiveSmallIntegerField(
        _("commitment makers: minimum years"), default=1
    )
    maker_max_years = models.PositiveSmallIntegerField(
        _("commitment makers: maximum years"), default=5
    )
    reporting_cycle = models.CharField(
        _("reporting cycle"),
        max_length=16,
        choices=ReportingCycle.choices,
        default=ReportingCycle.ANNUAL,
    )
    reporting_joins = models.CharField(
        _("a commitment confirmed while a cycle is open reports"),
        max_length=16,
        choices=ReportingJoins.choices,
        default=ReportingJoins.OPEN_CYCLE,
        help_text=_(
            "In the open cycle, it receives its personal reporting link on confirmation; if the "
            "cycle's deadline has passed, its report is due when the cycle closes."
        ),
    )
    stakeholder_categories = models.JSONField(
        _("stakeholder categories shown"),
        default=all_categories,
        blank=True,
        help_text=_(
            "Codes of the categories of organisations.models.Category this programme offers "
            "in its forms and filters, in taxonomy order."
        ),
    )
    reporting_currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporting currency"),
        help_text=_(
            "Money totals of the dashboard and the annual report are also given in this "
            "currency, at the exchange rates the secretariat keeps for each reporting cycle."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:programme", kwargs={"programme": self.slug})

    def registration_is_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        if self.registration_opens_at is None or self.registration_closes_at is None:
            return False
        return self.registration_opens_at <= at < self.registration_closes_at

    def shown_categories(self) -> list[str]:
        """The stakeholder categories the programme offers, in taxonomy order (every category
        when none is chosen)."""
        chosen = set(self.stakeholder_categories or ())
        return [code for code in all_categories() if code in chosen] or all_categories()

    def category_choices(self) -> list[tuple[Any, list[tuple[str, Any]]]]:
        """The categories it offers, under their headings, for a form field."""
        return grouped_choices(self.shown_categories())

    def registration_has_closed(self, at: dt.datetime | None = None) -> bool:
        """The window has closed (applications and submissions end with it)."""
        at = at or timezone.now()
        return self.registration_closes_at is not None and at >= self.registration_closes_at

    def registration_last_day(self) -> dt.date | None:
        """The last day one can register, in the current time zone: the window is
        ``[opens, closes)``, so a deadline at midnight makes the day before the last."""
        if self.registration_closes_at is None:
            return None
        return timezone.localtime(self.registration_closes_at - dt.timedelta(microseconds=1)).date()

    def duration_bounds(self, *, leader: bool) -> tuple[int, int]:
        if leader:
            return self.leader_min_years, self.leader_max_years
        return self.maker_min_years, self.maker_max_years


class Theme(models.Model):
    """A thematic area: an Action Coalition, a Compact area, an SDG action segment."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField("reference.Goal", blank=True, verbose_name=_("SDGs"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="theme_slug_per_programme")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "public:theme",
            kwargs={"programme": self.programme.slug, "theme": self.slug},
        )


class Action(models.Model):
    """A concrete, measurable action of a theme's blueprint."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=16, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class ProgrammeRole(models.Model):
    """A person's staff role in one programme: secretariat or reviewer."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        REVIEWER = "reviewer", _("Reviewer")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_roles",
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="one_role_per_user_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.programme}"
