"""The demo's finished call: decided, its applications with their decisions, the selected
porteur's trial running with its first milestone done; next to the open call, once only."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from shared_apps.accounts.enums import Role
from tenant_apps.calls.demo import finish_one, open_one
from tenant_apps.calls.enums import CallStatus
from tenant_apps.calls.models import Call
from tenant_apps.trials.demo import run_one
from tenant_apps.trials.models import Trial
from tests.factories import MembershipFactory, PremisesFactory

pytestmark = pytest.mark.django_db


def test_the_demo_holds_an_open_call_and_a_finished_one_with_its_trial(town_a, in_town):
    developer = MembershipFactory(territory=town_a, role=Role.ADMIN).user
    with in_town(town_a):
        PremisesFactory(state="vacant", monthly_rent=900)
        PremisesFactory(state="vacant", monthly_rent=1100)
        opened = open_one(developer)
        finished = finish_one(developer)
        trial = run_one(developer)
        assert (finish_one(developer), run_one(developer)) == (None, None)
        decisions = sorted(finished.applications.values_list("decision", flat=True))
        plans = [a.plan_path.exists() for a in finished.applications.all()]
        milestones = [(m.months, m.task.is_done, bool(m.note)) for m in trial.milestones.all()]
        assert list(Call.objects.open()) == [opened]
        assert Trial.objects.count() == 1
        shutil.rmtree(Path(settings.PRIVATE_ROOT) / town_a.schema_name / "calls", True)
    assert finished.status == CallStatus.DECIDED and finished.premises_id != opened.premises_id
    assert decisions == ["declined", "selected", "waiting"]
    assert all(plans)
    assert trial.is_running and trial.starts_on.day == 1
    assert milestones == [(1, True, True), (3, False, False), (6, False, False), (12, False, False)]
