from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pledgebook.api"
    label = "api"
