from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pledgebook.portal"
    label = "portal"
    verbose_name = "Partnership portal"

    def ready(self) -> None:
        from pledgebook.commitments.domain import on_changed as on_commitment_changed
        from pledgebook.commitments.filters import set_directory_filter
        from pledgebook.core.workers import register_check
        from pledgebook.organisations.domain import on_changed as on_organisation_changed
        from pledgebook.portal import exports, facts, hooks
        from pledgebook.portal.hub import exports as hub_exports  # noqa: F401
        from pledgebook.portal.hub import indexing as hub_indexing
        from pledgebook.portal.hub import rules as hub_rules  # noqa: F401
        from pledgebook.portal.pitch import index as pitch_index  # noqa: F401  (its signals)
        from pledgebook.portal.pitch import rules as pitch_rules  # noqa: F401
        from pledgebook.reporting.domain import on_figures_changed

        # The map's and the dashboard's facts follow every change of their sources.
        on_commitment_changed(hooks.commitments_changed)
        on_figures_changed(hooks.figures_changed)
        on_organisation_changed(hooks.organisation_changed)
        register_check(facts.refresh_overdue)
        # The directory's CSV export filters by the status light too, as its page does.
        from pledgebook.portal.filters import PortalCommitmentFilter

        set_directory_filter(PortalCommitmentFilter)
        exports.register_all()
        # The partner finder reads the commitments' texts from the index that
        # commitments.duplicates keeps (on every change, and at import).
        # The knowledge hub: its permissions, its public CSV export (core.exports), and the
        # text of a case study for the similarity engine's background indexing.
        hub_indexing.register_text_sources()
