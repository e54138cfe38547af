from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "pledgebook.commitments"
    label = "commitments"

    def ready(self) -> None:
        # ``exports`` registers the commitment exporters in pledgebook.core.exports.  The
        # similarity index of commitments (the same initiative registered twice): the task
        # reads a commitment's current text; a change of a commitment queues it.
        from pledgebook.commitments import (
            domain,
            duplicates,
            exports,  # noqa: F401
        )

        duplicates.register_text_source()
        domain.on_changed(duplicates.reindex)
