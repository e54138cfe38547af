from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "pledgebook.organisations"
    label = "organisations"
