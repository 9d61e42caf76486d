"""What became of the installed businesses: the town's dashboard and the national rollup.

Definitions (the dashboard's help text says the same):
- a business reaches its N-month anniversary on its opening date plus N calendar months
  (31 January + 1 month = 28 or 29 February), in the town's days (Europe/Paris);
- survival at N months: among the businesses whose N-month anniversary has come (opened
  at least N months ago), the share still open on that day, i.e. active in the directory
  or closed after the anniversary; the state is the last one the monthly check found;
- time from demand to opening: days from the demand's reception (its Paris date) to the
  opening date, for the businesses already open; its median.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from tenant_apps.installations.enums import BusinessState
from tenant_apps.installations.models import Business

SURVIVAL_MONTHS = (12, 24)


@dataclass(frozen=True)
class Survival:
    months: int
    eligible: int  # businesses opened at least `months` months ago
    survived: int  # of which still open `months` months after opening

    @property
    def rate(self):
        return round(100 * self.survived / self.eligible, 1) if self.eligible else None


@dataclass(frozen=True)
class BusinessFigures:
    recorded: int
    active: int
    closed: int
    survival: tuple  # one Survival per SURVIVAL_MONTHS
    opening_delays: list  # days from demand to opening, of the businesses already open
    median_days_to_opening: float | None

    @property
    def active_rate(self):
        return round(100 * self.active / self.recorded, 1) if self.recorded else None

    def survival_at(self, months):
        return next(s for s in self.survival if s.months == months)


def anniversary_sql(months):
    return f"(b.opened_on + interval '{int(months)} months')::date"


def business_figures(today=None):
    """The town's figures as of `today` (the town's date by default)."""
    today = today or timezone.localdate()
    survival_columns = ", ".join(
        f"count(*) FILTER (WHERE {anniversary_sql(m)} <= %(today)s), "
        f"count(*) FILTER (WHERE {anniversary_sql(m)} <= %(today)s AND ("
        f"b.state = %(active)s OR b.closed_on > {anniversary_sql(m)}))"
        for m in SURVIVAL_MONTHS
    )
    table = Business._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE b.state = %(active)s), {survival_columns} "
            f"FROM {table} b",
            {"today": today, "active": BusinessState.ACTIVE.value},
        )
        recorded, active, *pairs = cursor.fetchone()
        cursor.execute(
            f"SELECT b.opened_on - (d.created_at AT TIME ZONE %(tz)s)::date AS days "
            f"FROM {table} b JOIN demands_demand d ON d.id = b.demand_id "
            "WHERE b.opened_on <= %(today)s ORDER BY days",
            {"today": today, "tz": timezone.get_current_timezone_name()},
        )
        delays = [days for (days,) in cursor.fetchall()]
    survival = tuple(
        Survival(months, pairs[2 * i], pairs[2 * i + 1]) for i, months in enumerate(SURVIVAL_MONTHS)
    )
    return BusinessFigures(
        recorded=recorded,
        active=active,
        closed=recorded - active,
        survival=survival,
        opening_delays=delays,
        median_days_to_opening=median(delays),
    )


def median(values):
    """The median of sorted `values` (the mean of the middle two for an even count)."""
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def rolled_up():
    """This town's part of the national rollup (shared_apps.national.TownStats fields)."""
    figures = business_figures()
    twelve, twenty_four = (figures.survival_at(m) for m in SURVIVAL_MONTHS)
    return {
        "businesses_recorded": figures.recorded,
        "businesses_active": figures.active,
        "survival_12_eligible": twelve.eligible,
        "survival_12_survived": twelve.survived,
        "survival_24_eligible": twenty_four.eligible,
        "survival_24_survived": twenty_four.survived,
        "opening_delays": figures.opening_delays,
    }
