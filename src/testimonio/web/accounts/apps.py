from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "testimonio.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
