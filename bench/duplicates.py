"""Likely duplicates in a town of 10,000 demands: the look-up's latency, whether its plan
uses the indexes (email, phone, trigrams) rather than reading every demand, and a merge."""

import statistics
import time

from django.db import connection, transaction
from django_tenants.utils import schema_context

from bench.report import figure, percentile
from tenant_apps.demands.merge import merge
from tenant_apps.demands.models import Demand
from tenants.enums import TerritoryKind
from tenants.models import Territory
from tenants.provisioning import provision_territory

DEMANDS = 10_000
LOOKUPS = 200

# Names and activities drawn from pools, as in a real town: 20 first names, surnames of a
# common syllable and six random letters, 12 activities; one demand in 50 sent twice (the
# same phone).
SYLLABLES = (
    "ARRAY['ber', 'mar', 'tin', 'du', 'rand', 'gi', 'raud', 'fa', 'bre', 'lo', 'ret', 'gar', "
    "'ci', 'a', 'pel', 'le', 'grin', 'bo', 'ni', 'fay', 'ar', 'naud', 'cas', 'tel', 'lan']"
)
FILL = f"""
INSERT INTO demands_applicant (first_name, last_name, email, phone, created_at)
SELECT (ARRAY['Camille', 'Nicolas', 'Léa', 'Karim', 'Inès', 'Marius', 'Lou', 'Jean',
              'Fanny', 'Hugo', 'Sarah', 'Paul', 'Chloé', 'Yanis', 'Manon', 'Lucas', 'Emma',
              'Mehdi', 'Julie', 'Thomas'])[1 + g % 20],
       initcap(({SYLLABLES})[1 + g % 25] || translate(substr(md5(g::text), 1, 6),
               '0123456789', 'aeioulmnrt')),
       'porteur' || g || '@example.fr',
       '+336' || lpad((10000000 + CASE WHEN g % 50 = 1 THEN g - 1 ELSE g END)::text, 8, '0'),
       now() - (g % 540) * interval '1 day'
FROM generate_series(1, {{n}}) AS g;
INSERT INTO demands_demand (
    reference, applicant_id, activity, naf_code, activity_category, description, stage,
    siret, premises_kind, surface_min, surface_max, monthly_budget, lease_kinds,
    needs_shop_window, needs_step_free_access, other_needs, support, heard_from,
    consent_to_share, status, outcome, created_at, updated_at, status_changed_at,
    followup_version, tags, priority, contact_search, has_likely_duplicates)
SELECT 'DUP-2026-' || lpad(a.id::text, 6, '0'), a.id,
       (ARRAY['Boulangerie artisanale', 'Caviste', 'Fleuriste', 'Librairie', 'Barbier',
              'Cave des Côtes de Provence', 'Restaurant provençal', 'Épicerie fine',
              'Salon de thé', 'Atelier de céramique', 'Pâtisserie', 'Opticien'])[1 + a.id % 12],
       '', 'food', '', 'creating', '', 'shop', 40, 90, 1000, '{{}}', false, false, '', '{{}}',
       '', true, (ARRAY['new', 'qualified', 'searching', 'installed'])[1 + a.id % 4], '',
       a.created_at, now(), now(), 1, '{{}}', 0, a.first_name || ' ' || a.last_name, false
FROM demands_applicant a;
ANALYZE demands_applicant; ANALYZE demands_demand;
"""


def town_with_demands():
    town = Territory.objects.filter(slug="banc-doublons").first()
    if town is None:
        town = provision_territory(
            name="Banc doublons", slug="banc-doublons", kind=TerritoryKind.COMMUNE
        )
        with schema_context(town.schema_name), connection.cursor() as cursor:
            cursor.execute(FILL.replace("{n}", str(int(DEMANDS))))
    return town


def lookup_sql(demand):
    """The look-up's SQL, as the ORM sends it (the UNION of the three index look-ups)."""
    queryset = Demand.objects.filter(pk=demand.pk)
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        Demand.objects.likely_duplicates_of(queryset.select_related("applicant").get())
    return next((sql, params) for sql, params in captured if " UNION " in sql)


def duplicates():
    town = town_with_demands()
    with schema_context(town.schema_name):
        sample = list(Demand.objects.select_related("applicant").order_by("?")[:LOOKUPS])
        timings, found = [], 0
        for demand in sample:
            begin = time.perf_counter()
            found += bool(Demand.objects.likely_duplicates_of(demand))
            timings.append((time.perf_counter() - begin) * 1000)
        timings.sort()
        figure("duplicates_lookup_10k_p50", statistics.median(timings), "ms")
        figure("duplicates_lookup_10k_p95", percentile(timings, 0.95), "ms")
        figure("duplicates_found_share", 100 * found / len(sample), "%")
        sql, params = lookup_sql(sample[0])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.5', true)")
            cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        for index in ("applicant_email", "applicant_phone", "applicant_name_trgm"):
            figure(f"duplicates_plan_uses_{index}", int(index in plan), "yes=1")
        figure(
            "duplicates_plan_seq_scans_on_demands",
            plan.count("Seq Scan on demands_demand"),
            "scans",
        )
        older, newer = Demand.objects.order_by("pk")[:2]
        begin = time.perf_counter()
        with transaction.atomic():
            merge(older, newer, by=None)
            figure("duplicates_merge_ms", (time.perf_counter() - begin) * 1000, "ms")
            transaction.set_rollback(True)
    print(plan)
