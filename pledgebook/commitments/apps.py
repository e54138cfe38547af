from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "pledgebook.commitments"
    label = "commitments"

    def ready(self) -> None:
        # Register the commitment exporters in pledgebook.core.exports.
        from pledgebook.commitments import exports  # noqa: F401
