"""App configuration for national."""

from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "shared_apps.national"
    label = "national"
    verbose_name = "Site national"
