"""Any change to a town's demands invalidates the inbox counts cached for that town — once
the change commits: bumped earlier, a concurrent request could cache counts of data it
cannot see yet under the new version."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from tenant_apps.demands.counts import bump_version
from tenant_apps.demands.models import Demand


@receiver(post_save, sender=Demand)
@receiver(post_delete, sender=Demand)
@receiver(m2m_changed, sender=Demand.areas.through)
def demands_changed(sender, action="post", **kwargs):
    if action.startswith("post"):
        transaction.on_commit(bump_version)
