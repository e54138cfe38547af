"""Coalitions (seed 000, "ImPACT coalitions"): expressions of interest, the coalitions they
become or merge into, their principles, asks, members and work plan, and the record of every
merge (so that it can be undone exactly).

Models are thin: every state change lives in ``coalitions/domain.py`` and ``coalitions/merge.py``.

**Owner of an item.**  A principle, an ask, a membership and a milestone belong either to an
expression of interest or to a coalition.  Each item has two nullable foreign keys, ``eoi`` and
``coalition``, and a check constraint that exactly one is set.  Both keys use the same
``related_name``, so ``container.principles`` reads the same on either owner.  Chosen over a
generic foreign key (no referential integrity, no cascade, no join) and over a separate
"container" table (one more row and join for every owner, for no rule that needs it).

**Provenance.**  ``source_eoi`` is the expression of interest an item was first written in (an
EOI's own items point to the EOI itself; an item written directly in a coalition has none).
When a merge drops a duplicate, the item kept records the dropped item's EOIs in ``also_from``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.core.uploads import StoredName
from pledgebook.organisations.models import Category


class CoalitionSettings(models.Model):
    """A programme's coalition settings (kept here, so ``programmes`` needs no change)."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="coalition_settings"
    )
    eoi_deadline = models.DateTimeField(
        _("deadline for expressions of interest"),
        null=True,
        blank=True,
        help_text=_(
            "Expressions of interest submitted after it are accepted, and marked for "
            "co-creation at or after the conference."
        ),
    )
    shares_network = models.BooleanField(
        _("share coalitions with the network"),
        default=True,
        help_text=_(
            "Coalitions of all programmes that share the network are searchable together and "
            "can be merged across programmes."
        ),
    )

    class Meta:
        verbose_name_plural = "coalition settings"

    def __str__(self) -> str:
        return f"Coalition settings of {self.programme}"

    @classmethod
    def for_programme(cls, programme: models.Model) -> CoalitionSettings:
        """The programme's settings, or the defaults (unsaved) when none were set."""
        found = cls.objects.filter(programme=programme).first()
        return found or cls(programme=programme)  # type: ignore[misc]

    def is_late(self, at: dt.datetime) -> bool:
        return self.eoi_deadline is not None and at > self.eoi_deadline

    @classmethod
    def share_network(cls, programmes: Iterable[models.Model]) -> bool:
        """Whether coalitions of all ``programmes`` may be merged: one programme, or programmes
        that all share the network (the default when a programme has no settings)."""
        ids = {p.pk for p in programmes}
        if len(ids) <= 1:
            return True
        return not cls.objects.filter(programme_id__in=ids, shares_network=False).exists()


class CoalitionQuerySet(models.QuerySet["Coalition"]):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def live(self):
        return self.exclude(state__in=Coalition.ENDED_STATES)

    def in_network(self):
        """Coalitions of every programme that shares the network (the default)."""
        return self.exclude(programme__coalition_settings__shares_network=False)

    def public(self):
        return self.filter(state__in=Coalition.PUBLIC_STATES, programme__is_published=True)


