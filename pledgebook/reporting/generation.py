"""The files of an annual report (PDF, Word, CSV, XLSX), generated in the background by
``tasks.generate_annual_report`` from the data of :func:`.annual.build`, recording progress as
it goes."""

from __future__ import annotations

import io
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pledgebook.core import workers
from pledgebook.reporting import annual, charts, documents, exports
from pledgebook.reporting.models import AnnualReport

logger = logging.getLogger(__name__)


def _progress(report: AnnualReport, progress: int, step: str, **fields: Any) -> None:
    fields["heartbeat_at"] = timezone.now()
    report.progress = progress
    report.step = step
    for name, value in fields.items():
        setattr(report, name, value)
    AnnualReport.objects.filter(pk=report.pk).update(progress=progress, step=step, **fields)


def _beat(report_id: int) -> None:
    AnnualReport.objects.filter(pk=report_id, status=AnnualReport.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def generate(report_id: int) -> AnnualReport:
    """Generate the files of an annual report, recording progress as it goes.  Safe to run
    twice: a finished report is left as it is, and so is a failed one (a new request makes a
    new report); a report left "Generating" by a worker that died starts again from the
    beginning.  If a finished report of the same cycle has the same data digest, its files are
    reused (the same data gives the same documents)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _generate(report_id)


def _generate(report_id: int) -> AnnualReport:
    report = AnnualReport.objects.select_related("cycle__programme").get(pk=report_id)
    if report.status in (AnnualReport.Status.DONE, AnnualReport.Status.FAILED):
        return report
    _progress(report, 0, _("Building the data"), status=AnnualReport.Status.RUNNING, error="")
    # Run inline inside a transaction (the immediate task backend), a savepoint lets a database
    # error be recorded as a failure; run by a worker, each progress update commits at once,
    # and a thread renews the heartbeat while a long step runs (so that a report whose worker
    # died is seen as interrupted: AnnualReport.interrupted).
    inline = transaction.get_connection().in_atomic_block
    beat_every = max(1.0, min(15.0, AnnualReport.stale_after().total_seconds() / 4))
    try:
        with (
            transaction.atomic()
            if inline
            else workers.beating(lambda: _beat(report.pk), every=beat_every)
        ):
            cycle = report.cycle
            data = annual.build(cycle)
            digest = annual.data_digest(data)
            _progress(report, 10, _("Drawing the charts"), data_digest=digest)
            previous = (
                AnnualReport.objects.filter(
                    cycle=cycle, status=AnnualReport.Status.DONE, data_digest=digest
                )
                .exclude(pk=report.pk)
                .order_by("-finished_at", "-pk")
                .first()
            )
            if previous is not None and all(getattr(previous, k) for k in annual.FILE_KINDS):
                for kind in annual.FILE_KINDS:
                    getattr(report, kind).name = getattr(previous, kind).name
                report.save(update_fields=list(annual.FILE_KINDS))
            else:
                rendered = charts.render_all(data)
                _progress(report, 30, _("Writing the PDF"))
                report.pdf.save(
                    annual.file_name(data, "pdf"),
                    ContentFile(documents.render_pdf(data, rendered)),
                    save=False,
                )
                _progress(report, 60, _("Writing the Word document"), pdf=report.pdf.name)
                report.docx.save(
                    annual.file_name(data, "docx"),
                    ContentFile(documents.render_docx(data, rendered)),
                    save=False,
                )
                _progress(report, 80, _("Writing the open data"), docx=report.docx.name)
                # The CSV and the workbook's reports sheet hold the same rows: one pass.
                with tempfile.TemporaryFile() as csv_file, tempfile.TemporaryFile() as xlsx_file:
                    lines = io.TextIOWrapper(csv_file, encoding="utf-8", newline="")
                    exporter = exports.ProgressReportsXLSXExporter(
                        cycle=cycle, data=data, csv_to=lines
                    )
                    for chunk in exporter.render(exporter.rows(cycle)):
                        xlsx_file.write(chunk)
                    lines.flush()
                    lines.detach()
                    for kind, handle in (("csv", csv_file), ("xlsx", xlsx_file)):
                        handle.seek(0)
                        getattr(report, kind).save(
                            annual.file_name(data, kind), File(handle), save=False
                        )
                _progress(report, 95, _("Finishing"), csv=report.csv.name, xlsx=report.xlsx.name)
            _progress(
                report,
                100,
                _("Ready"),
                status=AnnualReport.Status.DONE,
                finished_at=timezone.now(),
                **{kind: getattr(report, kind).name for kind in annual.FILE_KINDS},
            )
    except Exception as exc:
        logger.exception("annual report %s failed", report_id)
        _progress(
            report,
            report.progress,
            _("Failed"),
            status=AnnualReport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
    return report
