"""App configuration for partners."""

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "shared_apps.partners"
    label = "partners"
    verbose_name = "Partenaires"