class Coalition(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
        ACCEPTED = "accepted", _("Accepted")
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged")
        CLOSED = "closed", _("Closed")

    ENDED_STATES = (State.MERGED, State.CLOSED)
    PUBLIC_STATES = (State.ACCEPTED, State.ACTIVE, State.CLOSED)

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="coalitions",
        help_text=_("The programme the coalition was proposed in."),
    )
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(max_length=90, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    is_pre_existing = models.BooleanField(_("pre-existing coalition"), default=False)
    state = models.CharField(
        max_length=24, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    themes = models.ManyToManyField(
        "programmes.Theme", blank=True, verbose_name=_("themes"), related_name="coalitions"
    )
    goals = models.ManyToManyField("reference.Goal", blank=True, verbose_name=_("SDGs"))
    website = models.URLField(_("website"), max_length=500, blank=True)
    reported_members = models.PositiveIntegerField(
        _("members reported"),
        null=True,
        blank=True,
        help_text=_("Number of members the source of an imported coalition reported."),
    )
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coalitions",
        help_text=_("The import that created the coalition."),
    )
    import_row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoalitionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["programme", "state"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:coalition", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return self.state not in self.ENDED_STATES


class EOIQuerySet(models.QuerySet["ExpressionOfInterest"]):
    def for_programme(self, programme):
        return self.filter(programme=programme)


class ExpressionOfInterest(models.Model):
    """A proposed coalition: principles, specific asks, membership and a work plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED)
    MERGEABLE_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW)
    ENDED_STATUSES = (Status.MERGED, Status.DECLINED, Status.WITHDRAWN)

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="expressions_of_interest",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="expressions_of_interest",
        verbose_name=_("proposer"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    is_pre_existing = models.BooleanField(_("an existing coalition"), default=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(
        _("late"),
        default=False,
        help_text=_(
            "Submitted after the programme's deadline: for co-creation at or after the conference."
        ),
    )
    coalition = models.ForeignKey(
        Coalition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expressions_of_interest",
        help_text=_("The coalition it became or was merged into."),
    )
    themes = models.ManyToManyField(
        "programmes.Theme", blank=True, verbose_name=_("themes"), related_name="+"
    )
    goals = models.ManyToManyField(
        "reference.Goal", blank=True, verbose_name=_("SDGs"), related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EOIQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_live(self) -> bool:
        return self.status not in self.ENDED_STATUSES

    @property
    def is_open(self) -> bool:
        """Not yet decided: once accepted or merged, its coalition carries its members."""
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED, self.Status.IN_REVIEW)


def _one_owner(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(eoi__isnull=False, coalition__isnull=True)
        | Q(eoi__isnull=True, coalition__isnull=False),
        name=name,
    )


class OwnedItem(models.Model):
    """Something owned by an expression of interest or a coalition, with its provenance."""

    eoi = models.ForeignKey(
        ExpressionOfInterest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss"
    )
    position = models.PositiveIntegerField(default=0)
    source_eoi = models.ForeignKey(
        ExpressionOfInterest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The expression of interest this was first written in."),
    )
    also_from = models.ManyToManyField(
        ExpressionOfInterest,
        blank=True,
        related_name="+",
        help_text=_("Other expressions of interest that said the same, merged into this one."),
    )

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    @property
    def owner(self) -> ExpressionOfInterest | Coalition:
        return self.eoi if self.eoi_id else self.coalition  # type: ignore[return-value]


class Principle(OwnedItem):
    text = models.TextField(_("principle"))

    class Meta(OwnedItem.Meta):
        constraints = [_one_owner("principle_has_one_owner")]

    def __str__(self) -> str:
        return self.text


class Ask(OwnedItem):
    text = models.TextField(_("specific ask"))

    class Meta(OwnedItem.Meta):
        constraints = [_one_owner("ask_has_one_owner")]

    def __str__(self) -> str:
        return self.text


class Milestone(OwnedItem):
    """One step of the work plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)

    class Meta(OwnedItem.Meta):
        ordering = ["due_on", "position", "id"]
        constraints = [_one_owner("milestone_has_one_owner")]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.title}"


