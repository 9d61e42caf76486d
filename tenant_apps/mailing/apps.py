"""App configuration for mailing."""

from django.apps import AppConfig


class MailingConfig(AppConfig):
    name = "tenant_apps.mailing"
    label = "mailing"
    verbose_name = "Courriels"
