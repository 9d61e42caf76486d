"""The notifications' daily round tells each assignee of their overdue tasks, once per due
date, never someone who left the team, and never another town's tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.tasks import daily
from tests.factories import DemandFactory, MembershipFactory, TaskFactory
from tests.jobs import committing

pytestmark = pytest.mark.django_db


def test_overdue_tasks_notify_their_assignee_once_per_due_date(town_a, town_b, in_town):
    agent = MembershipFactory(territory=town_a, role=Role.AGENT).user
    former = MembershipFactory(territory=town_a, role=Role.AGENT, is_active=False).user
    MembershipFactory(territory=town_b, user=agent, role=Role.AGENT)
    today = timezone.localdate()
    with in_town(town_b):
        TaskFactory(title="Tâche de B", assignee=agent, due_on=today - timedelta(days=3))
    with in_town(town_a), committing():
        demand = DemandFactory(reference="OVR-2026-00001", activity="Fromagerie")
        late = TaskFactory(
            demand=demand, title="Rappeler le porteur", assignee=agent, due_on=today - timedelta(1)
        )
        TaskFactory(demand=demand, title="Pas encore", assignee=agent, due_on=today)
        TaskFactory(demand=demand, title="Du partant", assignee=former, due_on=today - timedelta(2))
        daily(today)
        daily(today)  # a second run of the day: nothing new

        told = list(Notification.objects.values_list("recipient", "kind", "text", "url"))
        assert told == [
            (
                agent.pk,
                "overdue_task",
                f"Tâche en retard depuis le {late.due_on:%d/%m/%Y} : Rappeler le porteur"
                " — OVR-2026-00001 · Fromagerie",
                "/gestion/demandes/OVR-2026-00001/",
            )
        ]
        late.due_on = today
        late.save()
        daily(today + timedelta(days=1))  # postponed, late again, and « Pas encore » now late
        texts = Notification.objects.filter(recipient=agent).values_list("text", flat=True)
        assert sorted(text.split(" : ")[1].split(" — ")[0] for text in texts) == [
            "Pas encore",
            "Rappeler le porteur",
            "Rappeler le porteur",
        ]
    with in_town(town_b):
        assert not Notification.objects.exists()  # B's round has not run
