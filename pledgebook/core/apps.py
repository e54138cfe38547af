from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pledgebook.core"
    label = "core"
