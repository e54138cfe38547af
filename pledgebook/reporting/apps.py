from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "pledgebook.reporting"
    label = "reporting"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from pledgebook.commitments.domain import on_confirmed, on_created_in_bulk
        from pledgebook.core.checks import accepts_uploads
        from pledgebook.core.workers import task_interrupted

        # Register the open data exporters of reporting cycles in pledgebook.core.exports.
        from pledgebook.reporting import exports  # noqa: F401
        from pledgebook.reporting.domain import (
            MAX_EVIDENCE_BYTES,
            join_open_cycles,
            join_open_cycles_in_bulk,
        )
        from pledgebook.reporting.signals import on_task_finished, on_task_interrupted

        # A commitment confirmed while a cycle is open joins it (commitments.domain calls this).
        on_confirmed(join_open_cycles)
        # ... and so do commitments imported from a registry while it is open.
        on_created_in_bulk(join_open_cycles_in_bulk)
        evidence = "an evidence file (reporting.domain.MAX_EVIDENCE_BYTES)"
        accepts_uploads(evidence, MAX_EVIDENCE_BYTES)

        # A report whose task was interrupted (the worker died) or failed shows so.
        task_interrupted.connect(on_task_interrupted, dispatch_uid="reporting.interrupted")
        task_finished.connect(on_task_finished, dispatch_uid="reporting.finished")
