"""App configuration for the team's notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tenant_apps.notifications"
    label = "notifications"
    verbose_name = "notifications"

    def ready(self):
        from tenant_apps.notifications import signals  # noqa: F401 — connects the receivers
