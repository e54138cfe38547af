from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "pledgebook.coalitions"
    label = "coalitions"

    def ready(self) -> None:
        from pledgebook.coalitions.importing import MAX_BYTES
        from pledgebook.core.checks import accepts_uploads

        accepts_uploads("a coalition import (coalitions.importing.MAX_BYTES)", MAX_BYTES)

        # The similarity task reads the current text of an EOI or a coalition when it runs.
        from pledgebook.coalitions.similar import register_text_sources

        register_text_sources()
