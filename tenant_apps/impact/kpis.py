"""The figures of a town's impact dashboard, computed in PostgreSQL for a period.

Demands are counted when they were received within the period; delays are measured on
the demands received within it (time to first contact: `first_contact_at - created_at`;
time to installation: from reception to the first change to « installé »); tension is a
snapshot of today (open demands ÷ available premises).

Proposals (put to the porteur by the team or a partner; a porteur's own interest is not
one): time to first proposal and proposals per demand on the demands received within the
period; answers and refusal reasons on the proposals made within it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Avg, Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from tenant_apps.demands.enums import (
    OPEN_STATUSES,
    ActivityCategory,
    DemandStatus,
    HeardFrom,
    Stage,
)
from tenant_apps.demands.models import Demand, Introduction
from tenant_apps.installations.figures import BusinessFigures, business_figures
from tenant_apps.premises.enums import PremisesKind, PremisesState
from tenant_apps.premises.models import (
    Area,
    CatalogueViewCount,
    Premises,
    PremisesStateChange,
)
from tenant_apps.proposals.enums import Answer, Origin, RefusalReason
from tenant_apps.proposals.models import Proposal

FUNNEL = [
    DemandStatus.NEW,
    DemandStatus.QUALIFIED,
    DemandStatus.SEARCHING,
    DemandStatus.PROPOSALS,
    DemandStatus.VISIT,
    DemandStatus.PREMISES_FOUND,
    DemandStatus.INSTALLED,
]
MONTHS_FR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def start_at(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self):
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def months(self):
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = (month + timedelta(days=32)).replace(day=1)

    @classmethod
    def last_months(cls, count, today=None):
        today = today or timezone.localdate()
        start = today.replace(day=1)
        for _ in range(count - 1):
            start = (start - timedelta(days=1)).replace(day=1)
        return cls(start, today)


def month_label(month):
    return f"{MONTHS_FR[month.month - 1]} {month.year}"


@dataclass
class Row:
    label: str
    value: float | None
    extra: dict = field(default_factory=dict)


@dataclass
class Delays:
    count: int
    median: float | None
    p75: float | None


@dataclass
class Dashboard:
    period: Period
    total: int
    per_month: list
    by_category: list
    by_area: list
    by_status: list
    by_stage: list
    by_heard_from: list
    funnel: list
    first_contact: Delays
    installation: Delays
    trend: list
    tension_by_area: list
    tension_by_kind: list
    responsiveness: list
    premises_by_state: list
    vacancy: Delays
    first_proposal: Delays
    proposals: "ProposalFigures"
    refusals_by_kind: list
    refusals_by_size: list
    refusals_by_price: list
    catalogue: "Audience"
    # Whatever the period: every business recorded so far (installations.figures).
    businesses: BusinessFigures


@dataclass
class Audience:
    views: int  # visits of the catalogue's premises pages in the period
    interests: int  # « ce local m'intéresse » in the period
    by_premises: list  # the most seen premises: value = views, extra = interests


@dataclass
class ProposalFigures:
    demands_proposed: int  # demands received in the period that got at least one
    per_demand: float | None  # the mean over those demands
    proposed: int  # proposals made in the period
    answered: int
    interested: int
    declined: int

    @property
    def answer_rate(self):
        return percent(self.answered, self.proposed)


def in_period(period):
    return Demand.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_at)


def counted(queryset, field_name, choices):
    counts = dict(queryset.values_list(field_name).annotate(n=Count("pk")).order_by())
    return [Row(label, counts.get(value, 0)) for value, label in choices]


def per_month(period):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', created_at AT TIME ZONE %s)::date, count(*) "
            "FROM demands_demand WHERE created_at >= %s AND created_at < %s "
            "AND merged_into_id IS NULL GROUP BY 1",
            [timezone.get_current_timezone_name(), period.start_at, period.end_at],
        )
        counts = dict(cursor.fetchall())
    return [Row(month_label(m), counts.get(m, 0), {"month": m}) for m in period.months()]


def by_area(period):
    demands = in_period(period)
    counts = dict(
        demands.filter(areas__isnull=False).values_list("areas").annotate(n=Count("pk")).order_by()
    )
    rows = [Row(area.name, counts.get(area.pk, 0)) for area in Area.objects.all()]
    rows.append(Row("Tous quartiers (aucun choisi)", demands.filter(areas__isnull=True).count()))
    return rows


def funnel(period):
    """Demands received in the period that reached each step (a demand that skipped a step,
    e.g. qualified straight to proposals, counts as having passed it)."""
    ranks = " ".join(f"WHEN '{status.value}' THEN {rank}" for rank, status in enumerate(FUNNEL))
    sql = f"""
        SELECT reached, count(*) FROM (
            SELECT d.id, greatest(
                CASE d.status {ranks} ELSE 0 END,
                COALESCE(max(CASE e.to_status {ranks} ELSE 0 END), 0)) AS reached
            FROM demands_demand d
            LEFT JOIN demands_demandevent e ON e.demand_id = d.id AND e.to_status <> ''
            WHERE d.created_at >= %s AND d.created_at < %s AND d.merged_into_id IS NULL
            GROUP BY d.id
        ) AS steps GROUP BY reached
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.start_at, period.end_at])
        at_rank = dict(cursor.fetchall())
    rows, first, previous = [], None, None
    for rank, status in enumerate(FUNNEL):
        count = sum(n for r, n in at_rank.items() if r >= rank)
        first = count if first is None else first
        rows.append(
            Row(
                status.label,
                count,
                {
                    "from_previous": percent(count, previous) if previous is not None else None,
                    "from_first": percent(count, first),
                },
            )
        )
        previous = count
    return rows


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


