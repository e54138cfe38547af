"""Where each point of a Co-Chairs' Summary version came from, for its editors only (never
published): a point's ``sources`` resolved to the recommendation and its session summary and
session, the consultation theme, or the announced commitment and its session.

Every lookup is kept to the summary's event (a source id of another event resolves to
nothing), and a version is resolved in three queries whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pledgebook.forum.models import (
    AnnouncedCommitment,
    ConsultationTheme,
    Event,
    Recommendation,
    Session,
    SessionSummary,
)
from pledgebook.forum.validation import is_merged, local, recommendation_sources


@dataclass(frozen=True)
class Source:
    kind: str  # "recommendation", "consultation_theme", "announcement"
    pk: int
    text: str  # the recommendation or announcement as written, the theme's label
    session: Session | None = None
    session_summary: SessionSummary | None = None
    context: str = ""  # a consultation's title

    @property
    def starts_at(self) -> str:
        """When the session started, as the venue reads it (the event's time zone)."""
        return local(self.session.event, self.session.starts_at) if self.session else ""


@dataclass(frozen=True)
class PointProvenance:
    point: dict[str, Any]
    sources: tuple[Source, ...]
    missing: int  # sources that no longer resolve
    merged_from: int  # recommendations merged into the point (0 or 1: not a merge)

    @property
    def can_split(self) -> bool:
        return is_merged(self.point)

    @property
    def sessions(self) -> list[Session]:
        found: dict[int, Session] = {}
        for source in self.sources:
            if source.session is not None:
                found.setdefault(source.session.pk, source.session)
        return list(found.values())


@dataclass(frozen=True)
class SectionProvenance:
    section: dict[str, Any]
    points: tuple[PointProvenance, ...]


def _ids(content: dict[str, Any], kind: str) -> set[int]:
    found: set[int] = set()
    for section in content.get("sections") or []:
        for point in section.get("points") or []:
            for source in point.get("sources") or []:
                if isinstance(source, dict) and source.get("kind") == kind:
                    try:
                        found.add(int(source["id"]))
                    except (KeyError, TypeError, ValueError):
                        continue
    return found


def resolve(event: Event, content: dict[str, Any]) -> list[SectionProvenance]:
    """The version's sections and points, each point with its sources resolved."""
    recommendations = {
        r.pk: r
        for r in Recommendation.objects.filter(
            pk__in=_ids(content, "recommendation"), summary__session__event=event
        ).select_related("summary__session__event")
    }
    announcements = {
        a.pk: a
        for a in AnnouncedCommitment.objects.filter(
            pk__in=_ids(content, "announcement"), summary__session__event=event
        ).select_related("summary__session__event")
    }
    themes = {
        t.pk: t
        for t in ConsultationTheme.objects.filter(
            pk__in=_ids(content, "consultation_theme"), consultation__programme=event.programme
        ).select_related("consultation")
    }
    sections = []
    for section in content.get("sections") or []:
        points = []
        for point in section.get("points") or []:
            sources: list[Source] = []
            missing = 0
            for source in point.get("sources") or []:
                found = _source(source, recommendations, announcements, themes)
                if found is None:
                    missing += 1
                else:
                    sources.append(found)
            points.append(
                PointProvenance(
                    point=point,
                    sources=tuple(sources),
                    missing=missing,
                    merged_from=len(recommendation_sources(point)),
                )
            )
        sections.append(SectionProvenance(section=section, points=tuple(points)))
    return sections


def _source(
    source: Any,
    recommendations: dict[int, Recommendation],
    announcements: dict[int, AnnouncedCommitment],
    themes: dict[int, ConsultationTheme],
) -> Source | None:
    if not isinstance(source, dict):
        return None
    kind = source.get("kind")
    try:
        pk = int(source.get("id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if kind == "recommendation" and pk in recommendations:
        r = recommendations[pk]
        return Source(kind, pk, r.text, r.summary.session, r.summary)
    if kind == "announcement" and pk in announcements:
        a = announcements[pk]
        return Source(kind, pk, a.title, a.summary.session, a.summary)
    if kind == "consultation_theme" and pk in themes:
        t = themes[pk]
        return Source(kind, pk, t.label, context=t.consultation.title)
    return None
