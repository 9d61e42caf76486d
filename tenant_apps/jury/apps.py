"""App configuration for the jury of the calls for applications."""

from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "tenant_apps.jury"
    label = "jury"
    verbose_name = "jury des appels à candidatures"

    def ready(self):
        from tenant_apps.jury.figures import call_agreement
        from tenant_apps.trials.figures import call_agreement as hook

        hook.connect(call_agreement, dispatch_uid="jury.call_agreement")