# Overall (month IS NULL) and per month of reception, in one pass.
DELAYS_SQL = """
    WITH delays AS ({select})
    SELECT month, count(*),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY days)
    FROM delays GROUP BY GROUPING SETS ((month), ())
"""
FIRST_CONTACT = """
    SELECT date_trunc('month', d.created_at AT TIME ZONE %(tz)s)::date AS month,
           extract(epoch FROM d.first_contact_at - d.created_at) / 86400 AS days
    FROM demands_demand d
    WHERE d.first_contact_at IS NOT NULL AND d.created_at >= %(start)s AND d.created_at < %(end)s
      AND d.merged_into_id IS NULL
"""
# The first change to « installé »; an installed demand with no such event (imported or
# older data) counts from its last status change.
INSTALLATION = """
    SELECT date_trunc('month', d.created_at AT TIME ZONE %(tz)s)::date AS month,
           extract(epoch FROM COALESCE(min(e.created_at), d.status_changed_at) - d.created_at)
               / 86400 AS days
    FROM demands_demand d
    LEFT JOIN demands_demandevent e ON e.demand_id = d.id AND e.to_status = 'installed'
    WHERE d.created_at >= %(start)s AND d.created_at < %(end)s AND d.merged_into_id IS NULL
    GROUP BY d.id
    HAVING count(e.id) > 0 OR d.status = 'installed'
"""


# Days from reception to the first proposal put to the porteur.
FIRST_PROPOSAL = f"""
    SELECT date_trunc('month', d.created_at AT TIME ZONE %(tz)s)::date AS month,
           extract(epoch FROM min(p.created_at) - d.created_at) / 86400 AS days
    FROM demands_demand d
    JOIN proposals_proposal p ON p.demand_id = d.id AND p.origin <> '{Origin.INTEREST.value}'
    WHERE d.created_at >= %(start)s AND d.created_at < %(end)s
    GROUP BY d.id
"""


def delay_params(period):
    return {
        "tz": timezone.get_current_timezone_name(),
        "start": period.start_at,
        "end": period.end_at,
    }


def delays(select, period):
    """(Delays over the period, {month: median})."""
    with connection.cursor() as cursor:
        cursor.execute(DELAYS_SQL.format(select=select), delay_params(period))
        rows = cursor.fetchall()
    overall = next((row for row in rows if row[0] is None), (None, 0, None, None))
    by_month = {month: rounded(median) for month, _, median, _ in rows if month is not None}
    return Delays(overall[1], rounded(overall[2]), rounded(overall[3])), by_month


def rounded(days):
    return None if days is None else round(float(days), 1)


def trend(period, contact_by_month, installation_by_month):
    """Per month of reception: the median time to first contact and to installation."""
    return [
        Row(
            month_label(month),
            contact_by_month.get(month),
            {"installation": installation_by_month.get(month), "month": month},
        )
        for month in period.months()
    ]


def ratio(demands, premises):
    return round(demands / premises, 1) if premises else None


