"""The first draft of a Co-Chairs' Summary, assembled from an event's submitted session
summaries (issue 15, item 6).  Reads only (the one write: vectors of recommendations not yet
embedded are computed and stored, as the similarity engine's cache).

The draft is a ``SummaryVersion.content`` (see its docstring), with these keys added:

- top level: ``"compiled_from": {"summaries", "recommendations", "merged_points",
  "merge_threshold"}``;
- each section: ``"kind"``: ``"segment"`` | ``"consultation"`` | ``"commitments"``; a segment
  section also ``"segment"`` (the segment's label) and ``"theme"`` (the theme's or SDG's
  label, ``""`` for none); the commitments section ``"totals": [{"currency", "amount"}]``
  (amount a decimal string);
- each point: ``"kind"``: ``"key_message"`` | ``"recommendation"`` | ``"consultation_theme"``
  | ``"commitment"`` | ``"commitment_total"``, and ``"sessions"``: the ids of the sessions it
  came from (for editors); an announced commitment linked to the platform also
  ``"commitment"`` (its id).  Source kinds: ``"recommendation"``, ``"session_summary"`` (a key
  message: the summary's id), ``"consultation_theme"``, ``"announcement"``.

Order: segments by the kind of their sessions (plenary, SDG action segment, breakout, side
event, fireside chat, pitch, other; a segment of mixed kinds takes its first kind in that
order), then by their first session's start; within a segment, one section per theme (a
session's first theme, else its first SDG, else none) in the order of their first session.
A section holds the key messages of its sessions (one point a line), then its recommendations;
a section left without points (its recommendations merged into earlier points) is dropped.

Recommendations that say the same thing, anywhere in the event, are one point (``merged``):
complete-linkage clustering of their embeddings (:func:`cluster`) at the cosine
:func:`merge_threshold`; the point's text is the recommendation closest to the cluster's
centre (no word invented), its sources every recommendation merged, and it sits where the first
of them was made.  Every text goes through :mod:`pledgebook.forum.deattribution`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.utils.text import slugify
from django.utils.translation import gettext

from pledgebook.forum import similar
from pledgebook.forum.deattribution import for_event
from pledgebook.forum.models import (
    AnnouncedCommitment,
    ConsultationTheme,
    Event,
    Recommendation,
    Session,
    SessionSummary,
)

#: The one place of the merge threshold: written by bench/calibrate_recommendations.py from
#: the labelled pairs of tests/forum/data/recommendation_pairs.csv (how, and the precision and
#: recall it gives, are in the file).
THRESHOLD_FILE = Path(__file__).with_name("merge_threshold.json")

KIND_ORDER: list[str] = [
    Session.Kind.PLENARY,
    Session.Kind.SDG_SEGMENT,
    Session.Kind.BREAKOUT,
    Session.Kind.SIDE_EVENT,
    Session.Kind.FIRESIDE,
    Session.Kind.PITCH,
    Session.Kind.OTHER,
]
_BULLET = "-*•–·▪◦"


@cache
def merge_threshold() -> float:
    return float(json.loads(THRESHOLD_FILE.read_text())["threshold"])


# Clustering ------------------------------------------------------------------------------


def _components(adjacent: np.ndarray) -> list[list[int]]:
    """Connected components (union-find) of a boolean adjacency matrix."""
    n = adjacent.shape[0]
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    rows, cols = np.nonzero(np.triu(adjacent, 1))
    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _complete_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Agglomerative clustering, complete linkage: two clusters join while the LEAST similar
    pair across them is at least ``threshold``; so every two members of a cluster are.

    Each row keeps its most similar other cluster (``best``, ``partner``); after a merge only
    the rows that pointed at one of the two merged clusters are looked at again (a merge only
    lowers similarities to the merged cluster, so every other row's best is unchanged): about
    m² work in all instead of m² a merge."""
    m = sim.shape[0]
    s = sim.astype(np.float64, copy=True)
    np.fill_diagonal(s, -np.inf)
    partner = np.argmax(s, axis=1)
    best = s[np.arange(m), partner]
    members: list[list[int] | None] = [[i] for i in range(m)]
    while True:
        i = int(np.argmax(best))
        if best[i] < threshold:
            break
        j = int(partner[i])
        i, j = min(i, j), max(i, j)
        row = np.minimum(s[i], s[j])
        s[i, :] = row
        s[:, i] = row
        s[i, i] = -np.inf
        s[j, :] = -np.inf
        s[:, j] = -np.inf
        best[j] = -np.inf
        kept = members[i]
        assert kept is not None
        kept += members[j] or []
        members[j] = None
        stale = np.nonzero((partner == i) | (partner == j))[0]
        stale = stale[stale != j]
        if i not in stale:
            stale = np.append(stale, i)
        partner[stale] = np.argmax(s[stale], axis=1)
        best[stale] = s[stale, partner[stale]]
    return [sorted(group) for group in members if group]


