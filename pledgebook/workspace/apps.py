from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "pledgebook.workspace"
    label = "workspace"
