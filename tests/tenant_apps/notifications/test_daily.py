"""The daily round gives every connected source today's date; a source that fails does
not keep the others from running; what they notify is notified once however many times
the round runs."""

import datetime

import pytest

from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notify
from tenant_apps.notifications.signals import daily_round
from tenant_apps.notifications.tasks import daily
from tests.jobs import committing

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(agent):
    seen = []

    def failing(sender, today, **kwargs):
        raise RuntimeError("source en panne")

    def overdue(sender, today, **kwargs):
        seen.append(today)
        notify(
            agent,
            "overdue_task",
            "Tâche en retard : rappeler le porteur",
            "/gestion/",
            key="task:7:overdue:2026-05-04",
        )

    daily_round.connect(failing, dispatch_uid="test-failing")
    daily_round.connect(overdue, dispatch_uid="test-overdue")
    yield seen
    daily_round.disconnect(dispatch_uid="test-failing")
    daily_round.disconnect(dispatch_uid="test-overdue")


def test_the_daily_round_runs_every_source_once_per_key(town_a, in_town, agent, sources):
    working = len(daily_round.receivers) - 1  # every source but the failing one
    with in_town(town_a), committing():
        assert daily(datetime.date(2026, 5, 5)) == working
        assert daily(datetime.date(2026, 5, 6)) == working

    assert sources == [datetime.date(2026, 5, 5), datetime.date(2026, 5, 6)]
    with in_town(town_a):
        assert list(Notification.objects.values_list("recipient", "kind")) == [
            (agent.pk, "overdue_task")
        ]
