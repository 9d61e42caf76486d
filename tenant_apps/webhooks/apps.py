"""App configuration for webhooks: a town's events, signed and sent to its integrators."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tenant_apps.webhooks"
    label = "webhooks"
    verbose_name = "webhooks"

    def ready(self):
        from tenant_apps.webhooks import signals

        signals.connect()
