"""Any change to a town's demands invalidates the inbox counts cached for that town — once
the change commits: bumped earlier, a concurrent request could cache counts of data it
cannot see yet under the new version. And `team_digest`, through which other apps add
their part to the team's daily digest."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from tenant_apps.demands.counts import bump_version
from tenant_apps.demands.models import Demand


@receiver(post_save, sender=Demand)
@receiver(post_delete, sender=Demand)
@receiver(m2m_changed, sender=Demand.areas.through)
def demands_changed(sender, action="post", **kwargs):
    if action.startswith("post"):
        transaction.on_commit(bump_version)


# Sent by the daily team digest (demands.tasks.remind_team) with `territory`, `user_ids`
# (the team members who may get it) and `today`; each receiver returns {user id: text},
# its part of that person's digest. A person with such a part gets the digest even when
# no demand waits for them.
team_digest = Signal()
