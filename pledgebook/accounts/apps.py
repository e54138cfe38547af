from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pledgebook.accounts"
    label = "accounts"
