from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "pledgebook.programmes"
    label = "programmes"
