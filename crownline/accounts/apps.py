from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crownline.accounts"
    label = "accounts"
