"""A new line on a demand's timeline notifies the team, once it commits (a rolled-back
change tells nobody). Events of other kinds (the porteur's submission above all, which is
benchmarked) cost a dictionary look-up here and nothing else."""

import contextlib
from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django_tenants.utils import schema_context

from tenant_apps.demands.models import DemandEvent
from tenant_apps.notifications import services, sources

# Sent by the daily job in each town (tasks.daily): receivers call services.notify() for
# what is due that day, with `today` (a date) as argument.
daily_round = Signal()


@receiver(post_save, sender=DemandEvent)
def event_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind in sources.SOURCES:
        # robust: a notification that fails must not turn the committed change (a
        # porteur's answer, an assignment) into an error page; it is logged.
        transaction.on_commit(partial(notify_event, instance, connection.schema_name), robust=True)


def notify_event(event, schema_name):
    same = connection.schema_name == schema_name
    with contextlib.nullcontext() if same else schema_context(schema_name):
        services.send(sources.drafts_for(event))
