from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "pledgebook.coalitions"
    label = "coalitions"

    def ready(self) -> None:
        # The similarity task reads the current text of an EOI or a coalition when it runs.
        from pledgebook.coalitions.similar import register_text_sources

        register_text_sources()
