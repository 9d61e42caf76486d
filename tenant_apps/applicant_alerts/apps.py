"""App configuration for the porteurs' premises alerts."""

from django.apps import AppConfig


class ApplicantAlertsConfig(AppConfig):
    name = "tenant_apps.applicant_alerts"
    label = "applicant_alerts"
    verbose_name = "alertes des porteurs"

    def ready(self):
        from tenant_apps.applicant_alerts import signals

        signals.connect()
