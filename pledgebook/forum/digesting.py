"""The follow-up digest of an event, composed from its published Co-Chairs' Summary and the
commitments announced at its sessions: plain text, short.  Read only.

- **Key outcomes**: the first point of each section of the published version (a section made
  only of announced commitments is left to the part on commitments below).
- **Actionable recommendations**: the other points that came from session recommendations,
  at most :data:`MAX_RECOMMENDATIONS`, then how many more the summary holds.
- **Commitments announced**: how many, how many registered on the platform, the money
  announced by currency (:func:`pledgebook.forum.impact.announced`), and links to the public
  commitments.
- **Links**: the published summary, the event.

The published text is already without attribution (the Co-Chairs' Summary's rule); the
points' ``sources`` are read here only to tell recommendations apart, never written out.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledgebook.core import site
from pledgebook.forum.impact import announced, moneys
from pledgebook.forum.models import CoChairsSummary, Event

MAX_RECOMMENDATIONS = 8
MAX_COMMITMENT_LINKS = 5


class NotPublished(LookupError):
    """The event has no published Co-Chairs' Summary: there is nothing to digest."""


def summary_url(event: Event) -> str | None:
    """The public page of the event's Co-Chairs' Summary, or None while that page does not
    exist in this build."""
    try:
        path = reverse(
            "public:cochairs_summary",
            kwargs={"programme": event.programme.slug, "event": event.slug},
        )
    except NoReverseMatch:
        return None
    return site.absolute_url(path)


def event_url(event: Event) -> str:
    """The event's public page; the programme's page while the event page does not exist."""
    try:
        path = event.get_absolute_url()
    except NoReverseMatch:
        path = reverse("public:programme", kwargs={"programme": event.programme.slug})
    return site.absolute_url(path)


def _kinds(point: dict[str, Any]) -> set[str]:
    return {str(s.get("kind", "")) for s in point.get("sources") or []}


def _text(point: dict[str, Any]) -> str:
    return " ".join(str(point.get("text", "")).split())


def outcomes(content: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str], int]:
    """(key outcomes as (section title, first point), recommendations shown, how many more)."""
    key: list[tuple[str, str]] = []
    recommendations: list[str] = []
    for section in content.get("sections") or []:
        points = [p for p in section.get("points") or [] if _text(p)]
        if not points:
            continue
        if all(_kinds(p) == {"announcement"} for p in points):
            continue
        key.append((" ".join(str(section.get("title", "")).split()), _text(points[0])))
        recommendations.extend(_text(p) for p in points[1:] if "recommendation" in _kinds(p))
    shown = recommendations[:MAX_RECOMMENDATIONS]
    return key, shown, len(recommendations) - len(shown)


def published_summary(event: Event) -> CoChairsSummary:
    summary = (
        CoChairsSummary.objects.filter(event=event, status=CoChairsSummary.Status.PUBLISHED)
        .select_related("published_version")
        .first()
    )
    if summary is None or summary.published_version is None:
        raise NotPublished(event.pk)
    return summary


def compose_digest(event: Event) -> tuple[str, str]:
    """The digest's subject and plain-text body (the unsubscribe line is each mail's own)."""
    summary = published_summary(event)
    content = summary.published_version.content or {}  # type: ignore[union-attr]
    key, recommendations, more = outcomes(content)
    subject = _("%(event)s: outcomes and recommendations") % {"event": event.name}

    lines = [
        _("The Co-Chairs' Summary of %(event)s is published. Here is what came out of it.")
        % {"event": event.name},
    ]
    if key:
        lines += ["", _("KEY OUTCOMES")]
        lines += [f"- {title}: {text}" if title else f"- {text}" for title, text in key]
    if recommendations:
        lines += ["", _("ACTIONABLE RECOMMENDATIONS")]
        lines += [f"- {text}" for text in recommendations]
        if more:
            lines.append(
                ngettext(
                    "… and %(n)d more recommendation in the full summary.",
                    "… and %(n)d more recommendations in the full summary.",
                    more,
                )
                % {"n": more}
            )
    made = announced(event)
    if made.count:
        lines += ["", _("COMMITMENTS ANNOUNCED")]
        lines.append(
            ngettext(
                "%(n)d commitment or partnership announced, %(linked)d of them registered on "
                "the platform.",
                "%(n)d commitments and partnerships announced, %(linked)d of them registered "
                "on the platform.",
                made.count,
            )
            % {"n": made.count, "linked": made.linked}
        )
        if made.money:
            lines.append(_("Money announced: %(money)s.") % {"money": moneys(made.money)})
        for linked in made.commitments[:MAX_COMMITMENT_LINKS]:
            lines.append(f"- {linked.title}: {site.absolute_url(linked.path)}")
    lines += ["", _("LINKS")]
    full = summary_url(event)
    if full:
        lines.append(_("The full Co-Chairs' Summary: %(url)s") % {"url": full})
    lines.append(_("The event: %(url)s") % {"url": event_url(event)})
    return subject, "\n".join(lines) + "\n"
