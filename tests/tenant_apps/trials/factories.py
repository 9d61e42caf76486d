"""Factories of the trials (create them inside a town's schema)."""

from django.utils import timezone

from tenant_apps.calls.enums import Decision
from tenant_apps.calls.signals import application_decided
from tests.tenant_apps.calls.factories import ApplicationFactory


def selected(**fields):
    """An application the jury selected, its signal sent as the jury app sends it."""
    application = ApplicationFactory(
        decision=Decision.SELECTED, decided_at=timezone.now(), **fields
    )
    application_decided.send(sender=type(application), application=application)
    return application
