"""Tasks on a demand or a premises: added by editors (the demand's timeline says so,
never to the porteur), done and undone inline, changed, deleted after a confirmation,
refused to read-only staff and to another town; one subject exactly, in the database."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import DemandEvent
from tenant_apps.tasks.models import Task
from tests.conftest import client_for, logged_in_client
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(town_a):
    return MembershipFactory(
        territory=town_a, role=Role.AGENT, user__first_name="Léa", user__last_name="Martin"
    ).user


@pytest.fixture
def demand(town_a, in_town):
    with in_town(town_a):
        return DemandFactory(reference="TCH-2026-00001")


def in_days(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_an_agent_adds_a_task_to_a_demand(town_a, in_town, agent, demand):
    colleague = MembershipFactory(territory=town_a, role=Role.ADMIN, user__first_name="Hugo").user
    client = logged_in_client(town_a, agent)
    page = client.get(f"/gestion/demandes/{demand.reference}/").content.decode()
    assert 'action="/gestion/taches/demandes/TCH-2026-00001/"' in page
    response = client.post(
        f"/gestion/taches/demandes/{demand.reference}/",
        {
            "tache-title": "Rappeler après la visite",
            "tache-assignee": colleague.pk,
            "tache-due_on": in_days(3),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/demandes/{demand.reference}/#taches"
    with in_town(town_a):
        task = Task.objects.get()
        event = DemandEvent.objects.get(kind=EventKind.TASK_ADDED)
    assert (task.demand_id, task.premises_id, task.assignee, task.created_by) == (
        demand.pk,
        None,
        colleague,
        agent,
    )
    assert event.visible_to_applicant is False and event.user == agent
    assert "Rappeler après la visite" in event.message and "Hugo" in event.message
    page = client.get(f"/gestion/demandes/{demand.reference}/").content.decode()
    assert "Rappeler après la visite" in page
    with in_town(town_a):
        followup = demand.followup_path()
    assert "Rappeler après la visite" not in client_for(town_a).get(followup).content.decode()


def test_an_agent_adds_a_task_to_a_premises(town_a, in_town, agent):
    with in_town(town_a):
        premises = PremisesFactory()
    client = logged_in_client(town_a, agent)
    page = client.get(f"/gestion/locaux/{premises.pk}/").content.decode()
    assert f'action="/gestion/taches/locaux/{premises.pk}/"' in page
    response = client.post(
        f"/gestion/taches/locaux/{premises.pk}/",
        {
            "tache-title": "Relancer le propriétaire",
            "tache-assignee": agent.pk,
            "tache-due_on": in_days(0),
        },
    )
    assert response.status_code == 302
    with in_town(town_a):
        task = Task.objects.get()
    assert (task.premises_id, task.demand_id) == (premises.pk, None)
    assert (
        "Relancer le propriétaire" in client.get(f"/gestion/locaux/{premises.pk}/").content.decode()
    )


def test_mistakes_come_back_in_french_with_what_was_typed(town_a, in_town, agent, demand):
    client = logged_in_client(town_a, agent)
    response = client.post(
        f"/gestion/taches/demandes/{demand.reference}/",
        {
            "tache-title": "Préparer la visite",
            "tache-assignee": "999999",
            "tache-due_on": in_days(-1),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "L’échéance ne peut pas être passée" in page
    assert "Sélectionnez un choix valide" in page  # not a member of the team
    assert 'value="Préparer la visite"' in page
    assert f'value="{in_days(-1)}"' in page
    response = client.post(
        f"/gestion/taches/demandes/{demand.reference}/",
        {"tache-title": "   ", "tache-assignee": agent.pk, "tache-due_on": "31/02/2026"},
    )
    page = response.content.decode()
    assert "Ce champ est obligatoire" in page
    assert "Saisissez une date valide" in page
    with in_town(town_a):
        assert not Task.objects.exists()


def test_done_and_undone_inline_back_where_the_click_was(town_a, in_town, agent, demand):
    with in_town(town_a):
        task = TaskFactory(demand=demand, assignee=agent)
    client = logged_in_client(town_a, agent)
    response = client.post(
        f"/gestion/taches/{task.pk}/faite/", {"next": "/gestion/taches/?qui=equipe"}
    )
    assert response["Location"] == "/gestion/taches/?qui=equipe"
    with in_town(town_a):
        task.refresh_from_db()
        assert task.done_by == agent and task.done_at is not None
        done = DemandEvent.objects.get(kind=EventKind.TASK_DONE)
        assert done.message == task.title and not done.visible_to_applicant
    # Twice: nothing more in the history.
    client.post(f"/gestion/taches/{task.pk}/faite/")
    with in_town(town_a):
        assert DemandEvent.objects.filter(kind=EventKind.TASK_DONE).count() == 1
    response = client.post(f"/gestion/taches/{task.pk}/a-faire/", {"next": "https://evil.example/"})
    assert response["Location"] == "/gestion/taches/"  # never off the site
    with in_town(town_a):
        task.refresh_from_db()
    assert task.done_at is None and task.done_by is None


def test_editing_and_deleting(town_a, in_town, agent, demand):
    with in_town(town_a):
        task = TaskFactory(demand=demand, assignee=agent, title="Appeler")
        # An overdue task keeps its due date when only its title changes.
        Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    client = logged_in_client(town_a, agent)
    response = client.post(
        f"/gestion/taches/{task.pk}/modifier/",
        {
            "tache-title": "Appeler le porteur",
            "tache-assignee": agent.pk,
            "tache-due_on": in_days(-3),
        },
    )
    assert response.status_code == 302
    with in_town(town_a):
        assert Task.objects.get().title == "Appeler le porteur"
    url = f"/gestion/taches/{task.pk}/supprimer/"
    confirm = client.post(url)
    assert 'name="confirmation" value="oui"' in confirm.content.decode()
    with in_town(town_a):
        assert Task.objects.exists()
    client.post(url, {"confirmation": "oui"})
    with in_town(town_a):
        assert not Task.objects.exists()


def test_read_only_staff_see_tasks_but_change_nothing(town_a, in_town, demand):
    viewer = MembershipFactory(territory=town_a, role=Role.READ_ONLY).user
    with in_town(town_a):
        task = TaskFactory(demand=demand, title="Tâche visible")
    client = logged_in_client(town_a, viewer)
    page = client.get(f"/gestion/demandes/{demand.reference}/").content.decode()
    assert "Tâche visible" in page
    assert f"/gestion/taches/{task.pk}/faite/" not in page
    assert "/gestion/taches/demandes/" not in page
    for url, data in [
        (f"/gestion/taches/demandes/{demand.reference}/", {"tache-title": "x"}),
        (f"/gestion/taches/{task.pk}/faite/", {}),
        (f"/gestion/taches/{task.pk}/modifier/", {}),
        (f"/gestion/taches/{task.pk}/supprimer/", {"confirmation": "oui"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert client.get("/gestion/taches/").status_code == 200
    with in_town(town_a):
        assert Task.objects.get().done_at is None


def test_another_towns_tasks_are_out_of_reach(town_a, town_b, in_town, agent):
    with in_town(town_b):
        theirs = TaskFactory(pk=700_002, title="Secret de B")
    with in_town(town_a):
        mine = TaskFactory(title="Tâche de A", assignee=agent)
    client = logged_in_client(town_a, agent)
    assert client.post(f"/gestion/taches/{theirs.pk}/faite/").status_code == 404
    assert client.get(f"/gestion/taches/{theirs.pk}/modifier/").status_code == 404
    page = client.get("/gestion/taches/?qui=equipe").content.decode()
    assert "Tâche de A" in page and "Secret de B" not in page
    assert (
        logged_in_client(town_b, agent).post(f"/gestion/taches/{theirs.pk}/faite/").status_code
        == 403
    )
    with in_town(town_b):
        assert Task.objects.get(pk=theirs.pk).done_at is None
    assert mine.pk != theirs.pk


def test_a_task_is_on_a_demand_or_a_premises_never_both_nor_neither(town_a, in_town):
    with in_town(town_a):
        demand, premises = DemandFactory(), PremisesFactory()
        for subject in [{"demand": demand, "premises": premises}, {"demand": None}]:
            with pytest.raises(IntegrityError), transaction.atomic():
                TaskFactory(**subject)


def test_erasing_the_porteurs_data_empties_the_titles(town_a, in_town, demand):
    with in_town(town_a):
        task = TaskFactory(demand=demand, title="Rappeler Mme Secret")
        demand.erase()
        task.refresh_from_db()
    assert task.title == "(effacé)"


def test_an_erased_demand_takes_no_new_task(town_a, town_b, in_town, agent, demand):
    with in_town(town_a):
        demand.erase()
    with in_town(town_b):
        other = DemandFactory(reference="TCH-2026-00001")  # the same reference, not erased
    client = logged_in_client(town_a, agent)
    response = client.post(
        f"/gestion/taches/demandes/{demand.reference}/",
        {
            "tache-title": "Rappeler Mme Secret",
            "tache-assignee": agent.pk,
            "tache-due_on": in_days(1),
        },
        follow=True,
    )
    assert "aucune tâche ne peut plus y être ajoutée" in response.content.decode()
    with in_town(town_a):
        assert not Task.objects.exists()
    b_agent = MembershipFactory(territory=town_b, role=Role.AGENT).user
    response = logged_in_client(town_b, b_agent).post(
        f"/gestion/taches/demandes/{other.reference}/",
        {"tache-title": "Appeler", "tache-assignee": b_agent.pk, "tache-due_on": in_days(1)},
    )
    assert response.status_code == 302
    with in_town(town_b):
        assert Task.objects.filter(demand=other).count() == 1
