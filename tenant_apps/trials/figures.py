"""Closing figures of the calls and their trials: the town's dashboard and the national
rollup.

Definitions (the dashboard's help text says the same):
- a call's applications: every application received, whatever its decision;
- time to decision: days from the call's deadline to its last recorded decision, for the
  calls marked decided;
- the jurors' agreement: not computed here. The jury app answers the `call_agreement`
  signal below with {call id: agreement in %}; without it the column shows « — »;
- a trial's outcome, at its end: stays with a commercial lease, moves elsewhere in town,
  stops; a year after its end, for the porteurs who carried on (stayed or moved): still
  in business or not, as the team recorded it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q
from django.dispatch import Signal
from django.utils import timezone

from tenant_apps.calls.enums import PUBLIC_STATUSES, CallStatus
from tenant_apps.calls.models import Call
from tenant_apps.trials.enums import AYearLater, Outcome
from tenant_apps.trials.models import Trial, add_months

# Sent with `calls` (a list of Call); each receiver returns {call id: agreement in %}.
call_agreement = Signal()


@dataclass
class CallRow:
    call: Call
    applications: int
    selected: int
    days_to_decision: int | None
    agreement: float | None = None


@dataclass
class TrialFigures:
    running: int = 0
    ended: int = 0
    by_outcome: dict = field(default_factory=dict)  # Outcome → count
    # Of the trials that carried on (stayed or moved) and ended a year ago or more.
    year_on_eligible: int = 0
    year_on_active: int = 0
    year_on_closed: int = 0

    @property
    def outcome_rows(self):
        return [(outcome.label, self.by_outcome.get(outcome, 0)) for outcome in Outcome]

    @property
    def year_on_unknown(self):
        return self.year_on_eligible - self.year_on_active - self.year_on_closed

    @property
    def carried_on_rate(self):
        carried = self.by_outcome.get(Outcome.STAYS, 0) + self.by_outcome.get(Outcome.MOVES, 0)
        return round(100 * carried / self.ended, 1) if self.ended else None


def call_rows():
    """The town's published calls, the latest deadline first, with their figures."""
    calls = list(
        Call.objects.filter(status__in=PUBLIC_STATUSES)
        .annotate(
            application_count=Count("applications"),
            selected_count=Count("applications", filter=Q(applications__decision="selected")),
            last_decision=Max("applications__decided_at"),
        )
        .order_by("-deadline", "-pk")
    )
    agreement = {}
    for _, answer in call_agreement.send(sender=Call, calls=calls):
        agreement.update(answer or {})
    rows = []
    for call in calls:
        days = None
        if call.status == CallStatus.DECIDED and call.last_decision:
            days = max((call.last_decision - call.deadline).days, 0)
        rows.append(
            CallRow(call, call.application_count, call.selected_count, days, agreement.get(call.pk))
        )
    return rows


def trial_figures(today=None):
    today = today or timezone.localdate()
    figures = TrialFigures()
    for outcome, ends_on, a_year_later in Trial.objects.values_list(
        "outcome", "ends_on", "a_year_later"
    ):
        if not outcome:
            figures.running += 1
            continue
        figures.ended += 1
        figures.by_outcome[outcome] = figures.by_outcome.get(outcome, 0) + 1
        if outcome != Outcome.STOPS and add_months(ends_on, 12) <= today:
            figures.year_on_eligible += 1
            figures.year_on_active += a_year_later == AYearLater.ACTIVE
            figures.year_on_closed += a_year_later == AYearLater.CLOSED
    return figures


def median(values):
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def rolled_up(today: date | None = None):
    """This town's part of the national rollup (shared_apps.national.TownStats fields)."""
    rows = call_rows()
    trials = trial_figures(today)
    return {
        "calls_published": len(rows),
        "call_applications": sum(row.applications for row in rows),
        "call_decision_delays": [
            row.days_to_decision for row in rows if row.days_to_decision is not None
        ],
        "trials_running": trials.running,
        "trials_stayed": trials.by_outcome.get(Outcome.STAYS, 0),
        "trials_moved": trials.by_outcome.get(Outcome.MOVES, 0),
        "trials_stopped": trials.by_outcome.get(Outcome.STOPS, 0),
        "trials_year_on_eligible": trials.year_on_eligible,
        "trials_year_on_active": trials.year_on_active,
    }
