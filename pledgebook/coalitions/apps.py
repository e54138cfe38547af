from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "pledgebook.coalitions"
    label = "coalitions"