def cluster(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Groups of row indices of ``vectors`` (unit rows) that say the same thing: each group
    sorted, groups in the order of their first member; every row in exactly one group.

    Complete linkage rather than single linkage (a union-find at the threshold), whose chains
    would join A and C through B though A and C differ: here every pair inside a group is at
    least ``threshold`` alike, the very rule whose precision the labelled pairs measure.  The
    exact clustering runs inside each connected component of the graph "alike at the
    threshold" (a complete-linkage group never spans two), so 2,000 mostly different
    recommendations cost one matrix product and a few small clusterings."""
    n = len(vectors)
    if n == 0:
        return []
    sim = vectors @ vectors.T
    groups: list[list[int]] = []
    for component in _components(sim >= threshold):
        if len(component) == 1:
            groups.append(component)
            continue
        index = np.array(component)
        for group in _complete_linkage(sim[np.ix_(index, index)], threshold):
            groups.append(sorted(int(index[k]) for k in group))
    groups.sort(key=lambda group: group[0])
    return groups


def representative(vectors: np.ndarray, group: Sequence[int]) -> int:
    """The member closest to the group's centre (the first of equals)."""
    if len(group) == 1:
        return group[0]
    rows = vectors[list(group)]
    scores = rows @ rows.mean(axis=0)
    return group[int(np.argmax(scores))]


# Assembly --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationSource:
    id: int
    text: str
    session_id: int
    section: str  # the key of the section of its session


def recommendation_points(
    recommendations: Sequence[RecommendationSource],
    vectors: np.ndarray,
    threshold: float,
    deattribute: Callable[[str], str],
) -> dict[str, list[dict[str, Any]]]:
    """The recommendation points of each section (by key), merged across sections.
    ``recommendations`` in document order; ``vectors`` their unit embeddings."""
    out: dict[str, list[dict[str, Any]]] = {}
    for group in cluster(vectors, threshold):
        chosen = recommendations[representative(vectors, group)]
        members = [recommendations[k] for k in group]
        sessions: list[int] = []
        for member in members:
            if member.session_id not in sessions:
                sessions.append(member.session_id)
        out.setdefault(members[0].section, []).append(
            {
                "id": f"rec-{chosen.id}",
                "kind": "recommendation",
                "text": deattribute(chosen.text),
                "sources": [{"kind": "recommendation", "id": m.id} for m in members],
                "merged": len(members) > 1,
                "sessions": sessions,
            }
        )
    return out


def key_message_lines(text: str) -> list[str]:
    """A summary's key messages, one a line (list bullets and numbers dropped)."""
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        while line and line[0] in _BULLET:
            line = line[1:].strip()
        number = line.split(" ", 1)
        if len(number) == 2 and number[0].rstrip(".)").isdigit() and number[0][-1] in ".)":
            line = number[1].strip()
        if line:
            lines.append(line)
    return lines


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _theme_label(session: Session) -> str:
    themes = list(session.themes.all())
    if themes:
        return themes[0].name
    goals = list(session.goals.all())
    if goals:
        return str(goals[0])
    return ""


def format_amount(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def _segment_sections(
    sessions: list[Session], deattribute: Callable[[str], str]
) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Empty sections in order, and the section key of each session."""
    segments: dict[str, list[Session]] = {}
    for session in sessions:  # sessions in time order
        segments.setdefault(session.segment_label, []).append(session)
    ordered = sorted(
        segments.items(),
        key=lambda item: (
            min(_kind_rank(s.kind) for s in item[1]),
            item[1][0].starts_at,
            item[0],
        ),
    )
    sections: list[dict[str, Any]] = []
    section_of: dict[int, str] = {}
    keys: set[str] = set()
    for label, members in ordered:
        by_theme: dict[str, list[Session]] = {}
        for session in members:
            by_theme.setdefault(_theme_label(session), []).append(session)
        for theme, theme_sessions in by_theme.items():
            segment, theme_label = deattribute(label), deattribute(theme)
            base = slugify(f"{segment} {theme_label}", allow_unicode=True) or "segment"
            key, n = base, 2
            while key in keys:
                key, n = f"{base}-{n}", n + 1
            keys.add(key)
            sections.append(
                {
                    "key": key,
                    "kind": "segment",
                    "title": section_title(segment, theme_label),
                    "segment": segment,
                    "theme": theme_label,
                    "points": [],
                }
            )
            for session in theme_sessions:
                section_of[session.pk] = key
    return sections, section_of


def _submitted_rows(event: Event) -> dict[str, Any]:
    """Filter of the rows of a summary (recommendations, announcements) that is compiled."""
    return {
        "summary__session__event": event,
        "summary__session__status": Session.Status.SCHEDULED,
        "summary__status": SessionSummary.Status.SUBMITTED,
    }


def submitted_sessions(event: Event) -> list[Session]:
    return list(
        Session.objects.filter(
            event=event,
            status=Session.Status.SCHEDULED,
            summary__status=SessionSummary.Status.SUBMITTED,
        )
        .select_related("summary")
        .prefetch_related("themes", "goals")
        .order_by("starts_at", "title", "pk")
    )


def section_title(segment: str, theme: str) -> str:
    """ "Segment: theme", without saying twice what both say: the theme alone when it names
    the segment already ("SDG Action Segment: Goal 3" and the theme "SDG Action Segment: Good
    health (SDG 3)"), the segment alone without a theme."""
    if not theme:
        return segment
    lead = segment.split(":", 1)[0].strip().casefold()
    if theme.casefold().startswith(lead) or segment.casefold() == theme.casefold():
        return theme
    return f"{segment}: {theme}"


def build_draft(event: Event) -> dict[str, Any]:
    """The first draft of the event's Co-Chairs' Summary (see the module's docstring)."""
    deattribute = for_event(event)
    sessions = submitted_sessions(event)
    order = {session.pk: n for n, session in enumerate(sessions)}
    sections, section_of = _segment_sections(sessions, deattribute)
    by_key = {section["key"]: section for section in sections}

    for session in sessions:
        summary = session.summary
        for n, line in enumerate(key_message_lines(summary.key_messages), start=1):
            by_key[section_of[session.pk]]["points"].append(
                {
                    "id": f"km-{summary.pk}-{n}",
                    "kind": "key_message",
                    "text": deattribute(line),
                    "sources": [{"kind": "session_summary", "id": summary.pk}],
                    "merged": False,
                    "sessions": [session.pk],
                }
            )

    rows = list(
        Recommendation.objects.filter(**_submitted_rows(event)).values_list(
            "pk", "text", "summary__session_id", "position"
        )
    )
    rows.sort(key=lambda row: (order[row[2]], row[3], row[0]))
    recommendations = [
        RecommendationSource(pk, text, session_id, section_of[session_id])
        for pk, text, session_id, _ in rows
    ]
    threshold = merge_threshold()
    vectors = similar.vectors(
        similar.RECOMMENDATION_KIND, [(r.id, r.text) for r in recommendations]
    )
    points = recommendation_points(recommendations, vectors, threshold, deattribute)
    for key, section_points in points.items():
        by_key[key]["points"].extend(section_points)

    # A section whose recommendations were all merged into points made earlier is dropped.
    sections = [section for section in sections if section["points"]]
    consultation = _consultation_section(event, deattribute)
    if consultation["points"]:
        sections.append(consultation)
    commitments = _commitments_section(event, sessions, deattribute)
    if commitments["points"]:
        sections.append(commitments)

    merged = sum(1 for group_points in points.values() for p in group_points if p["merged"])
    return {
        "introduction": deattribute(
            gettext(
                "This summary presents collectively, and without attribution to any "
                "individual member, the key messages and recommendations of %(count)s "
                "sessions of %(event)s, the inputs of its consultations and the commitments "
                "and partnerships announced."
            )
            % {"count": len(sessions), "event": event.name}
        ),
        "sections": sections,
        "compiled_from": {
            "summaries": len(sessions),
            "recommendations": len(recommendations),
            "merged_points": merged,
            "merge_threshold": threshold,
        },
    }


def _consultation_section(event: Event, deattribute: Callable[[str], str]) -> dict[str, Any]:
    points = []
    themes = ConsultationTheme.objects.filter(consultation__event=event).order_by(
        "consultation__opens_at", "consultation__pk", "position", "pk"
    )
    for theme in themes:
        text = gettext("%(label)s (%(count)s responses)") % {
            "label": theme.label,
            "count": theme.count,
        }
        quote = next((q for q in theme.quotes if isinstance(q, str) and q.strip()), "")
        if quote:
            text += ": “" + quote.strip() + "”"
        points.append(
            {
                "id": f"theme-{theme.pk}",
                "kind": "consultation_theme",
                "text": deattribute(text),
                "sources": [{"kind": "consultation_theme", "id": theme.pk}],
                "merged": False,
                "sessions": [],
                "count": theme.count,
            }
        )
    return {
        "key": "consultation",
        "kind": "consultation",
        "title": gettext("Inputs from the consultation"),
        "points": points,
    }


def _commitments_section(
    event: Event, sessions: list[Session], deattribute: Callable[[str], str]
) -> dict[str, Any]:
    order = {session.pk: n for n, session in enumerate(sessions)}
    announcements = sorted(
        AnnouncedCommitment.objects.filter(**_submitted_rows(event)).select_related("summary"),
        key=lambda a: (order[a.summary.session_id], a.position, a.pk),
    )
    points: list[dict[str, Any]] = []
    totals: dict[str, Decimal] = {}
    for announcement in announcements:
        text = deattribute(announcement.title)
        if announcement.amount is not None:
            currency = announcement.currency.upper()
            amount = format_amount(announcement.amount)
            text += f" ({currency} {amount})" if currency else f" ({amount})"
            totals[currency] = totals.get(currency, Decimal(0)) + announcement.amount
        point: dict[str, Any] = {
            "id": f"ann-{announcement.pk}",
            "kind": "commitment",
            "text": text,
            "sources": [{"kind": "announcement", "id": announcement.pk}],
            "merged": False,
            "sessions": [announcement.summary.session_id],
        }
        if announcement.commitment_id:
            point["commitment"] = announcement.commitment_id
        points.append(point)
    if totals:
        ordered = sorted(totals.items(), key=lambda item: (item[0] == "", item[0]))
        figures = "; ".join(
            f"{currency} {format_amount(amount)}" if currency else format_amount(amount)
            for currency, amount in ordered
        )
        points.append(
            {
                "id": "commitment-totals",
                "kind": "commitment_total",
                "text": gettext("Total announced: %(figures)s") % {"figures": figures},
                "sources": [],
                "merged": False,
                "sessions": [],
            }
        )
    return {
        "key": "commitments",
        "kind": "commitments",
        "title": gettext("Commitments and partnerships announced"),
        "points": points,
        "totals": [{"currency": c, "amount": str(a)} for c, a in sorted(totals.items())],
    }
