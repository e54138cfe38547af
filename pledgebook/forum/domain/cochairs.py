"""The Co-Chairs' Summary after its first draft: editors save versions, split a merged point
again, restore an earlier version, publish one and unpublish.

The first draft is compiled by ``forum.domain.compile.compile_draft``; this module never
changes a version once written (every change is a new version numbered after the last), and
locks the summary's row while it numbers one, so that two editors saving at once do not both
save "version 4": the second is refused, nothing saved, with :data:`CHANGED_MEANWHILE`.

Permission of every function: ``forum.edit_cochairs`` on the summary's event (the
secretariat).  Audit actions: ``cochairs_summary.version_saved``, ``.point_split``,
``.restored``, ``.published``, ``.unpublished``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgebook.core import audit
from pledgebook.core.permissions import require
from pledgebook.forum.deattribution import for_event
from pledgebook.forum.models import CoChairsSummary, Event, Recommendation, SummaryVersion
from pledgebook.forum.validation import clean_summary_content, is_merged, recommendation_sources

PERM = "forum.edit_cochairs"

Deattribute = Callable[[str, Event], str]


def deattribute(text: str, event: Event) -> str:
    """``text`` without the names of the event's organisers, speakers, people and
    organisations (``forum.deattribution``, the rule the compiled draft follows)."""
    return for_event(event)(text)


#: The refusal when another editor saved a version after the one this change started from.
CHANGED_MEANWHILE = gettext_lazy(
    "Someone else saved version %(latest)s of this summary after the version %(based)s you "
    "started from. Nothing was saved: open the current version and make your change again."
)


def _number(based_on: SummaryVersion | int | None) -> int | None:
    if based_on is None or isinstance(based_on, int):
        return based_on
    return based_on.number


def _locked(summary: CoChairsSummary, actor: Any) -> CoChairsSummary:
    """The summary's row, locked until the transaction ends, the permission asked again."""
    row = CoChairsSummary.objects.select_for_update().get(pk=summary.pk)
    require(actor, PERM, row.event)
    return row


def _latest(summary: CoChairsSummary) -> SummaryVersion | None:
    return summary.versions.order_by("-number").first()


def _check_based_on(latest: SummaryVersion | None, based_on: SummaryVersion | int | None) -> None:
    number = _number(based_on)
    latest_number = latest.number if latest else None
    if number != latest_number:
        raise ValidationError(
            CHANGED_MEANWHILE
            % {"latest": latest_number or "—", "based": number if number is not None else "—"}
        )


def _write(
    *,
    actor: Any,
    summary: CoChairsSummary,
    latest: SummaryVersion | None,
    content: dict[str, Any],
    note: str,
    action: str,
    data: dict[str, Any] | None = None,
) -> SummaryVersion:
    version = SummaryVersion.objects.create(
        summary=summary,
        number=(latest.number if latest else 0) + 1,
        content=content,
        note=note[:300],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=action,
        obj=summary,
        programme=summary.event.programme,
        data={"version": version.number, **(data or {})},
    )
    return version


def save_version(
    *,
    actor: Any,
    summary: CoChairsSummary,
    content: dict[str, Any],
    note: str = "",
    based_on: SummaryVersion | int | None,
) -> SummaryVersion:
    """A new version holding ``content`` (checked by
    :func:`forum.validation.clean_summary_content`: empty points dropped), numbered after the
    last.  Refused, nothing saved, when ``based_on`` (a version or its number) is not the
    latest version, when the content breaks a rule, or when it changes nothing."""
    require(actor, PERM, summary.event)
    with transaction.atomic():
        row = _locked(summary, actor)
        latest = _latest(row)
        # A change made meanwhile first: the editor's next step is to start again from it.
        _check_based_on(latest, based_on)
        cleaned, errors = clean_summary_content(content)
        if errors:
            raise ValidationError(errors)
        if latest is not None and latest.content == cleaned:
            raise ValidationError(
                _("Nothing changed since version %(number)s: nothing was saved.")
                % {"number": latest.number}
            )
        return _write(
            actor=actor,
            summary=row,
            latest=latest,
            content=cleaned,
            note=note.strip(),
            action="cochairs_summary.version_saved",
        )


def _find_point(content: dict[str, Any], point_id: str) -> tuple[int, int]:
    for i, section in enumerate(content.get("sections") or []):
        for j, point in enumerate(section.get("points") or []):
            if str(point.get("id")) == str(point_id):
                return i, j
    raise ValidationError(_("This point is not in the current version of the summary."))


