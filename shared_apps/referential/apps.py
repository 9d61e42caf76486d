"""App configuration for the referential."""

from django.apps import AppConfig


class ReferentialConfig(AppConfig):
    name = "shared_apps.referential"
    label = "referential"
    verbose_name = "Référentiels"
