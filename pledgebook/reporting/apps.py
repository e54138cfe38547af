from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "pledgebook.reporting"
    label = "reporting"

    def ready(self) -> None:
        # Register the open data exporters of reporting cycles in pledgebook.core.exports.
        from pledgebook.reporting import exports  # noqa: F401
