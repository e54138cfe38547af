"""Applications to join a theme, and commitments with their co-makers and assessments.

Models are thin: every state change lives in ``commitments/domain.py``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def approved(self):
        return self.filter(status=Application.Status.APPROVED)


class Application(models.Model):
    """An organisation's request to join a theme as commitment maker or leader."""

    class Role(models.TextChoices):
        MAKER = "maker", _("Commitment maker")
        LEADER = "leader", _("Leader")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="applications"
    )
    theme = models.ForeignKey(
        "programmes.Theme", on_delete=models.CASCADE, related_name="applications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="applications",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MAKER)
    motivation = models.TextField(_("motivation"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "theme"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="one_live_application_per_theme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.theme} ({self.get_role_display()})"


class EndorsementLevel(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("Head of State or Government")
    MINISTER = "minister", _("Minister or head of organisation")
    EXECUTIVE = "executive", _("Executive leadership or board")
    SENIOR = "senior", _("Senior management")
    PROGRAMME = "programme", _("Programme or team level")


HIGH_ENDORSEMENT = {EndorsementLevel.HEAD_OF_STATE, EndorsementLevel.MINISTER}


class GeographicScope(models.TextChoices):
    NATIONAL = "national", _("National or local (named countries)")
    REGIONAL = "regional", _("Regional")
    GLOBAL = "global", _("Global")


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def public(self):
        return self.filter(status__in=Commitment.PUBLIC_STATUSES)

    def submitted(self):
        """Commitments a programme's staff may read: every one that was submitted.  A draft
        belongs to its organisation until submitted (a returned one was submitted)."""
        return self.exclude(status=Commitment.Status.DRAFT)


class Commitment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for revision")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        FEATURED = "featured", _("Featured")

    PUBLIC_STATUSES = (Status.CONFIRMED, Status.FEATURED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="commitments"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("lead organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    types = models.ManyToManyField(
        "programmes.CommitmentType", verbose_name=_("types"), related_name="commitments"
    )
    themes = models.ManyToManyField(
        "programmes.Theme", verbose_name=_("themes"), related_name="commitments"
    )
    actions = models.ManyToManyField(
        "programmes.Action",
        blank=True,
        verbose_name=_("blueprint actions"),
        related_name="+",
    )
    goals = models.ManyToManyField("reference.Goal", blank=True, verbose_name=_("SDGs"))
    targets = models.ManyToManyField("reference.Target", blank=True, verbose_name=_("SDG targets"))
    scope = models.CharField(
        _("geographic scope"),
        max_length=16,
        choices=GeographicScope.choices,
        default=GeographicScope.NATIONAL,
    )
    countries = models.ManyToManyField("reference.Country", blank=True, verbose_name=_("countries"))
    regions = models.ManyToManyField("reference.Region", blank=True, verbose_name=_("regions"))
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("currency"),
    )
    funds_are_new = models.BooleanField(_("new and additional funds"), null=True, blank=True)
    endorsement_level = models.CharField(
        _("level of endorsement"),
        max_length=32,
        choices=EndorsementLevel.choices,
        blank=True,
    )
    is_conditional = models.BooleanField(_("pledge conditional on approval"), default=False)
    condition = models.TextField(_("condition"), blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "status"]),
            # the last change of a programme's commitments (reporting.figures.fingerprint)
            models.Index(fields=["programme", "updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:commitment", kwargs={"pk": self.pk})

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # (replaces Django's)
        """The status's label.  Django's own version hashes every choice's translated label
        on each call (~0.1 ms; a directory page shows 25 rows); this looks the value up."""
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return str(self.status)

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class CoMakerQuerySet(models.QuerySet["CoMaker"]):
    def taking_part(self):
        """Co-makers that have not declined (pending or confirmed)."""
        return self.filter(declined_at__isnull=True)

    def pending(self):
        return self.filter(confirmed_at__isnull=True, declined_at__isnull=True)


class CoMaker(models.Model):
    """An organisation named as co-maker of a collective commitment.  It answers from its
    workspace: it confirms its part or declines (``commitments.domain``); until then it is
    pending.  When the lead changes the substance of the commitment, a confirmation is reset
    and the co-maker is asked again."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="co_makers")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="co_commitments",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    objects = CoMakerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation"],
                name="co_maker_once_per_commitment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.commitment}"

    @property
    def state(self) -> str:
        if self.declined_at is not None:
            return self.State.DECLINED
        if self.confirmed_at is not None:
            return self.State.CONFIRMED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    def may_answer(self, state: str) -> bool:
        """Whether the co-maker may give the answer ``state`` (confirmed or declined) now:
        a pending co-maker answers at any time until the commitment is declined; an answer
        already given can change only while the lead can still edit the commitment (draft
        or returned), since the reviewers judge it with the answers it was submitted with."""
        commitment = self.commitment
        if commitment.status == Commitment.Status.DECLINED or self.state == state:
            return False
        return self.state == self.State.PENDING or commitment.is_editable


CRITERIA_KEYS = ("impact", "funding", "endorsement", "collective", "smart")


class AssessmentOverride(models.Model):
    """A reviewer's judgement of one criterion, replacing the computed one."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="assessment_overrides"
    )
    criterion = models.CharField(max_length=32)
    met = models.BooleanField()
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "criterion"], name="one_override_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'met' if self.met else 'not met'}"


class Initiative(models.Model):
    """One initiative registered as several commitments (by several organisations, or twice
    in two registries).  The secretariat links the registrations (``commitments.initiatives``):
    nothing is deleted, each registration stays a commitment of its own, and the directory
    shows the initiative once, with its registrants."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"initiative {self.pk}"


class Registration(models.Model):
    """A commitment as one registration of an initiative, with the provenance of its link:
    who linked it, when, with which registration, the similarity score and reasons shown at
    the time, and the secretariat's note.  ``is_primary``: the registration the secretariat
    chose to represent the initiative (else the earliest public one does)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="registrations"
    )
    commitment = models.OneToOneField(
        Commitment, on_delete=models.CASCADE, related_name="registration"
    )
    is_primary = models.BooleanField(default=False)
    linked_with = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField()
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(is_primary=True),
                name="one_primary_registration_per_initiative",
            )
        ]
        indexes = [models.Index(fields=["initiative", "commitment"])]

    def __str__(self) -> str:
        return f"{self.commitment_id} in initiative {self.initiative_id}"