def tension_by_area():
    open_demands = Demand.objects.filter(status__in=OPEN_STATUSES)
    demands = dict(
        open_demands.filter(areas__isnull=False)
        .values_list("areas")
        .annotate(n=Count("pk"))
        .order_by()
    )
    premises = dict(
        Premises.objects.available()
        .filter(area__isnull=False)
        .values_list("area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        Row(
            area.name,
            ratio(demands.get(area.pk, 0), premises.get(area.pk, 0)),
            {"demands": demands.get(area.pk, 0), "premises": premises.get(area.pk, 0)},
        )
        for area in Area.objects.all()
    ]


def tension_by_kind():
    demands = dict(
        Demand.objects.filter(status__in=OPEN_STATUSES)
        .values_list("premises_kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    premises = dict(
        Premises.objects.available().values_list("kind").annotate(n=Count("pk")).order_by()
    )
    return [
        Row(
            label,
            ratio(demands.get(kind, 0), premises.get(kind, 0)),
            {"demands": demands.get(kind, 0), "premises": premises.get(kind, 0)},
        )
        for kind, label in PremisesKind.choices
    ]


def responsiveness(period):
    """Per partner: alerts sent in the period, how many answered and how fast (network's
    alerts), and the introductions made to it."""
    from shared_apps.partners.models import Partner

    intros = dict(
        Introduction.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_at)
        .values_list("partner")
        .annotate(n=Count("pk"))
        .order_by()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT partner_id, count(*), count(answered_at),
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY extract(epoch FROM answered_at - sent_at) / 3600),
                   count(*) FILTER (WHERE answer = 'maybe')
            FROM network_alert
            WHERE sent_at >= %s AND sent_at < %s
            GROUP BY partner_id
            """,
            [period.start_at, period.end_at],
        )
        alerts = {row[0]: row[1:] for row in cursor.fetchall()}
    names = dict(Partner.objects.filter(pk__in=set(alerts) | set(intros)).values_list("pk", "name"))
    rows = []
    for pk, name in sorted(names.items(), key=lambda item: item[1]):
        sent, answered, median_hours, maybe = alerts.get(pk, (0, 0, None, 0))
        rows.append(
            Row(
                name,
                percent(answered, sent),
                {
                    "alerts": sent,
                    "answered": answered,
                    "median_hours": rounded(median_hours),
                    "maybe": maybe,
                    "introductions": intros.get(pk, 0),
                },
            )
        )
    rows.sort(key=lambda row: (-(row.extra["alerts"] + row.extra["introductions"]), row.label))
    return rows


def premises_by_state():
    counts = dict(Premises.objects.values_list("state").annotate(n=Count("pk")).order_by())
    return [Row(label, counts.get(value, 0)) for value, label in PremisesState.choices]


def vacancy(period):
    """How long the premises let or sold in the period had stayed empty (days)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY vacancy_days),
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY vacancy_days)
            FROM {PremisesStateChange._meta.db_table}
            WHERE vacancy_days IS NOT NULL AND changed_at >= %s AND changed_at < %s
            """,
            [period.start_at, period.end_at],
        )
        count, median, p75 = cursor.fetchone()
    return Delays(count, rounded(median), rounded(p75))


def proposal_figures(period):
    per_demand = (
        in_period(period)
        .annotate(n=Count("proposals", filter=~Q(proposals__origin=Origin.INTEREST)))
        .filter(n__gt=0)
        .aggregate(demands=Count("pk"), mean=Avg("n"))
    )
    made = Proposal.objects.proposed().filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    )
    answers = made.aggregate(
        proposed=Count("pk"),
        answered=Count("pk", filter=~Q(answer=Answer.PENDING)),
        interested=Count("pk", filter=Q(answer=Answer.INTERESTED)),
        declined=Count("pk", filter=Q(answer=Answer.DECLINED)),
    )
    return ProposalFigures(
        demands_proposed=per_demand["demands"],
        per_demand=rounded(per_demand["mean"]),
        **answers,
    )


# Bands of surface (m²) and of monthly rent (€): (upper bound excluded, label).
SIZE_BANDS = [(50, "Moins de 50 m²"), (100, "50 à 99 m²"), (200, "100 à 199 m²")]
SIZE_TOP = "200 m² et plus"
RENT_BANDS = [
    (800, "Loyer de moins de 800 €"),
    (1500, "Loyer de 800 à 1 499 €"),
    (3000, "Loyer de 1 500 à 2 999 €"),
]
RENT_TOP = "Loyer de 3 000 € et plus"
FOR_SALE = "À la vente"
NO_PRICE = "Prix non renseigné"


def banded(field_name, bounds):
    """The index of the band a value falls in (len(bounds) for the top one)."""
    return Case(
        *[
            When(**{f"{field_name}__lt": bound}, then=Value(i))
            for i, (bound, _) in enumerate(bounds)
        ],
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )


def refusals(period):
    """The shape of the mismatch: proposals made in the period that the porteur declined,
    per reason, by premises kind, by size band and by price band. Each row's value is the
    number declined; `extra` holds the count per reason."""
    declined = (
        Proposal.objects.proposed()
        .declined()
        .filter(created_at__gte=period.start_at, created_at__lt=period.end_at)
        .annotate(
            size_band=banded("premises__surface", SIZE_BANDS),
            rent_band=banded("premises__monthly_rent", RENT_BANDS),
        )
        .values_list(
            "premises__kind",
            "size_band",
            "premises__monthly_rent",
            "rent_band",
            "premises__sale_price",
            "reason",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    size_labels = [label for _, label in SIZE_BANDS] + [SIZE_TOP]
    price_labels = [label for _, label in RENT_BANDS] + [RENT_TOP, FOR_SALE, NO_PRICE]
    tallies = {
        "kind": {label: {} for _, label in PremisesKind.choices},
        "size": {label: {} for label in size_labels},
        "price": {label: {} for label in price_labels},
    }
    kinds = dict(PremisesKind.choices)
    for kind, size_band, rent, rent_band, sale_price, reason, n in declined:
        if rent is not None:
            price = price_labels[rent_band]
        else:
            price = FOR_SALE if sale_price is not None else NO_PRICE
        for dimension, label in (
            ("kind", kinds.get(kind, kind)),
            ("size", size_labels[size_band]),
            ("price", price),
        ):
            reasons = tallies[dimension].setdefault(label, {})
            reasons[reason] = reasons.get(reason, 0) + n
    return {
        dimension: [
            Row(
                label,
                sum(reasons.values()),
                {
                    "reasons": [
                        (label, reasons.get(value, 0)) for value, label in RefusalReason.choices
                    ],
                },
            )
            for label, reasons in rows.items()
        ]
        for dimension, rows in tallies.items()
    }


MOST_SEEN = 20


def audience(period):
    """Catalogue views and porteurs' interests per premises, over the period."""
    views = dict(
        CatalogueViewCount.objects.filter(day__gte=period.start, day__lte=period.end)
        .values_list("premises")
        .annotate(n=Sum("count"))
        .order_by()
    )
    interests = dict(
        Proposal.objects.filter(
            origin=Origin.INTEREST, created_at__gte=period.start_at, created_at__lt=period.end_at
        )
        .values_list("premises")
        .annotate(n=Count("pk"))
        .order_by()
    )
    seen = sorted(
        set(views) | set(interests),
        key=lambda pk: (-views.get(pk, 0), -interests.get(pk, 0), pk),
    )[:MOST_SEEN]
    addresses = dict(Premises.objects.filter(pk__in=seen).values_list("pk", "address"))
    return Audience(
        views=sum(views.values()),
        interests=sum(interests.values()),
        by_premises=[
            Row(addresses[pk], views.get(pk, 0), {"interests": interests.get(pk, 0), "pk": pk})
            for pk in seen
        ],
    )


