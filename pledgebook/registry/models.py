"""Commitments and organisations brought in from an existing registry (``registry.importing``).

An :class:`ImportRun` keeps the uploaded file, its layout and column mapping, the preview of
every record (its outcome, warnings and errors naming row and column) and the organisation
decisions the secretariat may change before the import; then the progress and the report of
the import, which creates every accepted record or none.  What a registry says that the
commitment itself has no field for is kept beside it: where it came from
(:class:`Provenance`), its dated deliverables (:class:`Milestone`), its free-text partners
(:class:`NamedPartner`: names, not confirmed co-makers), its resources as written
(:class:`Resource`) and whether progress reports were submitted (:class:`ReportHistory`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.core.uploads import StoredName


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)
    EDITABLE_STATUSES = (Status.PREVIEW, Status.FAILED)

    class Layout(models.TextChoices):
        TEMPLATE = "template", _("Pledgebook commitments template")
        UN_OCEAN = "un_ocean", _("UN Ocean Conference #OceanAction registry")

    class FileFormat(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSONL = "jsonl", "JSON Lines"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="registry_imports"
    )
    file = models.FileField(upload_to=StoredName("registry-imports"), blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=8, choices=FileFormat.choices)
    layout = models.CharField(max_length=16, choices=Layout.choices)
    columns = models.JSONField(default=list, blank=True, help_text=_("The file's columns."))
    mapping = models.JSONField(
        default=dict, blank=True, help_text=_("Source column → field it becomes ('' = kept out).")
    )
    fallback_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of organisations whose country the file does not give"),
    )
    rows = models.JSONField(default=list, blank=True, help_text=_("The preview of every record."))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class OrganisationDecision(models.Model):
    """What becomes of one organisation named in the file (its name, category and country as
    the file gives them): matched to an organisation already on the platform, with the
    matcher's score and reason, or created.  Proposed at upload; the secretariat may change
    it until the import."""

    class Action(models.TextChoices):
        MATCH = "match", _("Matched to an existing organisation")
        CREATE = "create", _("Created")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="decisions")
    key = models.CharField(max_length=300)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=32)
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    country_source = models.CharField(max_length=32, blank=True)
    records = models.PositiveIntegerField(default=0)
    action = models.CharField(max_length=8, choices=Action.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    candidates = models.JSONField(default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="registry_one_decision_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_action_display()}"


class Provenance(models.Model):
    """Where an imported commitment came from."""

    commitment = models.OneToOneField(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="provenance"
    )
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.CharField(max_length=200)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    row = models.PositiveIntegerField()
    organisation_decision = models.CharField(max_length=200, blank=True)
    organisation_as_written = models.TextField(blank=True)
    other_places = models.TextField(
        blank=True, help_text=_("Places the source gives that are not countries, as written.")
    )

    def __str__(self) -> str:
        return f"{self.source} {self.external_id}"


class Milestone(models.Model):
    """A dated deliverable of a commitment (the registry's deliverables)."""

    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="milestones"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    text = models.TextField(_("deliverable"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["commitment", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class NamedPartner(models.Model):
    """A partner named in free text: a name, not a confirmed co-maker; optionally the
    organisation on the platform it was matched to."""

    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="named_partners"
    )
    name = models.TextField(_("name"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["commitment", "position"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A resource as the registry states it ("Financing (in USD)", "In-kind contribution"…):
    ``amount`` when the text is a plain number in US dollars, the text as written always."""

    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="registry_resources"
    )
    kind = models.CharField(max_length=100, blank=True)
    details = models.TextField(blank=True)
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["commitment", "position"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.details[:60]}"


class ReportHistory(models.Model):
    """Past progress reporting as the source registry knew it: it only says whether reports
    were submitted."""

    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="report_history"
    )
    source = models.CharField(max_length=200)
    reports_submitted = models.BooleanField()
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["commitment", "-as_of"]

    def __str__(self) -> str:
        return f"{self.source}: {self.reports_submitted}"


class GoalSuggestion(models.Model):
    """An SDG (and its best target, when the text supports one) suggested from an imported
    commitment's text by ``commitments.suggest``, after the import: a suggestion beside the
    goals the registry declared, not a goal of the commitment until someone accepts it."""

    commitment = models.ForeignKey(
        "commitments.Commitment", on_delete=models.CASCADE, related_name="goal_suggestions"
    )
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey("reference.Goal", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        "reference.Target", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["commitment", "rank"]

    def __str__(self) -> str:
        return f"SDG {self.goal_id} for {self.commitment_id}"
