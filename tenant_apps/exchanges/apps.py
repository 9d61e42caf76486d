"""App configuration for exchanges (calls, meetings, visits, emails about a demand)."""

from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "tenant_apps.exchanges"
    label = "exchanges"
    verbose_name = "échanges"

    def ready(self):
        from tenant_apps.exchanges import signals

        signals.connect()
