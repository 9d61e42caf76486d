"""The back-office inbox of a town with 100,000 demands: latency and SQL queries."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from bench.report import figure, percentile
from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership, User
from tenant_apps.demands.counts import bump_version
from tenant_apps.demands.models import Demand
from tenants.enums import TerritoryKind
from tenants.models import Territory
from tenants.provisioning import provision_territory

DEMANDS = 100_000
REQUESTS = 40
SCENARIOS = {
    "default": "/gestion/",
    "search": "/gestion/?q=boulangerie",
    "filters": "/gestion/?category=food&surface=60&budget=800",
    "priority": "/gestion/?sort=priority",
    "page_100": "/gestion/?taille=100",
    "default_after_a_change": "/gestion/",
}

FILL = """
INSERT INTO demands_applicant (first_name, last_name, email, phone, created_at)
SELECT 'Prénom' || g, 'Nom' || g, 'porteur' || g || '@example.fr', '',
       now() - (g % 540) * interval '1 day'
FROM generate_series(1, {n}) AS g;
INSERT INTO demands_demand (
    reference, applicant_id, activity, naf_code, activity_category, description, stage,
    siret, premises_kind, surface_min, surface_max, monthly_budget, lease_kinds,
    needs_shop_window, needs_step_free_access, other_needs, support, heard_from,
    consent_to_share, status, outcome, created_at, updated_at, status_changed_at,
    followup_version, tags, priority, contact_search, has_likely_duplicates)
SELECT 'BEN-2026-' || lpad(a.id::text, 6, '0'), a.id,
       (ARRAY['Boulangerie', 'Caviste', 'Fleuriste', 'Librairie', 'Barbier'])[1 + a.id % 5],
       '', (ARRAY['food', 'personal', 'services', 'health', 'culture'])[1 + a.id % 5],
       'Projet numéro ' || a.id, (ARRAY['idea', 'creating', 'moving', 'new_site'])[1 + a.id % 4],
       '', 'shop', 20 + a.id % 50, 80 + a.id % 100, 500 + a.id % 2000, '{}', false, false,
       '', '{}', '', a.id % 2 = 0,
       (ARRAY['new', 'qualified', 'searching', 'proposals', 'premises_found', 'installed',
              'abandoned', 'dormant'])[1 + a.id % 8],
       '', a.created_at, now(), now(), 1, '{}', 0,
       a.first_name || ' ' || a.last_name || ' ' || a.email, false
FROM demands_applicant a;
ANALYZE demands_applicant; ANALYZE demands_demand;
"""


def town_with_demands():
    town = Territory.objects.filter(slug="banc-inbox").first()
    if town is None:
        town = provision_territory(name="Banc inbox", slug="banc-inbox", kind=TerritoryKind.COMMUNE)
        with schema_context(town.schema_name), connection.cursor() as cursor:
            cursor.execute(FILL.replace("{n}", str(int(DEMANDS))))
            Demand.objects.refresh_priority()
    user, _ = User.objects.get_or_create(email="banc@example.fr")
    Membership.objects.get_or_create(user=user, territory=town, defaults={"role": Role.AGENT})
    return town, user


def inbox():
    started = time.perf_counter()
    town, user = town_with_demands()
    figure("inbox_fill_100k_demands", time.perf_counter() - started, "s")
    client = Client(HTTP_HOST=town.host)
    with schema_context(town.schema_name):
        client.force_login(user)
    client.get("/gestion/")  # warm-up
    queries = {}
    for name, path in SCENARIOS.items():
        timings = []
        for _ in range(REQUESTS):
            if name == "default_after_a_change":  # counts recomputed, as after any edit
                with schema_context(town.schema_name):
                    bump_version()
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries[name] = len(captured)
        timings.sort()
        figure(f"inbox_{name}_p50", statistics.median(timings), "ms")
        figure(f"inbox_{name}_p95", percentile(timings, 0.95), "ms")
    figure("inbox_queries_page_25", queries["default"], "queries")
    figure("inbox_queries_page_100", queries["page_100"], "queries")
