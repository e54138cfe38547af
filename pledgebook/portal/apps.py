from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pledgebook.portal"
    label = "portal"
    verbose_name = "Partnership portal"

    def ready(self) -> None:
        # Partner finder: commitments' texts in the similarity engine, indexed when confirmed.
        from pledgebook.commitments.domain import on_confirmed
        from pledgebook.portal.finder import index_commitment, register_text_sources

        register_text_sources()
        on_confirmed(index_commitment)
        from pledgebook.portal.pitch import index as pitch_index  # noqa: F401  (its signals)
        from pledgebook.portal.pitch import rules as pitch_rules  # noqa: F401
        # The knowledge hub: its permissions, its public CSV export (core.exports), and the
        # text of a case study for the similarity engine's background indexing.
        from pledgebook.portal.hub import exports, rules  # noqa: F401
        from pledgebook.portal.hub.indexing import register_text_sources

        register_text_sources()
