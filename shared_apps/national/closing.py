"""Closing a town: export its data, delete its schema once the grace period is over."""

import logging

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.enums import TerritoryStatus
from tenants.models import Territory

logger = logging.getLogger(__name__)


def export_town(town, file):
    """Write the town's whole archive (tenant_apps.portability.archive, the one its admins
    download themselves) into `file`."""
    from tenant_apps.portability.archive import write_town_archive

    with schema_context(town.schema_name):
        write_town_archive(file)


def delete_closed_towns():
    """Daily, from the public schema: drop the towns whose grace period is over."""
    expired = Territory.objects.filter(
        status=TerritoryStatus.CLOSED, deletion_scheduled_on__lte=timezone.localdate()
    )
    deleted = []
    for town in expired:
        try:
            with transaction.atomic():
                if town.invoices.exists():
                    # Invoices are kept for the accounts: the town's data and addresses go,
                    # its row stays, closed with no deletion date (see Territory.data_deleted).
                    with connection.cursor() as cursor:
                        cursor.execute(f'DROP SCHEMA IF EXISTS "{town.schema_name}" CASCADE')
                    town.domains.all().delete()
                    town.memberships.all().delete()
                    Territory.objects.filter(pk=town.pk).update(deletion_scheduled_on=None)
                else:
                    town.delete(force_drop=True)
        except Exception:  # noqa: BLE001 — one town's failure must not keep the others
            logger.exception("Collectivité %s non supprimée", town.schema_name)
            continue
        deleted.append(town.schema_name)
        logger.info("Collectivité %s supprimée après sa période de grâce", town.schema_name)
    return deleted
