"""Any change to a town's demands invalidates the inbox counts cached for that town."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from tenant_apps.demands.counts import bump_version
from tenant_apps.demands.models import Demand


@receiver(post_save, sender=Demand)
@receiver(post_delete, sender=Demand)
@receiver(m2m_changed, sender=Demand.areas.through)
def demands_changed(sender, **kwargs):
    bump_version()
