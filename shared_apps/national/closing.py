"""Closing a town: export its data, delete its schema once the grace period is over."""

import csv
import io
import logging
import zipfile

from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.enums import TerritoryStatus
from tenants.models import Territory

logger = logging.getLogger(__name__)


def rows_csv(queryset, fields):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(fields)
    for row in queryset.values_list(*fields):
        writer.writerow(["" if value is None else value for value in row])
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
        deleted.append(town.schema_name)
        town.delete(force_drop=True)
        logger.info("Collectivité %s supprimée après sa période de grâce", town.schema_name)
    return deleted