def split_point(
    *,
    actor: Any,
    summary: CoChairsSummary,
    point_id: str,
    based_on: SummaryVersion | int | None,
    deattribute: Deattribute = deattribute,
) -> SummaryVersion:
    """Undo a merge: the merged point ``point_id`` of the latest version becomes one point per
    recommendation it came from, in its place and in the order of its sources, each with the
    recommendation's own text (de-attributed by ``deattribute``).  The other sources of the
    point (an announcement, a consultation theme) stay with the first of them.  A new version;
    refused, nothing saved, when ``based_on`` is not the latest or the point is not a merge."""
    require(actor, PERM, summary.event)
    with transaction.atomic():
        row = _locked(summary, actor)
        latest = _latest(row)
        _check_based_on(latest, based_on)
        assert latest is not None  # _check_based_on refuses a missing version
        content = latest.content
        i, j = _find_point(content, point_id)
        point = content["sections"][i]["points"][j]
        if not is_merged(point):
            raise ValidationError(
                _("This point was not merged from several recommendations: nothing to split.")
            )
        wanted = recommendation_sources(point)
        found = {
            r.pk: r
            for r in Recommendation.objects.filter(
                pk__in=wanted, summary__session__event=row.event
            ).select_related("summary")
        }
        recommendations = [found[pk] for pk in wanted if pk in found]
        if not recommendations:
            raise ValidationError(
                _("The recommendations this point was merged from no longer exist.")
            )
        others = [
            s
            for s in point.get("sources") or []
            if not (isinstance(s, dict) and s.get("kind") == "recommendation")
        ]
        taken = {
            str(p.get("id")) for section in content["sections"] for p in section.get("points", [])
        }
        kept = {k: v for k, v in point.items() if k not in ("id", "text", "sources", "merged")}
        new_points = []
        for n, recommendation in enumerate(recommendations, start=1):
            new_id = f"{point['id']}.{n}"
            while new_id in taken:
                new_id += "a"
            taken.add(new_id)
            new_point = {
                **kept,
                "id": new_id,
                "text": deattribute(recommendation.text, row.event).strip()
                or recommendation.text.strip(),
                "sources": [{"kind": "recommendation", "id": recommendation.pk}]
                + (others if n == 1 else []),
                "merged": False,
            }
            if "sessions" in kept:
                new_point["sessions"] = [recommendation.summary.session_id]
            new_points.append(new_point)
        sections = [dict(section) for section in content["sections"]]
        points = list(sections[i]["points"])
        points[j : j + 1] = new_points
        sections[i] = {**sections[i], "points": points}
        return _write(
            actor=actor,
            summary=row,
            latest=latest,
            content={**content, "sections": sections},
            note=_("Merged point split into %(n)s points.") % {"n": len(new_points)},
            action="cochairs_summary.point_split",
            data={"point": str(point_id), "into": [p["id"] for p in new_points]},
        )


def restore_version(
    *,
    actor: Any,
    summary: CoChairsSummary,
    version: SummaryVersion,
    based_on: SummaryVersion | int | None,
    note: str = "",
) -> SummaryVersion:
    """An earlier version's content as a new version (the versions between stay as they
    were).  Refused when ``version`` is not this summary's, is already the latest, or
    ``based_on`` is not the latest."""
    require(actor, PERM, summary.event)
    if version.summary_id != summary.pk:
        raise ValidationError(_("This version is not one of this summary's."))
    with transaction.atomic():
        row = _locked(summary, actor)
        latest = _latest(row)
        _check_based_on(latest, based_on)
        assert latest is not None
        if version.number == latest.number:
            raise ValidationError(
                _("Version %(number)s is already the current version.") % {"number": latest.number}
            )
        restored = SummaryVersion.objects.get(pk=version.pk)
        return _write(
            actor=actor,
            summary=row,
            latest=latest,
            content=restored.content,
            note=note.strip() or _("Version %(number)s restored.") % {"number": restored.number},
            action="cochairs_summary.restored",
            data={"restored": restored.number},
        )


def publish(*, actor: Any, summary: CoChairsSummary, version: SummaryVersion) -> CoChairsSummary:
    """Publish ``version`` (any version of this summary: the public reads it from now on;
    versions saved later are drafts until one is published)."""
    require(actor, PERM, summary.event)
    if version.summary_id != summary.pk:
        raise ValidationError(_("This version is not one of this summary's."))
    if not any(section.get("points") for section in version.content.get("sections") or []):
        raise ValidationError(_("This version has no points: there is nothing to publish."))
    with transaction.atomic():
        row = _locked(summary, actor)
        previous = row.published_version.number if row.published_version else None
        if row.status == CoChairsSummary.Status.PUBLISHED and previous == version.number:
            raise ValidationError(
                _("Version %(number)s is already the published version.")
                % {"number": version.number}
            )
        row.status = CoChairsSummary.Status.PUBLISHED
        row.published_version = version
        row.published_at = timezone.now()
        row.save(update_fields=["status", "published_version", "published_at"])
        audit.record(
            actor=actor,
            action="cochairs_summary.published",
            obj=row,
            programme=row.event.programme,
            data={"version": version.number, "replaces": previous},
        )
    summary.status = row.status
    summary.published_version = row.published_version
    summary.published_at = row.published_at
    return row


def unpublish(*, actor: Any, summary: CoChairsSummary) -> CoChairsSummary:
    """Take the summary off the public pages, the PDF, the Word document and the API; its
    versions stay."""
    require(actor, PERM, summary.event)
    with transaction.atomic():
        row = _locked(summary, actor)
        if row.status != CoChairsSummary.Status.PUBLISHED:
            raise ValidationError(_("The summary is not published: nothing to unpublish."))
        previous = row.published_version.number if row.published_version else None
        row.status = CoChairsSummary.Status.DRAFT
        row.published_version = None
        row.published_at = None
        row.save(update_fields=["status", "published_version", "published_at"])
        audit.record(
            actor=actor,
            action="cochairs_summary.unpublished",
            obj=row,
            programme=row.event.programme,
            data={"version": previous},
        )
    summary.status = row.status
    summary.published_version = None
    summary.published_at = None
    return row
