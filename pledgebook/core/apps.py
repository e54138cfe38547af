from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pledgebook.core"
    label = "core"

    def ready(self) -> None:
        from pledgebook.core import checks  # noqa: F401 - registers core's system checks