class Membership(OwnedItem):
    """An organisation in an expression of interest or a coalition.  An organisation not yet on
    the platform is invited by e-mail, with its name, category and country; it claims the
    invitation once it has signed up."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Requested to join")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coalition_memberships",
    )
    invited_email = models.EmailField(_("e-mail of the invited organisation"), blank=True)
    invited_name = models.CharField(
        _("name of the invited organisation"), max_length=200, blank=True
    )
    invited_category = models.CharField(
        _("stakeholder category"), max_length=32, choices=Category.choices, blank=True
    )
    invited_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta(OwnedItem.Meta):
        constraints = [
            _one_owner("membership_has_one_owner"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(invited_email=""),
                name="membership_names_someone",
            ),
            models.UniqueConstraint(
                fields=["eoi", "organisation"],
                condition=Q(eoi__isnull=False, organisation__isnull=False),
                name="organisation_once_per_eoi",
            ),
            models.UniqueConstraint(
                fields=["coalition", "organisation"],
                condition=Q(coalition__isnull=False, organisation__isnull=False),
                name="organisation_once_per_coalition",
            ),
            models.UniqueConstraint(
                fields=["eoi", "invited_email"],
                condition=Q(eoi__isnull=False) & ~Q(invited_email=""),
                name="invited_email_once_per_eoi",
            ),
            models.UniqueConstraint(
                fields=["coalition", "invited_email"],
                condition=Q(coalition__isnull=False) & ~Q(invited_email=""),
                name="invited_email_once_per_coalition",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        return self.invited_name or self.invited_email


class MergeRecord(models.Model):
    """One merge, with a canonical snapshot of every source and of the target before and after
    it: undo writes the *before* snapshot back, and is allowed only while the objects still
    equal the *after* snapshot (nothing changed since)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="coalition_merges"
    )
    target = models.ForeignKey(
        Coalition, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    target_was_created = models.BooleanField(default=False)
    source_eois = models.ManyToManyField(ExpressionOfInterest, blank=True, related_name="merges")
    source_coalitions = models.ManyToManyField(Coalition, blank=True, related_name="+")
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-performed_at", "-id"]

    def __str__(self) -> str:
        return f"Merge {self.pk} into {self.target or '-'}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class MergeInvitation(models.Model):
    """Co-creation: a proposer invites another expression of interest or a coalition to merge
    with its own; the other side's proposer (or lead) accepts, which performs the merge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    from_eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="merge_invitations_sent"
    )
    to_eoi = models.ForeignKey(
        ExpressionOfInterest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merge_invitations_received",
    )
    to_coalition = models.ForeignKey(
        Coalition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merge_invitations_received",
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    merge_record = models.ForeignKey(
        MergeRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_eoi__isnull=False, to_coalition__isnull=True)
                | Q(to_eoi__isnull=True, to_coalition__isnull=False),
                name="merge_invitation_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["from_eoi", "to_eoi"],
                condition=Q(status="pending", to_eoi__isnull=False),
                name="one_pending_invitation_per_eoi_pair",
            ),
            models.UniqueConstraint(
                fields=["from_eoi", "to_coalition"],
                condition=Q(status="pending", to_coalition__isnull=False),
                name="one_pending_invitation_per_eoi_coalition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_eoi} → {self.to}"

    @property
    def to(self) -> ExpressionOfInterest | Coalition:
        return self.to_eoi if self.to_eoi_id else self.to_coalition  # type: ignore[return-value]


class ImportBatch(models.Model):
    """An uploaded file of existing coalitions: kept with its parsed rows (each with its
    values, errors and warnings) and its notes (columns not imported, how the types of
    organisation were mapped) so that the preview can be confirmed without a new upload.  A
    file with any error is refused at upload and not kept.  Imported all or nothing by
    ``coalitions.importing.run_import``, at once for a small file, by a task with progress
    (``status``, ``progress``, ``step``) for a large one."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    class Format(models.TextChoices):
        TEMPLATE = "template", _("Pledgebook template")
        UN_CLIMATE = "un_climate", _("UN Climate Initiatives Platform")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="coalition_imports"
    )
    file = models.FileField(upload_to=StoredName("coalition-imports"), blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    source_format = models.CharField(max_length=16, choices=Format.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    file_errors = models.JSONField(
        default=list, blank=True, help_text=_("Errors of the whole file (header, format).")
    )
    rows = models.JSONField(default=list, blank=True)
    notes = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "What the preview says of the whole file: the columns not imported, and how each "
            "type of organisation in it maps onto the stakeholder categories."
        ),
    )
    warnings_accepted = models.BooleanField(default=False)
    queued_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or f"Import {self.pk}"

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.get("errors", [])) for r in self.rows)

    @property
    def rows_with_warnings(self) -> int:
        return sum(1 for r in self.rows if r.get("warnings"))

    @property
    def is_clean(self) -> bool:
        return self.error_count == 0 and bool(self.rows)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
