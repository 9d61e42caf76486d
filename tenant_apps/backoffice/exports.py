"""Demands as CSV or XLSX: at once for small sets, by a job with progress for large ones."""

import csv
import io

from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook

from shared_apps.referential.validators import display_phone
from tenant_apps.backoffice.forms import InboxFilterForm, team_members
from tenant_apps.backoffice.models import Export
from tenant_apps.demands.models import Demand
from tenant_apps.townsite.models import TownSettings
from tenants.built_by_job import resume_stalled
from tenants.models import Territory
from tenants.private import private_dir

COLUMNS = [
    ("Référence", lambda d: d.reference),
    ("Reçue le", lambda d: timezone.localtime(d.created_at).strftime("%d/%m/%Y")),
    ("Statut", lambda d: d.get_status_display()),
    ("Activité", lambda d: d.activity),
    ("Code NAF", lambda d: d.naf_code),
    ("Catégorie", lambda d: d.get_activity_category_display()),
    ("Avancement", lambda d: d.get_stage_display()),
    ("Type de local", lambda d: d.get_premises_kind_display()),
    ("Surface min. (m²)", lambda d: d.surface_min),
    ("Surface max. (m²)", lambda d: d.surface_max),
    ("Loyer max. (€/mois)", lambda d: d.monthly_budget or ""),
    ("Budget d’achat (€)", lambda d: d.purchase_budget or ""),
    ("Quartiers", lambda d: ", ".join(area.name for area in d.areas.all())),
    ("Étiquettes", lambda d: ", ".join(d.tags)),
    ("Suivie par", lambda d: d.assignee.email if d.assignee else ""),
    (
        "Prochaine action",
        lambda d: d.next_action_on.strftime("%d/%m/%Y") if d.next_action_on else "",
    ),
]
CONTACT_COLUMNS = [
    ("Prénom", lambda d: d.applicant.first_name),
    ("Nom", lambda d: d.applicant.last_name),
    ("Courriel", lambda d: d.applicant.email),
    ("Téléphone", lambda d: display_phone(d.applicant.phone)),
    ("Partage accepté", lambda d: "oui" if d.consent_to_share else "non"),
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Neutralise what a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_rows(territory, query, user, with_contact):
    filters = InboxFilterForm(
        QueryDict(query) if query else None, members=team_members(territory), user=user
    )
    demands = (
        filters.apply(Demand.objects.all(), TownSettings.load())
        .select_related("applicant", "assignee")
        .prefetch_related("areas")
        .order_by("-created_at")
    )
    columns = COLUMNS + (CONTACT_COLUMNS if with_contact else [])
    return demands, columns


def write(file, demands, columns, fmt, progress=None):
    headers = [title for title, _ in columns]
    if fmt == Export.Format.CSV:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(headers)
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Demandes")
        sheet.append(headers)
    for index, demand in enumerate(demands.iterator(chunk_size=500), start=1):
        row = [safe(value(demand)) for _, value in columns]
        if fmt == Export.Format.CSV:
            writer.writerow(row)
        else:
            sheet.append(row)
        if progress and index % 500 == 0:
            progress(index)
    if fmt == Export.Format.XLSX:
        workbook.save(file)


def inline(demands, columns, fmt):
    """(bytes, content type) of a small export of `export_rows`."""
    if fmt == Export.Format.CSV:
        text = io.StringIO()
        text.write("\ufeff")  # lets spreadsheet software read the accents
        write(text, demands, columns, fmt)
        return text.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    binary = io.BytesIO()
    write(binary, demands, columns, fmt)
    return (
        binary.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_path(export):
    return private_dir("exports") / export.file_name


def build_export(export_id):
    """The job: write the file under the town's private folder, reporting progress. Safe
    to run twice: a job that finds the export done, failed or in a live job's hands
    leaves it alone; a failure leaves it to resume_exports, up to Export.MAX_ATTEMPTS."""
    export = Export.objects.claim(export_id)
    if export is None:
        return None
    try:
        territory = Territory.objects.current()
        demands, columns = export_rows(
            territory, export.query, export.created_by, export.with_contact
        )
        export.total = demands.count()
        export.file_name = f"demandes-{export.pk}.{export.format}"
        export.save(update_fields=["total", "file_name"])

        def progress(rows):
            Export.objects.filter(pk=export.pk).update(done_rows=rows, heartbeat_at=timezone.now())

        path = export_path(export)
        path.parent.mkdir(parents=True, exist_ok=True)
        if export.format == Export.Format.CSV:
            with open(path, "w", encoding="utf-8-sig", newline="") as file:
                write(file, demands, columns, export.format, progress)
        else:
            with open(path, "wb") as file:
                write(file, demands, columns, export.format, progress)
    except Exception as error:
        export.record_failure(error)
        raise
    Export.objects.filter(pk=export.pk).update(status=Export.Status.DONE, done_rows=export.total)
    return export.file_name


def resume_exports():
    """Periodic catch-up, as the outbox's: an export whose job was lost (Redis down when
    it was queued) or whose worker died is queued again; one that used up its attempts
    is marked failed, and its status page says so. Returns the exports queued again."""
    return resume_stalled(Export, build_export, "interrompu à chaque tentative")
