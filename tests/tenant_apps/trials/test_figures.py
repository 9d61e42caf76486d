"""Closing figures: each call's applications and time from deadline to decision (and the
jurors' agreement when the jury app answers the hook), what became of the trials at their
end and a year later; on the town's dashboard (not another town's calls) and rolled up
nationally (one median over every decided call)."""

from datetime import date, timedelta

import django_rq
import pytest
from django.utils import timezone
from rq import SimpleWorker

from shared_apps.accounts.enums import Role
from shared_apps.national.models import TownStats
from tenant_apps.calls.enums import CallStatus, Decision
from tenant_apps.trials.figures import call_agreement, call_rows, trial_figures
from tenants.jobs import for_each_town
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.trials.factories import selected

pytestmark = pytest.mark.django_db


def decided_call(days_to_decision, applications=2, **fields):
    deadline = timezone.now() - timedelta(days=60)
    call = CallFactory(deadline=deadline, status=CallStatus.DECIDED, **fields)
    for number in range(applications):
        ApplicationFactory(
            call=call,
            decision=Decision.SELECTED if number == 0 else Decision.WAITING,
            decided_at=deadline + timedelta(days=days_to_decision, hours=number),
        )
    return call


def ended(outcome, ends_on, a_year_later=""):
    trial = selected().trial
    trial.starts_on, trial.ends_on = ends_on - timedelta(days=180), ends_on
    trial.a_year_later = a_year_later
    trial.save()
    trial.record_outcome(outcome)
    return trial


def test_each_call_has_its_applications_and_time_to_decision(town_a, in_town):
    with in_town(town_a):
        decided = decided_call(12, applications=3, title="Décidé")
        CallFactory(title="Ouvert")
        CallFactory(title="Brouillon", draft=True)
        rows = {row.call.title: row for row in call_rows()}
    assert set(rows) == {"Décidé", "Ouvert"}
    assert (rows["Décidé"].applications, rows["Décidé"].selected) == (3, 1)
    assert rows["Décidé"].days_to_decision == 12
    assert rows["Ouvert"].days_to_decision is None and rows["Décidé"].agreement is None
    assert decided.pk in {row.call.pk for row in rows.values()}


def test_the_jury_app_adds_the_jurors_agreement_through_the_hook(town_a, in_town):
    def agreement(sender, calls, **kwargs):
        return {call.pk: 80.0 for call in calls}

    call_agreement.connect(agreement, dispatch_uid="test.agreement")
    try:
        with in_town(town_a):
            decided_call(5)
            assert [row.agreement for row in call_rows()] == [80.0]
    finally:
        call_agreement.disconnect(dispatch_uid="test.agreement")


def test_what_became_of_the_trials_at_their_end_and_a_year_later(town_a, in_town):
    today = timezone.localdate()
    long_ago, recently = today - timedelta(days=400), today - timedelta(days=30)
    with in_town(town_a):
        selected()  # running
        ended("stays", long_ago, "active")
        ended("moves", long_ago, "closed")
        ended("stays", long_ago)  # not recorded yet
        ended("stays", recently)  # a year has not passed
        ended("stops", long_ago)
        figures = trial_figures()
    assert (figures.running, figures.ended) == (1, 5)
    assert dict(figures.outcome_rows) == {
        "Reste, avec un bail commercial": 3,
        "S’installe ailleurs en ville": 1,
        "Arrête son activité": 1,
    }
    assert figures.carried_on_rate == 80.0
    assert (figures.year_on_eligible, figures.year_on_active, figures.year_on_closed) == (3, 1, 1)
    assert figures.year_on_unknown == 1


def test_the_dashboard_shows_the_towns_calls_only(town_a, town_b, in_town):
    staff = logged_in_client(town_a, MembershipFactory(territory=town_a, role=Role.AGENT).user)
    with in_town(town_a):
        decided_call(9, title="Boutique à l’essai du Marché")
    with in_town(town_b):
        decided_call(9, title="Appel secret de B")
    page = staff.get("/gestion/tableau-de-bord/").content.decode()
    assert "Boutique à l’essai du Marché" in page and "9 j" in page
    assert "Appel secret de B" not in page
    assert "De la date limite à la décision" in page


def test_the_rollup_adds_up_the_towns_calls_and_trials(town_a, town_b, in_town):
    with in_town(town_a):
        decided_call(10)
        decided_call(20)
        ended("stays", date(2020, 1, 31), "active")
    with in_town(town_b):
        decided_call(90, applications=4)
        ended("stops", date(2020, 1, 31))

    for_each_town("shared_apps.national.tasks.roll_up_town")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    a, b = TownStats.objects.get(territory=town_a), TownStats.objects.get(territory=town_b)
    assert (a.calls_published, a.call_applications, sorted(a.call_decision_delays)) == (
        3,
        5,
        [10, 20],
    )
    assert (a.trials_stayed, a.trials_year_on_eligible, a.trials_year_on_active) == (1, 1, 1)
    assert (b.calls_published, b.trials_stopped, b.call_decision_delays) == (2, 1, [90])
    totals = TownStats.objects.filter(territory__in=[town_a, town_b]).trial_totals()
    assert (totals["calls"], totals["ended"], totals["carried_on"]) == (5, 2, 50.0)
    # Every decided call's delay: 10, 20, 90 → 20 (the mean of the towns' medians is 52.5).
    assert totals["median_days_to_decision"] == 20.0
    assert totals["year_on"] == 100.0
