"""Matching in a town with 5,000 open demands and 1,000 premises: full recompute, the
update after one premises changes, and the live lists of a demand's and a premises' page."""

import os
import random
import statistics
import time
from pathlib import Path

from django.db import connection
from django_tenants.utils import schema_context

from bench.report import figure, percentile
from tenant_apps.demands.models import Demand
from tenant_apps.premises.matching import (
    best_demands_for,
    best_premises_for,
    recompute_all,
    refresh_for_premises,
)
from tenant_apps.premises.models import Match, Premises
from tenants.enums import TerritoryKind
from tenants.models import Territory
from tenants.provisioning import provision_territory

OPEN_DEMANDS = 5_000
CLOSED_DEMANDS = 2_000
PREMISES = 1_000
FULL_TARGET_MS = 1_000
ONE_PREMISES_TARGET_MS = 50

# Kinds weighted like a town centre (shops first); surfaces and prices spread like the
# demo's; a third of the demands pick one or two of six areas.
FILL = """
INSERT INTO premises_area (name, description, is_priority)
SELECT 'Quartier ' || g, '', g <= 2 FROM generate_series(1, 6) AS g;
INSERT INTO demands_applicant (first_name, last_name, email, phone, created_at)
SELECT 'Prénom' || g, 'Nom' || g, 'porteur' || g || '@example.fr', '',
       now() - (g % 540) * interval '1 day'
FROM generate_series(1, {demands}) AS g;
INSERT INTO demands_demand (
    reference, applicant_id, activity, naf_code, activity_category, description, stage,
    siret, premises_kind, surface_min, surface_max, monthly_budget, purchase_budget,
    lease_kinds, needs_shop_window, needs_step_free_access, other_needs, support, heard_from,
    consent_to_share, status, outcome, created_at, updated_at, status_changed_at,
    first_contact_at, followup_version, tags, priority, contact_search, has_likely_duplicates)
SELECT 'BEN-2026-' || lpad(a.id::text, 6, '0'), a.id, 'Activité ' || a.id, '',
       (ARRAY['food', 'personal', 'home', 'horeca', 'services', 'health', 'culture', 'craft'])
           [1 + a.id % 8],
       '', (ARRAY['idea', 'creating', 'moving', 'new_site'])[1 + a.id % 4], '',
       (ARRAY['shop', 'shop', 'shop', 'shop', 'restaurant', 'restaurant', 'office', 'office',
              'workshop', 'mixed'])[1 + (a.id * 7) % 10],
       s.low, s.low + 10 + (a.id * 13) % (s.low + 20),
       CASE WHEN a.id % 9 = 0 THEN NULL ELSE s.low * (10 + a.id % 9) END,
       CASE WHEN a.id % 6 = 0 THEN s.low * 2000 END,
       CASE a.id % 4 WHEN 0 THEN '{commercial}'::varchar[] WHEN 1 THEN '{commercial,short_term}'
                     ELSE '{}' END,
       a.id % 3 = 0, a.id % 5 = 0, '', '{}', '', a.id % 2 = 0,
       CASE WHEN a.id <= {open} THEN (ARRAY['new', 'qualified', 'searching', 'proposals'])
                                      [1 + a.id % 4]
            ELSE (ARRAY['installed', 'abandoned', 'premises_found', 'dormant'])[1 + a.id % 4]
       END,
       '', a.created_at, now(), now(),
       CASE WHEN a.id % 4 <> 0 THEN a.created_at + (a.id % 11) * interval '1 day' END,
       1, '{}', 0, '', false
FROM demands_applicant a, LATERAL (SELECT 20 + (a.id * 31) % 130 AS low) AS s;
INSERT INTO demands_demand_areas (demand_id, area_id)
SELECT d.id, (SELECT min(id) FROM premises_area) + d.id % 6
FROM demands_demand d WHERE d.id % 3 = 0;
INSERT INTO demands_demand_areas (demand_id, area_id)
SELECT d.id, (SELECT min(id) FROM premises_area) + (d.id + 1) % 6
FROM demands_demand d WHERE d.id % 6 = 0;
INSERT INTO demands_demandevent (demand_id, kind, message, actor, from_status, to_status,
                                 visible_to_applicant, created_at)
SELECT d.id, 'status_changed', '', 'banc', 'new', 'qualified', true,
       d.created_at + (1 + d.id % 9) * interval '1 day'
FROM demands_demand d WHERE d.status <> 'new';
INSERT INTO demands_demandevent (demand_id, kind, message, actor, from_status, to_status,
                                 visible_to_applicant, created_at)
SELECT d.id, 'status_changed', '', 'banc', 'premises_found', 'installed', true,
       d.created_at + (20 + d.id % 120) * interval '1 day'
FROM demands_demand d WHERE d.status = 'installed';
INSERT INTO premises_premises (
    address, area_id, kind, surface, monthly_rent, sale_price, lease_kind, state,
    state_changed_at, owner_name, has_shop_window, step_free_access, available_from,
    vacant_since, description, latitude, longitude, location_source, created_at, updated_at)
SELECT g || ' rue du Banc', (SELECT min(id) FROM premises_area) + g % 6,
       (ARRAY['shop', 'shop', 'shop', 'shop', 'restaurant', 'restaurant', 'office', 'office',
              'workshop', 'mixed'])[1 + (g * 3) % 10],
       s.surface,
       CASE WHEN g % 8 = 0 THEN NULL ELSE s.surface * (9 + g % 8) END,
       CASE WHEN g % 8 = 0 THEN s.surface * 1800 END,
       (ARRAY['', 'commercial', 'commercial', 'short_term'])[1 + g % 4],
       (ARRAY['vacant', 'vacant', 'vacant', 'vacant', 'vacant', 'works', 'works', 'reserved',
              'let', 'sold'])[1 + (g * 7) % 10],
       now(), '', g % 2 = 0, g % 3 <> 0, NULL,
       current_date - (g % 900), '', 43.53 + (g % 40) * 0.0003, 6.46 + (g / 40) * 0.0003,
       'manual', now(), now()
FROM generate_series(1, {premises}) AS g,
     LATERAL (SELECT 15 + ((g * 37) % 100) * ((g * 37) % 100) / 30 AS surface) AS s;
-- This town's tables only: a bare ANALYZE would lock every table of every town
-- (thousands after the rollup benchmark) and run out of lock slots.
ANALYZE premises_area; ANALYZE demands_applicant; ANALYZE demands_demand;
ANALYZE demands_demand_areas; ANALYZE demands_demandevent; ANALYZE premises_premises;
"""


