from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "pledgebook.registry"
    label = "registry"
    verbose_name = "Registry imports"
