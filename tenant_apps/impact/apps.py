"""App configuration for the impact dashboard."""

from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "tenant_apps.impact"
    label = "impact"
    verbose_name = "Tableau de bord"
