from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pledgebook.portal"
    label = "portal"
    verbose_name = "Partnership portal"

    def ready(self) -> None:
        from pledgebook.commitments.domain import on_changed as on_commitment_changed
        from pledgebook.core.workers import register_check
        from pledgebook.organisations.domain import on_changed as on_organisation_changed
        from pledgebook.portal import exports, facts, hooks
        from pledgebook.reporting.domain import on_figures_changed

        # The map's and the dashboard's facts follow every change of their sources.
        on_commitment_changed(hooks.commitments_changed)
        on_figures_changed(hooks.figures_changed)
        on_organisation_changed(hooks.organisation_changed)
        register_check(facts.refresh_overdue)
        exports.register_all()
