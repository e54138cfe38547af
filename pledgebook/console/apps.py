from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "pledgebook.console"
    label = "console"
