"""App configuration for trials: the selected porteur's trial in a call's premises."""

from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "tenant_apps.trials"
    label = "trials"
    verbose_name = "essais"

    def ready(self):
        from tenant_apps.trials import signals

        signals.connect()
