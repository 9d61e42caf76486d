"""The demo's exchanges and tasks: the economic developer's, on demands under way, one
task overdue, each with its history line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.accounts.enums import Role
from tenant_apps.demands.enums import EventKind
from tenant_apps.demands.models import DemandEvent
from tenant_apps.exchanges.demo import log_some
from tenant_apps.exchanges.models import Exchange
from tenant_apps.tasks.demo import plan_some
from tenant_apps.tasks.models import Task
from tests.factories import DemandFactory, MembershipFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_developer_exchanges_and_tasks(town_a, in_town):
    developer = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    with in_town(town_a):
        for _ in range(5):
            DemandFactory(status="searching")
        DemandFactory(status="installed")
        PremisesFactory()
        assert log_some(seed=1, user=developer) == 5
        assert plan_some(developer) == 5
        today = timezone.localdate()
        exchanges = Exchange.objects.all()
        assert {e.demand.status for e in exchanges} == {"searching"}
        assert all(e.happened_at < timezone.now() for e in exchanges)
        assert DemandEvent.objects.filter(kind=EventKind.EXCHANGE).count() == 5
        tasks = Task.objects.all()
        assert {task.assignee for task in tasks} == {developer}
        assert tasks.overdue(today).count() == 1
        assert tasks.filter(due_on=today).count() == 1
        assert tasks.filter(premises__isnull=False).count() == 1
        assert tasks.filter(due_on__gt=today + timedelta(days=7)).exists()
        assert DemandEvent.objects.filter(kind=EventKind.TASK_ADDED).count() == 4
