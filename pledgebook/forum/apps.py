from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "pledgebook.forum"
    label = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        # The similarity task reads the current text of a recommendation or an answer.
        from pledgebook.forum.similar import register_text_sources

        register_text_sources()

        # Every task worker opens the organisers' summary tasks when sessions end and sends
        # the reminders before and after the deadline (core/workers.py).
        from pledgebook.core.workers import register_check
        from pledgebook.forum.domain.summaries import run_checks

        register_check(run_checks)
        # Register the forum's exporters in pledgebook.core.exports.
        # Consultation responses imported from a CSV or XLSX file (forum/domain/consultations.py).
        from pledgebook.core.checks import accepts_uploads
        from pledgebook.forum import exports  # noqa: F401
        from pledgebook.forum.domain.consultations import MAX_BYTES

        accepts_uploads("a consultation import (forum.domain.consultations.MAX_BYTES)", MAX_BYTES)
