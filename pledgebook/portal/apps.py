from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pledgebook.portal"
    label = "portal"
    verbose_name = "Partnership portal"

    def ready(self) -> None:
        # The knowledge hub: its permissions, its public CSV export (core.exports), and the
        # text of a case study for the similarity engine's background indexing.
        from pledgebook.portal.hub import exports, rules  # noqa: F401
        from pledgebook.portal.hub.indexing import register_text_sources

        register_text_sources()
