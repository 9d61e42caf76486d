"""App configuration for proposals."""

from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "tenant_apps.proposals"
    label = "proposals"
    verbose_name = "propositions de locaux"