def town_with_demands_and_premises(slug="banc-correspondances"):
    town = Territory.objects.filter(slug=slug).first()
    if town is None:
        town = provision_territory(
            name="Banc correspondances", slug=slug, kind=TerritoryKind.COMMUNE
        )
        sql = (
            FILL.replace("{demands}", str(OPEN_DEMANDS + CLOSED_DEMANDS))
            .replace("{open}", str(OPEN_DEMANDS))
            .replace("{premises}", str(PREMISES))
        )
        with schema_context(town.schema_name), connection.cursor() as cursor:
            cursor.execute(sql)
    return town


def backend_cpu_ms():
    """CPU time so far of this connection's PostgreSQL process, when it runs on this
    machine (None otherwise): on a busy machine, what the work costs apart from waiting."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def matching():
    started = time.perf_counter()
    town = town_with_demands_and_premises()
    figure("matching_fill", time.perf_counter() - started, "s")
    with schema_context(town.schema_name):
        figure("matching_open_demands", Demand.objects.open().count(), "demands")
        figure("matching_premises", Premises.objects.count(), "premises")
        figure("matching_available_premises", Premises.objects.available().count(), "premises")
        Match.objects.all().delete()
        full, cpu = [], []
        for _ in range(5):
            cpu_before = backend_cpu_ms()
            begin = time.perf_counter()
            recompute_all()
            full.append((time.perf_counter() - begin) * 1000)
            if cpu_before is not None:
                cpu.append(backend_cpu_ms() - cpu_before)
        figure("matching_stored_pairs", Match.objects.count(), "matches")
        figure("matching_full_recompute_first", full[0], "ms")
        figure("matching_full_recompute_median", statistics.median(full), "ms")
        figure("matching_full_recompute_vs_target", statistics.median(full) / FULL_TARGET_MS, "x")
        if cpu:
            figure("matching_full_recompute_postgres_cpu_median", statistics.median(cpu), "ms")
        figure("matching_load_average_1min", os.getloadavg()[0], "processes")

        rng = random.Random(6)
        pks = list(Premises.objects.available().values_list("pk", flat=True))
        one = []
        for pk in rng.sample(pks, 100):
            # The premises changes (surface and rent), then its matches are refreshed.
            Premises.objects.filter(pk=pk).update(surface=rng.randint(20, 300))
            begin = time.perf_counter()
            refresh_for_premises(pk)
            one.append((time.perf_counter() - begin) * 1000)
        figure("matching_one_premises_p50", statistics.median(one), "ms")
        figure("matching_one_premises_p95", percentile(one, 0.95), "ms")
        figure(
            "matching_one_premises_vs_target", percentile(one, 0.95) / ONE_PREMISES_TARGET_MS, "x"
        )

        demands = list(Demand.objects.open().order_by("?")[:50])
        premises = list(Premises.objects.available().order_by("?")[:50])
        live_demand, live_premises = [], []
        for item in demands:
            begin = time.perf_counter()
            best_premises_for(item)
            live_demand.append((time.perf_counter() - begin) * 1000)
        for item in premises:
            begin = time.perf_counter()
            best_demands_for(item)
            live_premises.append((time.perf_counter() - begin) * 1000)
        figure("matching_live_best_premises_for_a_demand_p50", statistics.median(live_demand), "ms")
        figure(
            "matching_live_best_demands_for_a_premises_p50", statistics.median(live_premises), "ms"
        )
