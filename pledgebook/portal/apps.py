from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pledgebook.portal"
    label = "portal"
    verbose_name = "Partnership portal"

    def ready(self) -> None:
        from pledgebook.portal.pitch import index as pitch_index  # noqa: F401  (its signals)
        from pledgebook.portal.pitch import rules as pitch_rules  # noqa: F401
