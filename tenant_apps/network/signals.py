"""A demand is announced to the network when it is qualified: the announcement is written
in the same transaction as the event that triggers it, so that it is never lost (see
services.broadcast). Towns that alert partners as soon as a demand is submitted do so
in the submission's own announcement (demands.services.announce_submission)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tenant_apps.demands.enums import DemandStatus, EventKind
from tenant_apps.demands.models import DemandEvent
from tenant_apps.townsite.enums import AlertTrigger
from tenant_apps.townsite.models import TownSettings


@receiver(post_save, sender=DemandEvent)
def announce_to_network(sender, instance, created, raw=False, **kwargs):
    if not created or raw:  # raw: a restored archive's history, not a new event
        return
    from tenant_apps.network.services import request_broadcast

    qualified = (
        instance.kind == EventKind.STATUS_CHANGED and instance.to_status == DemandStatus.QUALIFIED
    )
    if qualified and TownSettings.load().alert_partners_on == AlertTrigger.QUALIFIED:
        request_broadcast(instance.demand)
