"""Accountability: reporting cycles, the programme's indicator framework, progress reports
(versioned, never overwritten once submitted), evidence, reminders and the annual report.

State changes live in ``reporting/domain.py``; computed figures (status lights, response rates,
roll-ups) in ``reporting/figures.py``.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.core.uploads import StoredName


class ReportingCycle(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual report")
        TOUCHPOINT = "touchpoint", _("Touchpoint")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reporting_cycles"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ANNUAL)
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Reports after it are still accepted, and marked late.")
    )
    closes_at = models.DateTimeField(
        _("closes"), help_text=_("After this, no report is accepted and the links expire.")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before the deadline"), default=7
    )
    remind_days_after = models.PositiveSmallIntegerField(
        _("remind this many days after the deadline"), default=7
    )

    class Meta:
        ordering = ["programme", "-opens_at"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator of the programme's accountability framework: every report answers it."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="indicator_code_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A maker's personal reporting link for one cycle.  The link carries a signed reference to
    this row and its nonce; resending draws a new nonce, so earlier links stop working."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    nonce = models.CharField(max_length=64, default=new_nonce)
    sent_at = models.DateTimeField()
    times_sent = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation"], name="one_invitation_per_maker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} - {self.cycle}"


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


class ProgressReport(models.Model):
    """One version of a commitment's report for a cycle.  A submitted version is never changed:
    a correction is a new version that supersedes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="progress_reports"
    )
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    implementation_status = models.CharField(
        _("implementation status"), max_length=16, choices=ImplementationStatus.choices, blank=True
    )
    narrative = models.TextField(_("what happened"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    disbursed_amount = models.DecimalField(
        _("disbursed so far"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    disbursed_currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("currency of the disbursement"),
        related_name="+",
    )
    exchange_rate = models.DecimalField(
        _("exchange rate to the pledged currency"),
        max_digits=18,
        decimal_places=8,
        null=True,
        blank=True,
        help_text=_("Units of the pledged currency for one unit of the disbursed currency."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commitment", "cycle", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "cycle", "version"], name="one_version_number"
            ),
            models.UniqueConstraint(
                fields=["commitment", "cycle"],
                condition=models.Q(status="draft"),
                name="one_draft_per_commitment_cycle",
            ),
        ]
        # (cycle, status, submitted_at): the last submission of a cycle is one look-up
        # (reporting.figures.fingerprint)
        indexes = [models.Index(fields=["cycle", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.commitment} - {self.cycle} v{self.version}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    baseline = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=StoredName("evidence"), blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.url or self.original_name


class CoMakerConfirmation(models.Model):
    """A co-maker's confirmation of the lead maker's report."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="confirmations"
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="confirm_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} confirmed {self.report}"


class Reminder(models.Model):
    """A reminder sent: the unique key makes sending idempotent."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the deadline")
        AFTER = "after", _("After the deadline")

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation", "kind", "deadline"], name="remind_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.organisation} {self.cycle}"


class AnnualReport(models.Model):
    """A generated accountability report for a cycle (built by a background task)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.CASCADE, related_name="annual_reports"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    data_digest = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    docx = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)
    csv = models.FileField(upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Renewed at each step and every few seconds while the worker generates the files (a
    # lease): a RUNNING report whose heartbeat is older than ANNUAL_REPORT_STALE_SECONDS was
    # interrupted (the worker died) and no longer holds back a new request.
    heartbeat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.cycle} ({self.get_status_display()})"

    @staticmethod
    def stale_after() -> dt.timedelta:
        return dt.timedelta(seconds=float(getattr(settings, "ANNUAL_REPORT_STALE_SECONDS", 120)))

    @property
    def interrupted(self) -> bool:
        """Generating, but no sign of life for a while: its worker stopped."""
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at < timezone.now() - self.stale_after()
        )


class FiguresSnapshot(models.Model):
    """The sums behind a cycle's response rates and roll-up (``figures.compute_sums``) as they
    were last computed, with the fingerprint of the data they came from: served while the
    fingerprint is unchanged (see ``figures.current``)."""

    cycle = models.OneToOneField(
        ReportingCycle, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    sums = models.JSONField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(help_text="how long the computation took")

    def __str__(self) -> str:
        return f"figures of {self.cycle} at {self.computed_at:%Y-%m-%d %H:%M:%S}"


class ExchangeRate(models.Model):
    """The rate at which money in ``currency`` is converted to the programme's reporting
    currency for the totals of one reporting cycle, as the secretariat keeps it (by hand or
    from a CSV such as the UN operational rates of exchange).

    ``rate`` is in the UN layout: units of ``currency`` for one unit of the reporting currency
    (KES 129.5 per USD), so an amount converts as ``amount / rate``.  ``reporting_currency``
    records which currency the rate is to: a rate kept for another reporting currency (the
    programme changed it since) is not used."""

    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.CASCADE, related_name="exchange_rates"
    )
    currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )
    reporting_currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporting currency"),
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=20,
        decimal_places=8,
        help_text=_("Units of the currency for one unit of the reporting currency."),
    )
    effective_on = models.DateField(_("effective date"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "currency"], name="one_exchange_rate_per_cycle_currency"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.rate} per {self.reporting_currency_id} ({self.cycle})"
