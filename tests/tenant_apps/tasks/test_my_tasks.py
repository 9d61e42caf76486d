"""« Mes tâches »: open tasks grouped overdue / today / this week / later, on the town's
calendar (Europe/Paris), mine or the whole team's."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from shared_apps.accounts.enums import Role
from tenant_apps.tasks.models import Task
from tenant_apps.tasks.services import group_open_tasks, overdue_tasks
from tests.conftest import logged_in_client
from tests.factories import MembershipFactory, TaskFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def grouped(today, *days):
    tasks = [Task(title=str(day), due_on=day) for day in days]
    return {group.key: [t.title for t in group.tasks] for group in group_open_tasks(tasks, today)}


def test_groups_around_a_wednesday():
    wednesday = date(2026, 3, 11)
    groups = grouped(
        wednesday,
        date(2026, 3, 10),  # Tuesday
        date(2026, 3, 11),
        date(2026, 3, 12),
        date(2026, 3, 15),  # Sunday: still this week
        date(2026, 3, 16),  # Monday: later
    )
    assert groups == {
        "overdue": ["2026-03-10"],
        "today": ["2026-03-11"],
        "week": ["2026-03-12", "2026-03-15"],
        "later": ["2026-03-16"],
    }


def test_on_a_sunday_tomorrow_is_later():
    groups = grouped(date(2026, 3, 15), date(2026, 3, 15), date(2026, 3, 16))
    assert groups == {"overdue": [], "today": ["2026-03-15"], "week": [], "later": ["2026-03-16"]}


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("now", "today_title", "overdue_titles"),
    [
        # 23:30 in Paris on Tuesday 10 March (22:30 UTC): still the 10th.
        (paris(2026, 3, 10, 23, 30), "mardi", []),
        # 00:30 in Paris on the 11th is still the 10th in UTC: the town's day decides.
        (paris(2026, 3, 11, 0, 30), "mercredi", ["mardi"]),
        # Summer time starts on 29 March: 00:30 on the 30th is 22:30 UTC on the 29th.
        (paris(2026, 3, 30, 0, 30), "lundi 30", ["mardi", "mercredi"]),
    ],
)
def test_the_page_groups_on_the_towns_day(town_a, in_town, now, today_title, overdue_titles):
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    with in_town(town_a):
        for title, due_on in [
            ("mardi", date(2026, 3, 10)),
            ("mercredi", date(2026, 3, 11)),
            ("lundi 30", date(2026, 3, 30)),
        ]:
            TaskFactory(title=title, due_on=due_on, assignee=agent)
    client = logged_in_client(town_a, agent)
    with mock.patch("django.utils.timezone.now", return_value=now.astimezone(ZoneInfo("UTC"))):
        response = client.get("/gestion/taches/")
    groups = {group.key: [t.title for t in group.tasks] for group in response.context["groups"]}
    assert groups["today"] == [today_title]
    assert groups["overdue"] == overdue_titles


def test_mine_or_the_whole_team(town_a, in_town):
    me = MembershipFactory(territory=town_a, role=Role.AGENT).user
    colleague = MembershipFactory(territory=town_a, role=Role.AGENT).user
    with in_town(town_a):
        TaskFactory(title="La mienne", assignee=me)
        TaskFactory(title="La sienne", assignee=colleague)
        TaskFactory(title="Déjà faite", assignee=me, done_at=datetime(2020, 1, 1, tzinfo=PARIS))
    client = logged_in_client(town_a, me)
    mine = client.get("/gestion/taches/").content.decode()
    assert "La mienne" in mine and "La sienne" not in mine and "Déjà faite" not in mine
    team = client.get("/gestion/taches/?qui=equipe").content.decode()
    assert "La mienne" in team and "La sienne" in team
    assert client.get("/gestion/taches/?qui=n-importe").status_code == 200  # mine, then
    assert 'aria-current="page">Mes tâches</a>' in mine  # in the navigation


def test_overdue_tasks_for_notifications(town_a, town_b, in_town):
    with in_town(town_b):
        TaskFactory(title="B en retard", due_on=date(2026, 3, 1))
    with in_town(town_a):
        late = TaskFactory(title="En retard", due_on=date(2026, 3, 9))
        TaskFactory(title="Du jour", due_on=date(2026, 3, 10))
        TaskFactory(title="Faite", due_on=date(2026, 3, 1), done_at=paris(2026, 3, 2, 9))
        assert list(overdue_tasks(date(2026, 3, 10))) == [late]
