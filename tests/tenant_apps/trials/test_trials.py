"""Trials: a selected application starts its trial (dates, rent month by month, the
milestones as the team's tasks, the premises let); staff can start one by hand; the
outcome sets the premises' next state after a confirmation; another town's trial is not
there."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.calls.enums import CallKind, Decision
from tenant_apps.calls.signals import application_decided
from tenant_apps.premises.enums import PremisesState
from tenant_apps.premises.models import Premises
from tenant_apps.tasks.models import Task
from tenant_apps.trials.models import Trial, add_months
from tenant_apps.trials.services import first_of_next_month
from tests.conftest import logged_in_client
from tests.factories import DemandFactory, MembershipFactory
from tests.tenant_apps.calls.factories import ApplicationFactory, CallFactory
from tests.tenant_apps.trials.factories import selected

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def agent(town_a):
    return MembershipFactory(territory=town_a, role=Role.AGENT).user


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


def test_a_selected_application_starts_its_trial_with_its_milestones_as_tasks(
    town_a, in_town, agent
):
    with in_town(town_a):
        call = CallFactory(created_by=agent)
        application = selected(call=call)
        # The jury may record the same decision twice: one trial.
        application_decided.send(sender=type(application), application=application)
        trial = Trial.objects.get()
        tasks = list(Task.objects.order_by("due_on"))
        premises = Premises.objects.get(pk=call.premises_id)
    start = first_of_next_month(timezone.localdate())
    assert trial.application_id == application.pk
    assert (trial.starts_on, trial.ends_on) == (start, add_months(start, 6) - DAY)
    assert trial.rent_schedule == [300, 300, 500, 500, 800, 800]
    rows = trial.rent_rows()
    assert rows[0] == (1, start, add_months(start, 1) - DAY, 300)
    assert rows[-1][2] == trial.ends_on
    assert [task.due_on for task in tasks] == [add_months(start, n) for n in (1, 3, 6, 12)]
    assert {task.premises_id for task in tasks} == {call.premises_id}
    assert {task.assignee for task in tasks} == {agent}
    assert tasks[0].title == "Boutique à l’essai — point du 1er mois"
    assert premises.state == PremisesState.LET


def test_the_milestones_go_on_the_porteurs_demand_when_they_applied_from_it(town_a, in_town):
    with in_town(town_a):
        demand = DemandFactory()
        selected(demand=demand)
        assert Task.objects.filter(demand=demand).count() == 4
        assert not Task.objects.filter(premises__isnull=False).exists()


def test_a_declined_or_waiting_application_starts_nothing(town_a, in_town):
    with in_town(town_a):
        for decision in (Decision.WAITING, Decision.DECLINED):
            application = ApplicationFactory(decision=decision, decision_reason="Complet")
            application_decided.send(sender=type(application), application=application)
        assert not Trial.objects.exists()
        assert not Task.objects.exists()


def test_a_pop_up_trial_takes_the_pop_up_dates(town_a, in_town):
    with in_town(town_a):
        call = CallFactory(
            kind=CallKind.POP_UP, starts_on=date(2027, 11, 20), ends_on=date(2027, 12, 31)
        )
        trial = selected(call=call).trial
    assert (trial.starts_on, trial.ends_on) == (date(2027, 11, 20), date(2027, 12, 31))
    assert trial.rent_rows()[-1][2] == date(2027, 12, 31)


def test_an_agent_starts_a_trial_by_hand_and_a_bad_date_is_explained(town_a, in_town, agent):
    with in_town(town_a):
        call = CallFactory(created_by=agent)
        application = ApplicationFactory(call=call, decision=Decision.SELECTED)
        ApplicationFactory(call=call, decision=Decision.WAITING)
    client = logged_in_client(town_a, agent)
    page = client.get(f"/gestion/appels/{call.pk}/").content.decode()
    assert f"/gestion/essais/appel/{call.pk}/demarrer/" in page
    form = client.get(f"/gestion/essais/appel/{call.pk}/demarrer/").content.decode()
    assert application.name in form

    bad = client.post(
        f"/gestion/essais/appel/{call.pk}/demarrer/",
        {"application": application.pk, "starts_on": "31/02/2027", "assignee": agent.pk},
    )
    assert bad.status_code == 400
    assert "Cette date n’est pas valide" in bad.content.decode()
    with in_town(town_a):
        assert not Trial.objects.exists()

    response = client.post(
        f"/gestion/essais/appel/{call.pk}/demarrer/",
        {"application": application.pk, "starts_on": "2027-03-01", "assignee": agent.pk},
    )
    with in_town(town_a):
        trial = Trial.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/gestion/essais/{trial.pk}/"
    assert (trial.starts_on, trial.ends_on) == (date(2027, 3, 1), date(2027, 8, 31))
    page = client.get(f"/gestion/essais/{trial.pk}/").content.decode()
    assert "du 01/08/2027 au 31/08/2027" in page and "Point des 12 mois" in page


def test_only_a_selected_application_can_start_a_trial(town_a, in_town, agent):
    with in_town(town_a):
        call = CallFactory()
        ApplicationFactory(call=call, decision=Decision.SELECTED)
        waiting = ApplicationFactory(call=call, decision=Decision.WAITING)
    response = logged_in_client(town_a, agent).post(
        f"/gestion/essais/appel/{call.pk}/demarrer/",
        {"application": waiting.pk, "starts_on": "2027-03-01", "assignee": agent.pk},
    )
    assert response.status_code == 400
    assert "Choisissez une des candidatures retenues" in response.content.decode()
    with in_town(town_a):
        assert not Trial.objects.exists()


def test_read_only_staff_read_the_trial_but_change_nothing(town_a, in_town):
    reader = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        trial = selected().trial
        milestone = trial.milestones.first()
    client = logged_in_client(town_a, reader)
    assert client.get(f"/gestion/essais/{trial.pk}/").status_code == 200
    assert (
        client.post(
            f"/gestion/essais/{trial.pk}/issue/", {"outcome": "stops", "confirmation": "oui"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/gestion/essais/{trial.pk}/points/{milestone.pk}/",
            {f"point-{milestone.pk}-note": "x"},
        ).status_code
        == 403
    )
    with in_town(town_a):
        trial.refresh_from_db()
    assert trial.outcome == ""


def test_a_milestone_keeps_its_notes(town_a, in_town, agent):
    with in_town(town_a):
        trial = selected().trial
        milestone = trial.milestones.first()
    response = logged_in_client(town_a, agent).post(
        f"/gestion/essais/{trial.pk}/points/{milestone.pk}/",
        {f"point-{milestone.pk}-note": "Chiffre d’affaires au-dessus du prévisionnel."},
    )
    assert response.status_code == 302
    with in_town(town_a):
        milestone.refresh_from_db()
    assert milestone.note == "Chiffre d’affaires au-dessus du prévisionnel."


def test_the_outcome_is_confirmed_then_sets_the_premises_next_state(town_a, in_town, agent):
    with in_town(town_a):
        stays, stops = selected().trial, selected().trial
        stops.milestones.get(months=1).task.mark_done(by=agent)
    client = logged_in_client(town_a, agent)

    asked = client.post(f"/gestion/essais/{stops.pk}/issue/", {"outcome": "stops", "note": "Santé"})
    assert asked.status_code == 200 and "Oui, noter l’issue" in asked.content.decode()
    with in_town(town_a):
        assert Trial.objects.get(pk=stops.pk).outcome == ""

    client.post(
        f"/gestion/essais/{stops.pk}/issue/",
        {"outcome": "stops", "note": "Santé", "confirmation": "oui"},
    )
    client.post(f"/gestion/essais/{stays.pk}/issue/", {"outcome": "stays", "confirmation": "oui"})
    with in_town(town_a):
        stops.refresh_from_db()
        assert (stops.outcome, stops.outcome_note, stops.outcome_by) == ("stops", "Santé", agent)
        assert Premises.objects.get(pk=stops.premises_id).state == PremisesState.VACANT
        assert Premises.objects.get(pk=stays.premises_id).state == PremisesState.LET
        # The porteur who stopped has no more meetings; the one done stays in the history.
        tasks = Task.objects.filter(premises=stops.premises_id)
        assert [task.is_done for task in tasks] == [True]
        assert Task.objects.filter(premises=stays.premises_id).count() == 4

    again = client.post(
        f"/gestion/essais/{stops.pk}/issue/", {"outcome": "stays", "confirmation": "oui"}
    )
    with in_town(town_a):
        assert Trial.objects.get(pk=stops.pk).outcome == "stops"
    assert again.status_code == 302


def test_a_missing_outcome_is_explained_in_french(town_a, in_town, agent):
    with in_town(town_a):
        trial = selected().trial
    response = logged_in_client(town_a, agent).post(
        f"/gestion/essais/{trial.pk}/issue/", {"note": "gardé"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez l’issue de l’essai." in page and "gardé" in page


def test_another_towns_trial_is_not_there(town_a, town_b, in_town):
    admin_a = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    with in_town(town_b):
        trial = selected(name="Secret de B").trial
    client = logged_in_client(town_a, admin_a)
    assert client.get(f"/gestion/essais/{trial.pk}/").status_code == 404
    assert "Secret de B" not in client.get("/gestion/essais/").content.decode()
    assert (
        client.post(
            f"/gestion/essais/{trial.pk}/issue/", {"outcome": "stops", "confirmation": "oui"}
        ).status_code
        == 404
    )
    with in_town(town_b):
        assert Trial.objects.get().outcome == ""


def test_a_shared_shop_stays_let_while_another_trial_runs_there(town_a, in_town):
    with in_town(town_a):
        call = CallFactory(kind=CallKind.SHARED, places=2)
        first, second = selected(call=call).trial, selected(call=call).trial
        first.record_outcome("stops")
        assert Premises.objects.get(pk=call.premises_id).state == PremisesState.LET
        second.record_outcome("moves")
        assert Premises.objects.get(pk=call.premises_id).state == PremisesState.VACANT
