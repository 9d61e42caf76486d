"""The nightly rollup: each town computes its own figures, inside its schema, and writes
them to the public table the console reads (never a query across every schema on a page)."""

import statistics
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from shared_apps.accounts.models import Membership
from shared_apps.national.models import TownStats
from tenants.models import Territory


def roll_up_town():
    """Run inside a town's schema (tenants.jobs.for_towns_by_batch, nightly)."""
    from tenant_apps.demands.enums import DemandStatus
    from tenant_apps.demands.models import Demand, DemandEvent
    from tenant_apps.installations.figures import rolled_up
    from tenant_apps.network.models import NetworkMember
    from tenant_apps.trials.figures import rolled_up as trials_rolled_up

    territory = Territory.objects.current()
    now = timezone.now()
    demands = Demand.objects.all()
    # An installed demand's last status change is its installation.
    delays = [
        (installed_at - received_at).total_seconds() / 86400
        for received_at, installed_at in demands.filter(status=DemandStatus.INSTALLED).values_list(
            "created_at", "status_changed_at"
        )
    ]
    figures = {
        "demands_last_30_days": demands.filter(created_at__gte=now - timedelta(days=30)).count(),
        "open_demands": demands.open().count(),
        "installed_total": len(delays),
        "median_days_to_installation": statistics.median(delays) if delays else None,
        "staff": Membership.objects.active().filter(territory=territory).count(),
        "partners": NetworkMember.objects.active().count(),
        "last_activity_at": DemandEvent.objects.aggregate(last=Max("created_at"))["last"],
        **rolled_up(),
        **trials_rolled_up(),
        "computed_at": now,
    }
    # One INSERT … ON CONFLICT UPDATE (update_or_create takes a transaction, a SELECT and
    # an UPDATE): run for 2,000 towns a night, its round trips count.
    TownStats.objects.bulk_create(
        [TownStats(territory=territory, **figures)],
        update_conflicts=True,
        unique_fields=["territory"],
        update_fields=list(figures),
    )
