from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pledgebook.core"
    label = "core"

    def ready(self) -> None:
        from pledgebook.core import site  # noqa: F401 - registers the SITE_URL deploy check
