"""The published Co-Chairs' Summary as a document: one outline (:func:`outline`), rendered
as the public web page, a PDF (WeasyPrint), a Word document (python-docx) and the API's JSON.

Every rendering takes the same :class:`Outline`, so they hold the same words in the same
order: the title, the event line, the introduction's paragraphs, then each section's title and
its points.  The outline is built from the version's **text only**: a point's ``sources`` (and
whatever else the compilation keeps for editors) never reach it, so nothing of where a point
came from (sessions, organisers, organisations) is ever published.

Both files are deterministic: the moment they say they were made is the publication's.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pledgebook.forum.models import CoChairsSummary, Event, SummaryVersion


@dataclass(frozen=True)
class OutlineSection:
    key: str
    title: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Outline:
    title: str
    event_line: str  # the event's name and dates
    introduction: tuple[str, ...]  # paragraphs
    sections: tuple[OutlineSection, ...]
    version: int
    published_at: dt.datetime | None
    slug: str  # for file names

    @property
    def published_line(self) -> str:
        if self.published_at is None:
            return _("Version %(number)s") % {"number": self.version}
        return _("Version %(number)s, published on %(date)s") % {
            "number": self.version,
            "date": date_format(timezone.localtime(self.published_at), "j F Y"),
        }

    def lines(self) -> list[str]:
        """The document's text in reading order, one entry per heading, paragraph or point:
        what every rendering must hold (the tests read each one back against it)."""
        found = [self.title, self.event_line, *self.introduction]
        for section in self.sections:
            found.append(section.title)
            found.extend(section.points)
        return found

    def as_json(self) -> dict[str, Any]:
        """The API's rendering."""
        return {
            "title": self.title,
            "event": self.event_line,
            "version": self.version,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "introduction": list(self.introduction),
            "sections": [
                {"key": s.key, "title": s.title, "points": list(s.points)} for s in self.sections
            ],
        }


def event_dates(event: Event) -> str:
    if event.starts_on == event.ends_on:
        return date_format(event.starts_on, "j F Y")
    return _("%(first)s to %(last)s") % {
        "first": date_format(event.starts_on, "j F Y"),
        "last": date_format(event.ends_on, "j F Y"),
    }


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of a text: separated by blank lines, each line's spaces tidied."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(block for block in blocks if block)


def outline(summary: CoChairsSummary, version: SummaryVersion) -> Outline:
    """The document of ``version`` (its text only: never its sources)."""
    content = version.content or {}
    event = summary.event
    sections = []
    for section in content.get("sections") or []:
        points = tuple(
            " ".join(str(p.get("text", "")).split())
            for p in section.get("points") or []
            if str(p.get("text", "")).strip()
        )
        if points:
            sections.append(
                OutlineSection(
                    key=str(section.get("key", "")),
                    title=" ".join(str(section.get("title", "")).split()),
                    points=points,
                )
            )
    return Outline(
        title=summary.title,
        event_line=f"{event.name}, {event_dates(event)}",
        introduction=paragraphs(str(content.get("introduction") or "")),
        sections=tuple(sections),
        version=version.number,
        published_at=summary.published_at if summary.published_version_id == version.pk else None,
        slug=f"{event.slug}-cochairs-summary",
    )


def published_outline(summary: CoChairsSummary | None) -> Outline | None:
    """The outline of the published version, or None when nothing is published."""
    if (
        summary is None
        or summary.status != CoChairsSummary.Status.PUBLISHED
        or summary.published_version is None
    ):
        return None
    return outline(summary, summary.published_version)


def _moment(doc: Outline) -> dt.datetime:
    moment = doc.published_at or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


# PDF ---------------------------------------------------------------------------------------


def pdf_html(doc: Outline) -> str:
    return render_to_string(
        "forum/cochairs_pdf.html", {"doc": doc, "created": _moment(doc).isoformat()}
    )


def render_pdf(doc: Outline) -> bytes:
    """An A4 PDF: page numbers, each heading kept with the text after it, long words broken
    rather than running off the page; tagged for screen readers."""
    from weasyprint import HTML

    html = HTML(string=pdf_html(doc), base_url=None)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(_moment(doc).timestamp()))
    try:
        return html.write_pdf(pdf_identifier=None, pdf_tags=True)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


# Word --------------------------------------------------------------------------------------


def render_docx(doc: Outline) -> bytes:
    """The Word document: the title (Title), the event line (Subtitle), the introduction's
    paragraphs, each section as a Heading 1 and its points as bulleted paragraphs, then the
    version line."""
    import docx

    document = docx.Document()
    moment = _moment(doc)
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.event_line
    props.author = "Pledgebook"
    props.last_modified_by = "Pledgebook"
    props.comments = ""
    props.revision = doc.version
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.event_line, style="Subtitle")
    for text in doc.introduction:
        document.add_paragraph(text)
    for section in doc.sections:
        document.add_heading(section.title, level=1).paragraph_format.keep_with_next = True
        for point in section.points:
            document.add_paragraph(point, style="List Bullet")
    document.add_paragraph().add_run(doc.published_line).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_dates(buffer.getvalue(), moment)


def _fixed_dates(blob: bytes, moment: dt.datetime) -> bytes:
    """The ZIP with every entry dated ``moment`` (python-docx stamps each with the clock), so
    the same version gives the same bytes (as ``reporting.documents.normalize_zip``, which
    this app may not import)."""
    date_time = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zout.writestr(info, zin.read(item))
    return out.getvalue()
