"""App configuration for calls for applications (trial, pop-up and shared shops)."""

from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "tenant_apps.calls"
    label = "calls"
    verbose_name = "appels à candidatures"
