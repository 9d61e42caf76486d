"""App configuration for the REST API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shared_apps.api"
    label = "api"
    verbose_name = "API"
