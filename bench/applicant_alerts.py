"""Porteurs' premises alerts: one newly published premises against 10,000 open demands
whose porteurs asked for alerts (target: under 2 s of worker time); a second run sends
nothing. Then the emails' delivery by batch jobs (file backend), for information."""

import time

import django_rq
from django.db import connection, transaction
from django.urls import reverse
from django_tenants.utils import schema_context
from rq import SimpleWorker

from bench.report import figure
from tenant_apps.applicant_alerts.models import PremisesAlert, Publication
from tenant_apps.applicant_alerts.services import announce_premises, send_daily_alerts
from tenant_apps.mailing.models import OutboundEmail
from tenant_apps.premises.models import Premises
from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.provisioning import provision_territory

DEMANDS = 10_000
TARGET_SECONDS = 2

# Open demands of every kind, size and budget, all subscribed: a shop of 60 m² at 1,000 €
# a month fits some of them, more or less well.
FILL = """
INSERT INTO demands_applicant (first_name, last_name, email, phone, created_at)
SELECT 'Prénom' || g, 'Nom' || g, 'porteur' || g || '@example.fr', '', now()
FROM generate_series(1, {n}) AS g;
INSERT INTO demands_demand (
    reference, applicant_id, activity, naf_code, activity_category, description, stage,
    siret, premises_kind, surface_min, surface_max, monthly_budget, lease_kinds,
    needs_shop_window, needs_step_free_access, other_needs, support, heard_from,
    consent_to_share, status, outcome, created_at, updated_at, status_changed_at,
    followup_version, tags, priority, contact_search, has_likely_duplicates)
SELECT 'ALP-2026-' || lpad(a.id::text, 6, '0'), a.id,
       (ARRAY['Boulangerie', 'Caviste', 'Fleuriste', 'Librairie', 'Barbier'])[1 + a.id % 5],
       '', (ARRAY['food', 'personal', 'services', 'health', 'culture'])[1 + a.id % 5],
       'Projet numéro ' || a.id, 'creating', '',
       (ARRAY['shop', 'shop', 'restaurant', 'office', 'workshop', 'mixed'])[1 + a.id % 6],
       20 + a.id % 50, 60 + a.id % 100, 500 + a.id % 2000, '{}', a.id % 3 = 0, false,
       '', '{}', '', false,
       (ARRAY['new', 'qualified', 'searching', 'proposals'])[1 + a.id % 4],
       '', now(), now(), now(), 1, '{}', 0, '', false
FROM demands_applicant a;
INSERT INTO applicant_alerts_subscription (demand_id, is_active, changed_at)
SELECT id, true, now() FROM demands_demand;
ANALYZE demands_applicant; ANALYZE demands_demand; ANALYZE applicant_alerts_subscription;
"""


def town_with_demands():
    town = provision_territory(
        name="Banc alertes porteurs",
        slug="banc-alertes-porteurs",
        kind=TerritoryKind.COMMUNE,
        status=TerritoryStatus.OPEN,
    )
    with schema_context(town.schema_name), connection.cursor() as cursor:
        cursor.execute(FILL.replace("{n}", str(DEMANDS)))
    return town


def applicant_alerts():
    town = town_with_demands()
    with schema_context(town.schema_name):
        with transaction.atomic():
            # Saved as the back-office saves it: the announcement is written with it.
            premises = Premises.objects.create(
                address="1 place du Banc",
                kind="shop",
                surface=60,
                monthly_rent=1000,
                has_shop_window=True,
                is_published=True,
            )
        django_rq.get_connection("default").flushdb()  # its job: run below, in this process
        # A warm worker: the URLconf is loaded once per process, not once per fan-out.
        reverse("catalogue:list")
        started = time.perf_counter()
        alerted = announce_premises(premises.pk)
        elapsed = time.perf_counter() - started
        emails = OutboundEmail.objects.count()
        figure("applicant_alerts_open_demands", DEMANDS, "demands")
        figure("applicant_alerts_alerted", alerted, "demands")
        figure("applicant_alerts_emails", emails, "emails")
        figure("applicant_alerts_worker_time", elapsed, "s")
        figure("applicant_alerts_per_email", elapsed * 1000 / max(emails, 1), "ms")
        figure("applicant_alerts_ratio_to_target_2s", elapsed / TARGET_SECONDS, "x")

        started = time.perf_counter()
        Publication.objects.filter(premises=premises).update(done_at=None)  # as if retried
        again = announce_premises(premises.pk) + send_daily_alerts()
        figure("applicant_alerts_rerun_time", (time.perf_counter() - started) * 1000, "ms")
        figure("applicant_alerts_rerun_new_alerts", again, "alerts")
        figure(
            "applicant_alerts_rerun_new_emails", OutboundEmail.objects.count() - emails, "emails"
        )
        assert PremisesAlert.objects.count() == alerted

        queue = django_rq.get_queue("emails")
        started = time.perf_counter()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        figure("applicant_alerts_delivery_time_file_backend", time.perf_counter() - started, "s")
        figure(
            "applicant_alerts_sent", OutboundEmail.objects.exclude(sent_at=None).count(), "emails"
        )
    connection.set_schema_to_public()
