"""The pitch pipeline (issue 11, item 4): partnerships ready to scale meet investors.

A commitment or a coalition marks itself ready to scale with a :class:`ScaleUpPlan` (funding
sought, instruments, where, SDGs, stage, evidence drawn from its own submitted progress
reports) and submits it to the programme's open :class:`PitchCall`, or answers a
:class:`PitchInvitation` of the secretariat, who found it itself.  Investors (organisations of
an investor category) keep an :class:`InvestorProfile`; ``portal.pitch.matching`` ranks one
side for the other.  Investors record :class:`InvestorInterest`; a :class:`PitchOutcome` says
what came of it.

Matching reads denormalised columns, kept by ``portal.pitch.domain`` whenever a plan or a
profile is saved: instruments, stages and SDGs as bitmasks, the area as a bitmask of countries
(``geo0`` … ``geo4``, see ``portal.pitch.geo``), and the amounts in US dollars
(``portal.pitch.money``), so that every hard constraint is a condition in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Instrument",
    "InvestorInterest",
    "InvestorKind",
    "InvestorProfile",
    "PitchCall",
    "PitchIndexState",
    "PitchInvitation",
    "PitchOutcome",
    "ScaleUpPlan",
    "Stage",
]


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    GUARANTEE = "guarantee", _("Guarantee")
    EQUITY = "equity", _("Equity")
    BLENDED = "blended", _("Blended finance")


class Stage(models.TextChoices):
    PILOT = "pilot", _("Pilot proven")
    EARLY_GROWTH = "early_growth", _("Early growth")
    SCALE_UP = "scale_up", _("Scaling up")
    REPLICATION = "replication", _("Replication elsewhere")


class InvestorKind(models.TextChoices):
    PRIVATE_COMPANY = "private_company", _("Private company")
    FOUNDATION = "foundation", _("Foundation or philanthropy")
    IFI = "ifi", _("International finance institution")
    DEVELOPMENT_BANK = "development_bank", _("Development bank")


class _Area(models.Model):
    """The denormalised bitmasks of a plan's or a profile's area, instruments, stages, SDGs."""

    instrument_mask = models.PositiveSmallIntegerField(default=0)
    sdg_mask = models.PositiveIntegerField(default=0)
    geo0 = models.BigIntegerField(default=0)
    geo1 = models.BigIntegerField(default=0)
    geo2 = models.BigIntegerField(default=0)
    geo3 = models.BigIntegerField(default=0)
    geo4 = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def geo(self) -> tuple[int, int, int, int, int]:
        return (self.geo0, self.geo1, self.geo2, self.geo3, self.geo4)


class PitchCall(models.Model):
    """The open call of a programme's pitch segment and the forum session it leads to."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pitch_call"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("call opens"))
    closes_at = models.DateTimeField(_("call closes"))
    session = models.ForeignKey(
        "forum.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pitch session"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="pitch_call_window"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object) -> bool:
        return bool(self.opens_at <= now <= self.closes_at)  # type: ignore[operator]


