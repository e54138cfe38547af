from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pledgebook.accounts"
    label = "accounts"

    def ready(self) -> None:
        from pledgebook.accounts import checks  # noqa: F401 - registers the deploy check
