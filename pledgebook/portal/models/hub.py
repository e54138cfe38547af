"""The knowledge hub: case studies of replicable models (seed 002: "knowledge-sharing platforms
to disseminate best practices, replicable models, and lessons learned").

A case study follows the template of UN DESA's SDG Good Practices: problem (context and
objectives), approach (methodology, key activities), partners, results, enabling factors,
constraints and challenges, replicability (sustainability, how to replicate or scale), lessons
learned, SDGs, where, who.  Its results are linked to commitments of the submitting
organisation (lead or confirmed co-maker) and to indicator values of their submitted progress
reports: real numbers, not claims.

Written by an organisation (draft, submitted), reviewed by the programme's secretariat
(published, or returned with a reason the organisation reads); state changes in
``portal.hub.domain``; permissions in ``portal.hub.rules``; content rules in
``portal.hub.validation``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pledgebook.organisations.models import Category


class CaseStudyQuerySet(models.QuerySet["CaseStudy"]):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def published(self):
        """What the public reads: published, in a published programme."""
        return self.filter(status=CaseStudy.Status.PUBLISHED, programme__is_published=True)


class CaseStudy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for revision")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="case_studies",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="case_studies",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("problem: context and objectives"), blank=True)
    approach = models.TextField(_("approach: methodology and key activities"), blank=True)
    partners = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="case_studies_as_partner",
        verbose_name=_("partner organisations on the platform"),
    )
    other_partners = models.TextField(_("other partners"), blank=True)
    results = models.TextField(_("results, outcomes and impact"), blank=True)
    commitments = models.ManyToManyField(
        "commitments.Commitment",
        blank=True,
        related_name="case_studies",
        verbose_name=_("commitments"),
    )
    indicator_values = models.ManyToManyField(
        "reporting.IndicatorValue",
        blank=True,
        related_name="case_studies",
        verbose_name=_("reported indicator values"),
    )
    enabling_factors = models.TextField(_("enabling factors"), blank=True)
    constraints = models.TextField(_("constraints and challenges"), blank=True)
    replicability = models.TextField(_("sustainability and replicability"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    goals = models.ManyToManyField("reference.Goal", blank=True, verbose_name=_("SDGs"))
    targets = models.ManyToManyField("reference.Target", blank=True, verbose_name=_("SDG targets"))
    countries = models.ManyToManyField("reference.Country", blank=True, verbose_name=_("countries"))
    regions = models.ManyToManyField("reference.Region", blank=True, verbose_name=_("regions"))
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-submitted_at", "-id"]
        indexes = [models.Index(fields=["programme", "status"])]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:case_study", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def category_codes(self) -> list[str]:
        return [c.category for c in self.categories.all()]


class CaseStudyCategory(models.Model):
    """A stakeholder category involved in a case study (one row each: filterable with an
    index on both databases, which a JSON list is not on SQLite)."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=32, choices=Category.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "category"], name="case_study_category_once"
            )
        ]
        indexes = [models.Index(fields=["category", "case_study"])]

    def __str__(self) -> str:
        return self.get_category_display()
