"""App configuration for the jury of the calls for applications."""

from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "tenant_apps.jury"
    label = "jury"
    verbose_name = "jury des appels à candidatures"