def dashboard(period):
    demands = in_period(period)
    partners = responsiveness(period)
    first_contact, contact_by_month = delays(FIRST_CONTACT, period)
    installation, installation_by_month = delays(INSTALLATION, period)
    mismatch = refusals(period)
    return Dashboard(
        period=period,
        total=demands.count(),
        per_month=per_month(period),
        by_category=counted(demands, "activity_category", ActivityCategory.choices),
        by_area=by_area(period),
        by_status=counted(demands, "status", DemandStatus.choices),
        by_stage=counted(demands, "stage", Stage.choices),
        by_heard_from=counted(demands, "heard_from", [*HeardFrom.choices, ("", "Non précisé")]),
        funnel=funnel(period),
        first_contact=first_contact,
        installation=installation,
        trend=trend(period, contact_by_month, installation_by_month),
        tension_by_area=tension_by_area(),
        tension_by_kind=tension_by_kind(),
        responsiveness=partners,
        premises_by_state=premises_by_state(),
        vacancy=vacancy(period),
        first_proposal=delays(FIRST_PROPOSAL, period)[0],
        proposals=proposal_figures(period),
        refusals_by_kind=mismatch["kind"],
        refusals_by_size=mismatch["size"],
        refusals_by_price=mismatch["price"],
        catalogue=audience(period),
        businesses=business_figures(),
    )
