from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "pledgebook.reporting"
    label = "reporting"