class ScaleUpPlan(_Area):
    """A commitment's or a coalition's plan to scale (exactly one of the two)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the open call")
        INVITED = "invited", _("In the pipeline on the secretariat's invitation")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SCHEDULED = "scheduled", _("Scheduled to pitch")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: Visible to investors and the public: in the pipeline.
    IN_PIPELINE = (Status.SUBMITTED, Status.INVITED, Status.SHORTLISTED, Status.SCHEDULED)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="scale_up_plans"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scale_up_plans",
    )
    coalition = models.ForeignKey(
        "coalitions.Coalition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scale_up_plans",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="scale_up_plans",
        help_text="The maker of the commitment or the lead of the coalition who wrote it.",
    )
    title = models.CharField(_("title"), max_length=300)
    plan = models.TextField(_("the plan to scale"))
    amount = models.DecimalField(_("funding sought"), max_digits=18, decimal_places=2)
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2, db_index=True)
    usd_rate = models.DecimalField(
        max_digits=20, decimal_places=8, help_text="Units of the currency per US dollar."
    )
    usd_rate_on = models.DateField(null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    regions = models.ManyToManyField(
        "reference.Region", blank=True, related_name="+", verbose_name=_("regions")
    )
    evidence_values = models.ManyToManyField(
        "reporting.IndicatorValue", blank=True, related_name="+", verbose_name=_("indicator values")
    )
    evidence_reports = models.ManyToManyField(
        "reporting.ProgressReport",
        blank=True,
        related_name="+",
        verbose_name=_("disbursements reported"),
    )
    evidence_count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    session = models.ForeignKey(
        "forum.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(commitment__isnull=False, coalition__isnull=True)
                    | models.Q(commitment__isnull=True, coalition__isnull=False)
                ),
                name="plan_of_commitment_or_coalition",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="plan_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(instrument_mask__gt=0), name="plan_has_instrument"
            ),
        ]
        # matching: the plans in the pipeline, by amount (the ticket range) first
        indexes = [models.Index(fields=["status", "amount_usd"], name="plan_pipeline_amount")]

    def __str__(self) -> str:
        return self.title

    @property
    def partnership(self) -> object:
        return self.commitment if self.commitment_id else self.coalition


class InvestorProfile(_Area):
    """What an investor organisation looks for.  An empty area means anywhere."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="investor_profile"
    )
    kind = models.CharField(_("kind of investor"), max_length=20, choices=InvestorKind.choices)
    summary = models.TextField(_("what we invest in"), blank=True)
    ticket_min = models.DecimalField(_("smallest ticket"), max_digits=18, decimal_places=2)
    ticket_max = models.DecimalField(_("largest ticket"), max_digits=18, decimal_places=2)
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    ticket_min_usd = models.DecimalField(max_digits=18, decimal_places=2)
    ticket_max_usd = models.DecimalField(max_digits=18, decimal_places=2)
    usd_rate = models.DecimalField(max_digits=20, decimal_places=8)
    usd_rate_on = models.DateField(null=True, blank=True)
    stage_mask = models.PositiveSmallIntegerField(default=0)
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    regions = models.ManyToManyField(
        "reference.Region", blank=True, related_name="+", verbose_name=_("regions")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ticket_min__lte=models.F("ticket_max")),
                name="investor_ticket_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class PitchInvitation(models.Model):
    """The secretariat invites a partnership it found itself to the pitch segment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pitch_invitations"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="pitch_invitations"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(commitment__isnull=False, coalition__isnull=True)
                    | models.Q(commitment__isnull=True, coalition__isnull=False)
                ),
                name="pitch_invitation_of_one",
            ),
        ]

    def __str__(self) -> str:
        return str(self.commitment or self.coalition)

    @property
    def partnership(self) -> object:
        return self.commitment if self.commitment_id else self.coalition


class InvestorInterest(models.Model):
    plan = models.ForeignKey(ScaleUpPlan, on_delete=models.CASCADE, related_name="interests")
    investor = models.ForeignKey(
        InvestorProfile, on_delete=models.CASCADE, related_name="interests"
    )
    note = models.TextField(_("note to the secretariat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "investor"], name="one_interest_per_investor")
        ]

    def __str__(self) -> str:
        return f"{self.investor} → {self.plan}"


class PitchOutcome(models.Model):
    """What came of a plan and an investor: met, in due diligence, funded, declined."""

    class Status(models.TextChoices):
        MET = "met", _("Met")
        DUE_DILIGENCE = "due_diligence", _("In due diligence")
        FUNDED = "funded", _("Funded")
        DECLINED = "declined", _("Declined")

    OPEN = (Status.MET, Status.DUE_DILIGENCE)

    plan = models.ForeignKey(ScaleUpPlan, on_delete=models.CASCADE, related_name="outcomes")
    investor = models.ForeignKey(InvestorProfile, on_delete=models.CASCADE, related_name="outcomes")
    status = models.CharField(_("outcome"), max_length=16, choices=Status.choices)
    amount = models.DecimalField(
        _("amount funded"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("currency"),
    )
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    instrument = models.CharField(
        _("instrument"), max_length=16, choices=Instrument.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "investor"], name="one_outcome_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_status_display()}"


class PitchIndexState(models.Model):
    """One row: a token that changes, in the same transaction, whenever a plan is saved or
    deleted (``portal.pitch.index``), so that each process knows its in-memory columns of
    the pipeline are out of date (a rolled-back change restores the earlier token)."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
