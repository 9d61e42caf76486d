"""App configuration for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shared_apps.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        import shared_apps.accounts.signals  # noqa: F401
