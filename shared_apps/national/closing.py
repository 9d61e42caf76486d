"""Closing a town: export its data, delete its schema once the grace period is over."""

import csv
import io
import logging
import zipfile

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.backoffice.exports import safe as spreadsheet_safe
from tenants.enums import TerritoryStatus
from tenants.models import Territory

logger = logging.getLogger(__name__)


def rows_csv(queryset, fields):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(fields)
    for row in queryset.values_list(*fields):
        # What porteurs and staff typed must not run as a formula in a spreadsheet.
        writer.writerow([spreadsheet_safe("" if value is None else value) for value in row])
    return out.getvalue()


def export_town(town):
    """A ZIP of the town's demands, porteurs, history, premises and areas, as CSV."""
    from tenant_apps.demands.models import Applicant, Demand, DemandEvent
    from tenant_apps.premises.models import Area, Premises

    tables = {
        "demandes.csv": (
            Demand.objects.order_by("created_at"),
            [
                "reference",
                "created_at",
                "status",
                "activity",
                "naf_code",
                "activity_category",
                "stage",
                "premises_kind",
                "surface_min",
                "surface_max",
                "monthly_budget",
                "purchase_budget",
                "consent_to_share",
                "applicant_id",
                "erased_at",
            ],
        ),
        "porteurs.csv": (
            Applicant.objects.order_by("pk"),
            [
                "id",
                "first_name",
                "last_name",
                "email",
                "phone",
                "created_at",
            ],
        ),
        "historique.csv": (
            DemandEvent.objects.order_by("created_at"),
            [
                "demand__reference",
                "created_at",
                "kind",
                "from_status",
                "to_status",
                "actor",
                "message",
            ],
        ),
        "locaux.csv": (
            Premises.objects.order_by("pk"),
            [
                "id",
                "address",
                "area__name",
                "kind",
                "surface",
                "monthly_rent",
                "sale_price",
                "state",
                "vacant_since",
            ],
        ),
        "quartiers.csv": (Area.objects.order_by("name"), ["name", "description", "is_priority"]),
    }
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        schema_context(town.schema_name),
    ):
        for name, (queryset, fields) in tables.items():
            archive.writestr(name, rows_csv(queryset, fields))
    return buffer.getvalue()


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
