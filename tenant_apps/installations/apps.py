"""App configuration for the installed businesses."""

from django.apps import AppConfig


class InstallationsConfig(AppConfig):
    name = "tenant_apps.installations"
    label = "installations"
    verbose_name = "entreprises installées"
