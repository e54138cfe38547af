"""Every state change of a case study: an organisation saves a draft and submits it (edits it
again once returned); the programme's secretariat publishes it or returns it with a reason the
author reads.  Status changes go through ``core.transitions`` (copy of
``commitments.domain.confirm_commitment``); publishing puts the text in the similarity
backlog, for the hub's search by meaning."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledgebook.core import audit, notify, site
from pledgebook.core.permissions import require
from pledgebook.core.transitions import transition
from pledgebook.portal.hub.indexing import reindex
from pledgebook.portal.hub.validation import REQUIRED_TO_SUBMIT, check_case_study
from pledgebook.portal.models import CaseStudy, CaseStudyCategory

Status = CaseStudy.Status

#: The texts of the template, saved as given (stripped).
TEXT_FIELDS = (
    "title",
    "summary",
    "problem",
    "approach",
    "other_partners",
    "results",
    "enabling_factors",
    "constraints",
    "replicability",
    "lessons",
)
#: The links, saved with ``.set()``.
LINK_FIELDS = (
    "partners",
    "commitments",
    "indicator_values",
    "goals",
    "targets",
    "countries",
    "regions",
)


def save_case_study(
    *,
    actor: Any,
    organisation: Any,
    programme: Any,
    case_study: CaseStudy | None = None,
    categories: Iterable[str] | None = None,
    **fields: Any,
) -> CaseStudy:
    """Create a draft for ``organisation`` (``case_study`` None) or save changes to a draft or
    returned one: the fields given (texts, links; ``categories`` when not None) replace what
    was there.  Refused, nothing stored, when a link is not the organisation's own."""
    unknown = set(fields) - set(TEXT_FIELDS) - set(LINK_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if case_study is None:
        require(actor, "portal.write_case_study", organisation)
    else:
        require(actor, "portal.change_case_study", case_study)
        organisation = case_study.organisation
    errors = check_case_study(
        organisation=organisation,
        programme=programme,
        title=fields.get("title", ""),
        commitments=fields.get("commitments", ()),
        indicator_values=fields.get("indicator_values", ()),
        goals=fields.get("goals", ()),
        targets=fields.get("targets", ()),
        partners=fields.get("partners", ()),
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if case_study is None:
            row = CaseStudy(organisation=organisation, programme=programme, created_by=actor)
            action = "case_study.created"
        else:
            row = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
            require(actor, "portal.change_case_study", row)  # still editable on the fresh row
            row.programme = programme
            action = "case_study.saved"
        for name in TEXT_FIELDS:
            if name in fields:
                setattr(row, name, (fields[name] or "").strip())
        row.save()
        for name in LINK_FIELDS:
            if name in fields:
                getattr(row, name).set(list(fields[name]))
        if categories is not None:
            wanted = sorted(set(categories))
            row.categories.exclude(category__in=wanted).delete()
            have = set(row.categories.values_list("category", flat=True))
            CaseStudyCategory.objects.bulk_create(
                [CaseStudyCategory(case_study=row, category=c) for c in wanted if c not in have]
            )
        audit.record(actor=actor, action=action, obj=row, programme=programme)
    return row


def _complete(row: CaseStudy) -> dict[str, list[str]]:
    return check_case_study(
        organisation=row.organisation,
        programme=row.programme,
        title=row.title,
        commitments=row.commitments.all(),
        indicator_values=row.indicator_values.all(),
        goals=row.goals.all(),
        targets=row.targets.all(),
        partners=row.partners.all(),
        submitting=True,
        texts={name: getattr(row, name) for name in REQUIRED_TO_SUBMIT},
        countries=row.countries.all(),
        regions=row.regions.all(),
        categories=row.category_codes,
    )


def submit_case_study(*, actor: Any, case_study: CaseStudy) -> CaseStudy:
    """Submit a draft (or a returned case study) to the programme's secretariat; refused with
    the sections still missing, the draft kept."""

    def apply(row: CaseStudy, previous: str) -> list[str]:
        errors = _complete(row)
        if errors:
            raise ValidationError(errors)
        row.submitted_at = timezone.now()
        row.submitted_by = actor
        return ["submitted_at", "submitted_by"]

    # Asked of the author (not "editable"): a case study already submitted is refused as
    # such, by its state, rather than as forbidden.
    return transition(
        case_study,
        actor=actor,
        perm="portal.submit_case_study",
        allowed_from=CaseStudy.EDITABLE_STATUSES,
        to=Status.SUBMITTED,
        action=_("submitted"),
        refusal=_("This case study is %(state)s: it cannot be %(action)s."),
        audit_action="case_study.submitted",
        apply=apply,
    )


def _recipients(row: CaseStudy) -> list[str]:
    """The person who submitted it (when still active), else the organisation's people."""
    person = row.submitted_by
    if person is not None and person.is_active and person.email:
        return [person.email]
    return notify.emails_of(row.organisation)


def _notify(row: CaseStudy, previous: str) -> None:
    published = row.status == Status.PUBLISHED
    notify.notify(
        to=_recipients(row),
        template="portal_case_study_decided",
        context={
            "case_study": row,
            "published": published,
            "page_url": site.absolute_url(row.get_absolute_url()) if published else "",
            "edit_url": site.absolute_url(reverse("workspace:case_study_edit", args=[row.pk])),
        },
    )


def publish_case_study(*, actor: Any, case_study: CaseStudy) -> CaseStudy:
    """The secretariat publishes a submitted case study on the knowledge hub; its author is
    told; its text is indexed for the search by meaning."""

    def apply(row: CaseStudy, previous: str) -> list[str]:
        row.published_at = timezone.now()
        row.decided_by = actor
        row.return_reason = ""
        return ["published_at", "decided_by", "return_reason"]

    def then(row: CaseStudy, previous: str) -> None:
        reindex(row)
        _notify(row, previous)

    return transition(
        case_study,
        actor=actor,
        perm="portal.review_case_study",
        allowed_from=[Status.SUBMITTED],
        to=Status.PUBLISHED,
        action=_("published"),
        refusal=_("This case study is %(state)s: it cannot be %(action)s."),
        audit_action="case_study.published",
        apply=apply,
        then=then,
    )


def return_case_study(*, actor: Any, case_study: CaseStudy, reason: str) -> CaseStudy:
    """The secretariat returns a submitted (or published: it leaves the hub) case study for
    revision, with a reason its author reads."""
    reason = (reason or "").strip()

    def apply(row: CaseStudy, previous: str) -> list[str]:
        row.return_reason = reason
        row.decided_by = actor
        return ["return_reason", "decided_by"]

    return transition(
        case_study,
        actor=actor,
        perm="portal.review_case_study",
        allowed_from=[Status.SUBMITTED, Status.PUBLISHED],
        to=Status.RETURNED,
        action=_("returned"),
        refusal=_("This case study is %(state)s: it cannot be %(action)s."),
        audit_action="case_study.returned",
        reason=reason,
        reason_required=_("Give the reason the organisation will read."),
        apply=apply,
        then=_notify,
    )
