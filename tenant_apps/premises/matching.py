"""Matching demands and premises, both ways, in PostgreSQL.

One SELECT scores every (open demand, available premises) pair that can suit at all
(same kind, surface within 20 % of the range, price at most 50 % over budget) and keeps
the figures behind the score; `reasons()` phrases them in French. The same SELECT serves
the stored matches (each premises keeps its best 20 demands: full recompute, or one
premises / one demand after a change) and the live lists of the demand and premises pages.

Score out of 100: surface 30, price 30, area 20, lease 10, shop window 5, step-free
access 5. Pairs under MIN_SCORE are not kept.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from tenant_apps.demands.enums import OPEN_STATUSES
from tenant_apps.premises.enums import AVAILABLE_STATES
from tenant_apps.premises.models import Match

MIN_SCORE = 40
SURFACE_TOLERANCE = 20  # %: beyond this, a premises is too small or too large
PRICE_TOLERANCE = 50  # %: beyond this over budget, not worth showing
PRICE_ZERO_POINTS_AT = 30  # %: over budget by this much, the price scores nothing

FIELDS = (
    "demand_id",
    "premises_id",
    "score",
    "surface_gap",
    "price_basis",
    "price_gap",
    "area_fit",
    "window_fit",
    "access_fit",
    "lease_fit",
)

# Float arithmetic (not numeric): the full recompute scores about a million pairs.
SCORED = f"""
WITH pairs AS (
    SELECT d.id AS demand_id, p.id AS premises_id,
        CASE WHEN p.surface < d.surface_min
                THEN -round(100 * (d.surface_min - p.surface)::float8 / d.surface_min)
             WHEN p.surface > d.surface_max
                THEN round(100 * (p.surface - d.surface_max)::float8 / d.surface_max)
             ELSE 0 END::int AS surface_gap,
        CASE WHEN p.monthly_rent IS NOT NULL AND d.monthly_budget > 0 THEN 'rent'
             WHEN p.sale_price IS NOT NULL AND d.purchase_budget > 0 THEN 'sale'
             WHEN (p.monthly_rent IS NULL AND p.sale_price IS NULL)
                  OR (COALESCE(d.monthly_budget, 0) = 0 AND COALESCE(d.purchase_budget, 0) = 0)
                THEN 'open'
             WHEN p.monthly_rent IS NULL THEN 'for_sale'
             ELSE 'for_rent' END AS price_basis,
        CASE WHEN p.monthly_rent IS NOT NULL AND d.monthly_budget > 0
                THEN round(100 * (p.monthly_rent - d.monthly_budget)::float8 / d.monthly_budget)
             WHEN p.sale_price IS NOT NULL AND d.purchase_budget > 0
                THEN round(100 * (p.sale_price - d.purchase_budget)::float8 / d.purchase_budget)
             END::int AS price_gap,
        CASE WHEN d.areas IS NULL THEN 2 WHEN p.area_id = ANY(d.areas) THEN 1 ELSE 0 END
            AS area_fit,
        CASE WHEN d.needs_shop_window THEN p.has_shop_window END AS window_fit,
        CASE WHEN d.needs_step_free_access THEN p.step_free_access END AS access_fit,
        CASE WHEN cardinality(d.lease_kinds) = 0 OR p.lease_kind = '' THEN NULL
             ELSE p.lease_kind = ANY(d.lease_kinds) END AS lease_fit
    -- Open demands with the areas they chose (looked up for these demands only: a
    -- town's closed demands may be many).
    FROM (
        SELECT od.*, (
            SELECT array_agg(da.area_id) FROM demands_demand_areas da WHERE da.demand_id = od.id
        ) AS areas
        FROM demands_demand od
        WHERE od.status = ANY(%(open)s) AND od.merged_into_id IS NULL {{demand_where}}
        OFFSET 0  -- computed once per demand, not once per pair
    ) AS d
    JOIN premises_premises p
      ON p.kind = d.premises_kind
     AND p.surface >= (d.surface_min * {100 - SURFACE_TOLERANCE} + 99) / 100
     AND p.surface <= d.surface_max * {100 + SURFACE_TOLERANCE} / 100
    WHERE p.state = ANY(%(available)s) {{where}}
), scored AS (
    SELECT *, round(
        30 * greatest(0, 1 - abs(surface_gap)::float8 / {SURFACE_TOLERANCE})
        + CASE price_basis WHEN 'open' THEN 15 WHEN 'for_sale' THEN 5 WHEN 'for_rent' THEN 5
            ELSE 30 * greatest(0, least(1, 1 - price_gap::float8 / {PRICE_ZERO_POINTS_AT})) END
        + CASE area_fit WHEN 0 THEN 0 ELSE 20 END
        + CASE WHEN window_fit IS FALSE THEN 0 ELSE 5 END
        + CASE WHEN access_fit IS FALSE THEN 0 ELSE 5 END
        + CASE WHEN lease_fit IS FALSE THEN 0 ELSE 10 END
    )::int AS score
    FROM pairs
    WHERE price_gap IS NULL OR price_gap <= {PRICE_TOLERANCE}
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY premises_id ORDER BY score DESC, demand_id) AS rank
    FROM scored WHERE score >= {MIN_SCORE}
)
SELECT {", ".join(FIELDS)} FROM ranked WHERE rank <= %(keep)s
"""

COLUMNS = ", ".join(FIELDS)
UPDATES = ", ".join(f"{name} = EXCLUDED.{name}" for name in FIELDS[2:])
CHANGED = " OR ".join(
    f"premises_match.{name} IS DISTINCT FROM EXCLUDED.{name}" for name in FIELDS[2:]
)
# Stored matches: each premises keeps its best demands (what staff are shown when a
# premises is new or changes); the pages' lists are computed live.
KEEP_PER_PREMISES = 20
EVERYTHING = 1_000_000


def params(**extra):
    return {
        "open": list(OPEN_STATUSES),
        "available": list(AVAILABLE_STATES),
        "keep": KEEP_PER_PREMISES,
        **extra,
    }


def run(sql, values):
    # JIT compilation costs more than it saves on these short statements.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        cursor.execute(sql, values)
        return cursor.fetchall()


# For one premises: only the demands of its kind are looked at.
OF_PREMISES = "AND p.id = %(premises)s"
OF_ITS_KIND = "AND od.premises_kind = (SELECT kind FROM premises_premises WHERE id = %(premises)s)"


def scored(where="", demand_where=""):
    return SCORED.replace("{where}", where).replace("{demand_where}", demand_where)


def upsert(where, stale, *, demand_where="", best=None, **extra):
    """Store the scored pairs selected by `where` (only the `best` first when given: for one
    premises), drop the `stale` matches that no longer hold, keep the date a pair was first
    found; returns ([(demand_id, premises_id)] of the pairs found for the first time, how
    many pairs were scored)."""
    best_first = "ORDER BY score DESC, demand_id LIMIT %(best)s" if best else ""
    # `kept` is inlined where it is read (not copied): its order is total, so both reads
    # see the same pairs.
    sql = f"""
        WITH fresh AS MATERIALIZED ({scored(where, demand_where)}),
        kept AS NOT MATERIALIZED (SELECT * FROM fresh {best_first}),
        removed AS (
            DELETE FROM premises_match m WHERE {stale} AND NOT EXISTS (
                SELECT 1 FROM kept k
                WHERE k.demand_id = m.demand_id AND k.premises_id = m.premises_id)
        ),
        written AS (
            INSERT INTO premises_match ({COLUMNS}, created_at)
            SELECT {COLUMNS}, now() FROM kept
            ON CONFLICT (demand_id, premises_id) DO UPDATE SET {UPDATES} WHERE {CHANGED}
            RETURNING demand_id, premises_id, (xmax = 0) AS inserted
        )
        -- One row at least, carrying the count, when no pair is new.
        SELECT total.scored, w.demand_id, w.premises_id
        FROM (SELECT count(*) AS scored FROM fresh) AS total LEFT JOIN written w ON w.inserted
    """
    rows = run(sql, params(best=best, **extra))
    return [(demand, premises) for _, demand, premises in rows if demand is not None], rows[0][0]


def recompute_all():
    """Every match of the town, from scratch; returns how many pairs are new."""
    pairs, _ = upsert("", "TRUE")
    return len(pairs)


@dataclass
class Refreshed:
    new_demands: list  # ids of the demands matched for the first time
    suited: int  # open demands the premises suits, stored or beyond its best


def refresh_for_premises(premises_id):
    """After a premises changed: its matches again, from one scoring of every open demand
    of its kind (the best are stored, all are counted for the staff's message)."""
    pairs, suited = upsert(
        OF_PREMISES,
        "m.premises_id = %(premises)s",
        demand_where=OF_ITS_KIND,
        premises=premises_id,
        keep=EVERYTHING,
        best=KEEP_PER_PREMISES,
    )
    return Refreshed([demand for demand, _ in pairs], suited)


TRIM = f"""
    DELETE FROM premises_match WHERE id IN (
        SELECT id FROM (
            SELECT id, row_number() OVER (
                PARTITION BY premises_id ORDER BY score DESC, demand_id) AS rank
            FROM premises_match WHERE premises_id = ANY(%(premises)s)
        ) AS ranked WHERE rank > {KEEP_PER_PREMISES}
    )
"""


def refresh_for_demand(demand_id):
    """After a demand changed: its matches again (each premises still keeping only its
    best demands); returns the newly matched premises."""
    pairs, _ = upsert(
        "",
        "m.demand_id = %(demand)s",
        demand_where="AND od.id = %(demand)s",
        demand=demand_id,
        keep=EVERYTHING,
    )
    touched = [premises for _, premises in pairs]
    if touched:
        with connection.cursor() as cursor:
            cursor.execute(TRIM, {"premises": touched})
        kept = set(
            Match.objects.filter(demand_id=demand_id, premises_id__in=touched).values_list(
                "premises_id", flat=True
            )
        )
        touched = [pk for pk in touched if pk in kept]
    return touched


@dataclass
class Scored:
    demand_id: int
    premises_id: int
    score: int
    surface_gap: int
    price_basis: str
    price_gap: int | None
    area_fit: int
    window_fit: bool | None
    access_fit: bool | None
    lease_fit: bool | None

    @property
    def reasons(self):
        return reasons(self)


def live(where, limit, *, demand_where="", **extra):
    """Scored pairs computed now (not the stored ones), best first."""
    sql = f"{scored(where, demand_where)} ORDER BY score DESC, 1, 2 LIMIT %(limit)s"
    return [Scored(*row) for row in run(sql, params(limit=limit, keep=EVERYTHING, **extra))]


def best_premises_for(demand, limit=10):
    """[(premises, Scored)]: the available premises that suit this demand, best first."""
    from tenant_apps.premises.models import Premises

    if demand.pk is None:
        return []
    found = live("", limit, demand_where="AND od.id = %(demand)s", demand=demand.pk)
    premises = Premises.objects.select_related("area").in_bulk([s.premises_id for s in found])
    return [(premises[s.premises_id], s) for s in found if s.premises_id in premises]


def best_demands_for(premises, limit=10):
    """[(demand, Scored)]: the open demands this premises suits, best first."""
    from tenant_apps.demands.models import Demand

    if premises.pk is None:
        return []
    found = live(OF_PREMISES, limit, demand_where=OF_ITS_KIND, premises=premises.pk)
    demands = Demand.objects.in_bulk([s.demand_id for s in found])
    return [(demands[s.demand_id], s) for s in found if s.demand_id in demands]


def reasons(match):
    """The score explained in plain French, strong points first."""
    good, bad = [], []
    gap = match.surface_gap
    if gap == 0:
        good.append("surface dans la fourchette")
    elif gap < 0:
        bad.append(f"surface inférieure de {-gap} % au minimum souhaité")
    else:
        bad.append(f"surface supérieure de {gap} % au maximum souhaité")
    basis, price_gap = match.price_basis, match.price_gap
    if basis in ("rent", "sale"):
        what = "loyer" if basis == "rent" else "prix"
        budget = "budget" if basis == "rent" else "budget d’achat"
        if price_gap <= 0:
            good.append(f"{what} dans le {budget}")
        else:
            bad.append(f"{what} au-dessus du {budget} de {price_gap} %")
    elif basis == "open":
        bad.append("loyer ou budget non précisé")
    elif basis == "for_sale":
        bad.append("local à vendre, le porteur a un budget de location")
    else:
        bad.append("local à louer, le porteur a un budget d’achat")
    if match.area_fit == 1:
        good.append("dans un quartier souhaité")
    elif match.area_fit == 2:
        good.append("tous les quartiers conviennent au porteur")
    else:
        bad.append("hors des quartiers souhaités")
    if match.window_fit is True:
        good.append("vitrine")
    elif match.window_fit is False:
        bad.append("sans vitrine, alors que le porteur en veut une")
    if match.access_fit is True:
        good.append("accès de plain-pied")
    elif match.access_fit is False:
        bad.append("sans accès de plain-pied, alors qu’il est demandé")
    if match.lease_fit is True:
        good.append("bail envisagé par le porteur")
    elif match.lease_fit is False:
        bad.append("bail que le porteur n’envisage pas")
    return good + bad
